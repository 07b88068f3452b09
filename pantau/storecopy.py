"""Copying a whole store into an empty one (an SQLite store moving to PostgreSQL): the target is migrated to
the newest schema, every table is copied in dependency order in batches, PostgreSQL's id sequences are moved
past the copied ids, and each table's row count is compared."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, inspect, select, text

from pantau import migrate
from pantau.models import Base

BATCH = 5_000
SEED_ROWS = 1_000
"""A target table holding at most this many rows, the same as the source's, was filled by the migrations."""


class CopyError(Exception):
    """A copy that could not be done; the message is one line."""


def copy_store(source: Engine, target: Engine, report: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; returns the rows copied per table."""
    if migrate.current_revision(source) != migrate.head_revision():
        raise CopyError("the source store is not at the newest schema: run `pantau init` on it first")
    migrate.upgrade(target)
    tables = [table for table in Base.metadata.sorted_tables if inspect(source).has_table(table.name)]
    seeded = _seeded_only(source, target, tables)
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in reversed(tables):
            if table in seeded:
                writing.execute(table.delete())
        for table in tables:
            count = 0
            result = reading.execution_options(stream_results=True).execute(select(table))
            for rows in result.mappings().partitions(BATCH):
                writing.execute(table.insert(), [dict(row) for row in rows])
                count += len(rows)
            copied[table.name] = count
            if report:
                report(table.name, count)
        if target.dialect.name == "postgresql":
            _move_sequences(writing, tables)
    with target.connect() as connection:
        for table in tables:
            have = connection.scalar(select(func.count()).select_from(table))
            if have != copied[table.name]:
                raise CopyError(f"{table.name}: {copied[table.name]} rows copied but {have} in the target")
    return copied


def _seeded_only(source: Engine, target: Engine, tables) -> set:
    """The target's tables that hold rows only because the migrations put them there (the same rows as the
    source's); a target holding anything else is refused."""
    seeded, busy = set(), []
    with source.connect() as reading, target.connect() as connection:
        for table in tables:
            have = connection.scalar(select(func.count()).select_from(table))
            if not have:
                continue
            if have <= SEED_ROWS and _rows(connection, table) == _rows(reading, table):
                seeded.add(table)
            else:
                busy.append(table.name)
    if busy:
        raise CopyError(f"the target store already holds data (in {', '.join(busy[:3])}): give an empty one")
    return seeded


def _rows(connection, table) -> list[str]:
    return sorted(repr(tuple(row)) for row in connection.execute(select(table)))


def _move_sequences(connection, tables) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                         {"t": table.name, "c": column.name})
            if sequence:
                connection.execute(text(f'SELECT setval(:s, COALESCE((SELECT max("{column.name}") FROM '
                                        f'"{table.name}"), 0) + 1, false)'), {"s": sequence})
