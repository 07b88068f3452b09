"""Fast bulk inserts of column arrays: executemany on SQLite, COPY on PostgreSQL.

Values are converted once per column with numpy to exactly what the store's column types would
bind (UTC datetimes as SQLAlchemy's SQLite text format, dates, whole-Rupiah money, JSON text),
so a million rows do not go through a Python type hook each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import JSON, Boolean, Connection, Date, Float, Table, text

from pantau.models.base import Money, UTCDateTime

BATCH_ROWS = 50_000

Progress = Callable[[str, int], None]


class BulkWriter:
    """Inserts column arrays into tables inside the caller's transaction and counts the rows."""

    def __init__(self, connection: Connection, progress: Progress | None = None) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.progress = progress
        self.counts: dict[str, int] = {}

    def insert(self, table: Table, columns: Mapping[str, Any], step: str | None = None) -> int:
        """Insert the rows given as one array (or list) per column; returns the number of rows."""
        names = list(columns)
        sizes = {len(values) for values in columns.values()}
        if len(sizes) != 1:
            raise ValueError(f"{table.name}: columns of different lengths {sorted(sizes)}")
        total = sizes.pop()
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        if not total:
            return 0
        converted = [_convert(table.c[name].type, columns[name], self.dialect) for name in names]
        rows = list(zip(*converted))
        quote = self.connection.dialect.identifier_preparer.quote
        column_list = ", ".join(quote(name) for name in names)
        for first in range(0, total, BATCH_ROWS):
            batch = rows[first : first + BATCH_ROWS]
            if self.dialect == "postgresql":
                self._copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN", batch)
            else:
                marks = ", ".join("?" * len(names))
                sql = f"INSERT INTO {quote(table.name)} ({column_list}) VALUES ({marks})"
                self.connection.exec_driver_sql(sql, batch)
            if self.progress is not None:
                self.progress(step or table.name, len(batch))
        return total

    def _copy(self, statement: str, rows: Sequence[tuple]) -> None:
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def reset_sequences(self, tables: Sequence[Table]) -> None:
        """On PostgreSQL, move each table's id sequence past the ids written explicitly."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            if "id" not in table.c:
                continue
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                )
            )


def _convert(column_type: Any, values: Any, dialect: str) -> list:
    if isinstance(column_type, UTCDateTime):
        return _datetimes(np.asarray(values, dtype="datetime64[us]"), dialect)
    if isinstance(column_type, Date):
        return _dates(np.asarray(values, dtype="datetime64[D]"), dialect)
    if isinstance(column_type, Money):
        return [None if v is None else int(v) for v in np.asarray(values, dtype=object).tolist()]
    if isinstance(column_type, JSON):
        return [json.dumps(v) for v in values]
    if isinstance(column_type, Float):
        array = np.asarray(values, dtype=float)
        return np.where(np.isnan(array), None, array).tolist()
    if isinstance(column_type, Boolean):
        return np.asarray(values, dtype=bool).tolist()
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _datetimes(array: np.ndarray, dialect: str) -> list:
    if dialect == "postgresql":
        return array.astype(object).tolist()
    texts = np.strings.replace(np.datetime_as_string(array, unit="us"), "T", " ")
    return np.where(np.isnat(array), None, texts).tolist()


def _dates(array: np.ndarray, dialect: str) -> list:
    if dialect == "postgresql":
        return array.astype(object).tolist()
    return np.where(np.isnat(array), None, np.datetime_as_string(array, unit="D")).tolist()
