"""Fast bulk inserts of column arrays: executemany on SQLite, COPY on PostgreSQL.

Values are converted once per column with numpy to exactly what the store's column types would
bind (UTC datetimes as SQLAlchemy's SQLite text format, dates, whole-Rupiah money, JSON text),
so a million rows do not go through a Python type hook each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import JSON, Boolean, Connection, Date, Float, Table, text

from pantau.models.base import Money, UTCDateTime

BATCH_ROWS = 50_000
DEFER_INDEXES_FROM = 100_000
"""On SQLite, a table getting at least this many rows at once has its secondary indexes built afterwards."""
SQLITE_CACHE_KIB = 262_144

Progress = Callable[[str, int], None]


class BulkWriter:
    """Inserts column arrays into tables inside the caller's transaction and counts the rows."""

    def __init__(self, connection: Connection, progress: Progress | None = None) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.progress = progress
        self.counts: dict[str, int] = {}

    @contextmanager
    def tuned(self) -> Iterator[None]:
        """On SQLite, a larger page cache for the connection while bulk loading (restored afterwards)."""
        if self.dialect != "sqlite":
            yield
            return
        previous = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
        self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")

    def insert(self, table: Table, columns: Mapping[str, Any], step: str | None = None) -> int:
        """Insert the rows given as one array (or list) per column; returns the number of rows."""
        sizes = {len(values) for values in columns.values()}
        if len(sizes) != 1:
            raise ValueError(f"{table.name}: columns of different lengths {sorted(sizes)}")
        total = sizes.pop()
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        if not total:
            return 0
        if self.dialect == "sqlite" and total >= DEFER_INDEXES_FROM:
            with self._indexes_built_after(table):
                self._insert(table, columns, total, step)
        else:
            self._insert(table, columns, total, step)
        return total

    @contextmanager
    def _indexes_built_after(self, table: Table) -> Iterator[None]:
        """Drop the table's secondary indexes and create them again, exactly as they were, after the load."""
        indexes = self.connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table.name,),
        ).all()
        quote = self.connection.dialect.identifier_preparer.quote
        for name, _ in indexes:
            self.connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
        yield
        for _, sql in indexes:
            self.connection.exec_driver_sql(sql)

    def _insert(self, table: Table, columns: Mapping[str, Any], total: int, step: str | None) -> None:
        """Convert and send one batch at a time, so a million rows never exist as Python tuples at once."""
        names = list(columns)
        quote = self.connection.dialect.identifier_preparer.quote
        column_list = ", ".join(quote(name) for name in names)
        for first in range(0, total, BATCH_ROWS):
            part = slice(first, first + BATCH_ROWS)
            batch = list(zip(*(_convert(table.c[name].type, columns[name][part], self.dialect) for name in names)))
            if self.dialect == "postgresql":
                self._copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN", batch)
            else:
                marks = ", ".join("?" * len(names))
                sql = f"INSERT INTO {quote(table.name)} ({column_list}) VALUES ({marks})"
                self.connection.exec_driver_sql(sql, batch)
            if self.progress is not None:
                self.progress(step or table.name, len(batch))

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
    if len(array) > 1 and (array == array[0]).all():
        return _datetimes(array[:1], dialect) * len(array)
    if np.isnat(array).all():
        return [None] * len(array)
    if dialect == "postgresql":
        return array.astype(object).tolist()
    texts = np.strings.replace(np.datetime_as_string(array, unit="us"), "T", " ")
    missing = np.isnat(array)
    return np.where(missing, None, texts).tolist() if missing.any() else texts.tolist()


def _dates(array: np.ndarray, dialect: str) -> list:
    if dialect == "postgresql":
        return array.astype(object).tolist()
    texts = np.datetime_as_string(array, unit="D")
    missing = np.isnat(array)
    return np.where(missing, None, texts).tolist() if missing.any() else texts.tolist()
