"""The few places where SQLite and PostgreSQL differ in the reconciliation's set-based SQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Connection, bindparam, text
from sqlalchemy.sql.elements import TextClause

from pantau.models.base import UTCDateTime


def create_temp(connection: Connection, name: str, select_sql: str, **params) -> None:
    """``CREATE TEMPORARY TABLE name AS select_sql`` (dropped at commit on PostgreSQL)."""
    postgres = connection.dialect.name == "postgresql"
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    suffix = " ON COMMIT DROP" if postgres else ""
    connection.execute(statement(f"CREATE TEMPORARY TABLE {name}{suffix} AS {select_sql}"), params)
    if postgres:
        connection.execute(text(f"ANALYZE {name}"))


def drop_temp(connection: Connection, *names: str) -> None:
    for name in names:
        connection.execute(text(f"DROP TABLE IF EXISTS {name}"))


def statement(sql: str) -> TextClause:
    """A text statement whose ``:now``/``:due`` bind as instants and ``:details`` as JSON, if used."""
    clause = text(sql)
    typed = [bindparam(name, type_=UTCDateTime()) for name in ("now", "due", "lagged") if f":{name}" in sql]
    if ":details" in sql:
        typed.append(bindparam("details", type_=JSON()))
    return clause.bindparams(*typed) if typed else clause


def local_day(connection: Connection, column: str, zone: str, at: datetime) -> str:
    """SQL for the calendar date, in ``zone``, of a stored UTC instant ``column``.

    Indonesian zones have no daylight saving, so the zone's offset at ``at`` holds for every row.
    """
    minutes = zone_minutes(zone, at)
    if connection.dialect.name == "postgresql":
        return f"CAST({column} + INTERVAL '{minutes} minutes' AS DATE)"
    return f"date({column}, '{minutes:+d} minutes')"


def zone_minutes(zone: str, at: datetime) -> int:
    """The zone's offset from UTC at ``at``, in minutes (420 for WIB)."""
    return int(at.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)


def day_number(connection: Connection, column: str) -> str:
    """SQL for a DATE column as whole days since 1970-01-01 (sortable arithmetic on both stores)."""
    if connection.dialect.name == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def fence(connection: Connection) -> str:
    """A clause that keeps the database from merging a subquery into the query around it (so an
    expression the outer query uses twice is computed once): ``OFFSET 0`` (SQLite wants a LIMIT first)."""
    return " LIMIT -1 OFFSET 0" if connection.dialect.name == "sqlite" else " OFFSET 0"


def smaller(first: str, second: str) -> str:
    """SQL for the smaller of two values (``MIN(a, b)`` in SQLite, ``LEAST`` in PostgreSQL)."""
    return f"CASE WHEN {first} < {second} THEN {first} ELSE {second} END"
