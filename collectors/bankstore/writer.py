"""Writing a file's entries into ``bank_transactions`` in bulk, skipping the payments already stored.

Identity duplicates (equal ``dedup_key``) are left to the unique index: ``INSERT ... ON CONFLICT
DO NOTHING``. Weak duplicates (a statement line and an H2H notification of the same VA, amount,
day and number, see :func:`collectors.bankfeeds.same_payment`) are found first, in one range query
over the file's booking days. SQLite takes the rows in multi-row ``INSERT`` statements; PostgreSQL through
``COPY`` into a temporary table and one ``INSERT ... SELECT``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, literal, select, text

from pantau.models import BankTransaction

from .entries import STORED_COLUMNS, notification_mask

ROWS_PER_STATEMENT = 1_000
"""Rows per SQLite ``INSERT``: at most 16 bound columns keeps it under SQLite's 32,766 variables."""
_COLUMNS = ", ".join(("import_id", *STORED_COLUMNS))


def weak_duplicates(connection: Connection, frame: pd.DataFrame) -> np.ndarray:
    """Rows that are a stored entry of the other channel (statement vs. notification) by weak key.

    Two entries that both carry a payment reference are never weak duplicates: different
    references are different payments, equal ones already share their identity key.
    """
    duplicate = np.zeros(len(frame), dtype=bool)
    has_weak = frame["weak_key"].notna().to_numpy(dtype=bool)
    if not has_weak.any():
        return duplicate
    booked = pd.to_datetime(frame["booked_at"], utc=True)
    low = booked.min().to_pydatetime() - timedelta(days=2)
    high = booked.max().to_pydatetime() + timedelta(days=2)
    table = BankTransaction.__table__
    query = select(table.c.weak_key, table.c.source_format, table.c.dedup_key).where(
        table.c.booked_at.between(low, high), table.c.weak_key.is_not(None)
    )
    stored = pd.DataFrame(connection.execute(query).all(), columns=["weak_key", "source_format", "dedup_key"])
    if stored.empty:
        return duplicate
    stored["notification"] = notification_mask(stored)
    stored["has_ref"] = stored["dedup_key"].str.startswith("ref:")
    rows = pd.DataFrame({
        "row": np.arange(len(frame)),
        "weak_key": frame["weak_key"].astype(object),
        "notification": notification_mask(frame),
        "has_ref": frame["dedup_key"].str.startswith("ref:").to_numpy(dtype=bool),
    })[has_weak]
    pairs = rows.merge(stored, on="weak_key", suffixes=("", "_stored"))
    same = (pairs["notification"] != pairs["notification_stored"]) & ~(pairs["has_ref"] & pairs["has_ref_stored"])
    duplicate[pairs.loc[same, "row"].to_numpy()] = True
    return duplicate


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
