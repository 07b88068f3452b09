"""Writing a file's entries into ``bank_transactions`` in bulk, skipping the entries already stored.

An entry read again (equal ``dedup_key``) is left out by the unique index: ``INSERT ... ON CONFLICT
DO NOTHING``. SQLite takes the rows in multi-row ``INSERT`` statements; PostgreSQL through ``COPY``
into a temporary table and one ``INSERT ... SELECT``.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import Connection, literal, text

from .entries import STORED_COLUMNS

ROWS_PER_STATEMENT = 1_000
"""Rows per SQLite ``INSERT``: at most 19 bound columns keeps it under SQLite's 32,766 variables."""
_COLUMNS = ", ".join(("import_id", *STORED_COLUMNS))


def insert_entries(connection: Connection, import_id: int, values: dict[str, list]) -> int:
    """Insert the rows given column by column (see :func:`entries.stored_values`); returns how many
    were new, identity duplicates left out."""
    count = len(values["dedup_key"])
    if not count:
        return 0
    if connection.dialect.name == "postgresql":
        return _copy_insert(connection, list(zip([import_id] * count, *(values[name] for name in STORED_COLUMNS))))
    return _sqlite_insert(connection, {"import_id": [import_id] * count, **values}, count)


def _sqlite_insert(connection: Connection, values: dict[str, list], count: int) -> int:
    """Multi-row ``INSERT ... VALUES`` of ``ROWS_PER_STATEMENT`` rows, binding only the columns that
    vary: a column with one value for every row (the import, the format, often the direction or an
    empty account) is written into the statement once, which spares a million rows a third of their
    parameters. Rows go in file order."""
    names = ("import_id", *STORED_COLUMNS)
    constant = {name: values[name][0] for name in names if values[name].count(values[name][0]) == count}
    varying = [name for name in names if name not in constant]
    shown = {name: _literal(connection, value) for name, value in constant.items()}
    row = "(" + ", ".join(shown.get(name, "?") for name in names) + ")"
    grid = np.empty((count, len(varying)), dtype=object)
    for index, name in enumerate(varying):
        grid[:, index] = values[name]
    added = 0
    for first in range(0, count, ROWS_PER_STATEMENT):
        rows = grid[first : first + ROWS_PER_STATEMENT]
        statement = (f"INSERT INTO bank_transactions ({_COLUMNS}) VALUES {', '.join([row] * len(rows))}"
                     " ON CONFLICT (dedup_key) DO NOTHING")
        added += connection.exec_driver_sql(statement, tuple(rows.ravel().tolist())).rowcount
    return added


def _literal(connection: Connection, value) -> str:
    """A value as an SQL literal, rendered (and quoted) by SQLAlchemy."""
    return str(literal(value).compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))


def _copy_insert(connection: Connection, records: list[tuple]) -> int:
    connection.execute(text(
        "CREATE TEMPORARY TABLE bank_stage ON COMMIT DROP AS "
        f"SELECT {_COLUMNS} FROM bank_transactions WITH NO DATA"
    ))
    connection.execute(text("ALTER TABLE bank_stage ADD COLUMN seq BIGSERIAL"))
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY bank_stage ({_COLUMNS}) FROM STDIN") as copy:
        for record in records:
            copy.write_row(record)
    added = connection.execute(text(
        f"INSERT INTO bank_transactions ({_COLUMNS}) SELECT {_COLUMNS} FROM bank_stage ORDER BY seq "
        "ON CONFLICT (dedup_key) DO NOTHING"
    )).rowcount
    connection.execute(text("DROP TABLE bank_stage"))
    return added
