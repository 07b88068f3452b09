"""Reading a bill source: the application's database through its mapping query (read-only), or an
export file. Each read returns a frame whose columns are the bill fields, and a name per row for
error messages."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, bindparam, create_engine, event, text

from .config import OPTIONAL, REQUIRED, BillSource, bank_columns
from .records import BillDataError

KEY_BATCH = 1_000
_READ_ONLY = {
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "mariadb": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
    "sqlite": "PRAGMA query_only = ON",
}


def source_engine(source: BillSource, zone: str | None = None) -> Engine:
    """An engine on the source's database whose sessions refuse to write; on MariaDB/MySQL the session's
    time zone is ``zone``'s offset, so TIMESTAMP values (kept in UTC) come back as that zone's wall time,
    like the DATETIME values the sync reads in it; on PostgreSQL the session's TimeZone is ``zone``, so the
    watermark (naive, in ``zone``) compares right with ``timestamptz`` change times."""
    engine = create_engine(source.url, pool_pre_ping=True)
    statements = [_READ_ONLY[engine.dialect.name]] if engine.dialect.name in _READ_ONLY else []
    if zone and engine.dialect.name in ("mysql", "mariadb"):
        statements.append(f"SET time_zone = '{_offset(zone)}'")
    if zone and engine.dialect.name == "postgresql":
        statements.append(f"SET TIME ZONE '{ZoneInfo(zone).key}'")
    if statements:
        @event.listens_for(engine, "connect")
        def _session(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            for statement in statements:
                cursor.execute(statement)
            cursor.close()
            dbapi_connection.commit()  # PostgreSQL: a session SET in a transaction rolled back is undone
    return engine


def _offset(zone: str) -> str:
    """``+07:00`` for WIB (Indonesia's zones keep no summer time; elsewhere today's offset)."""
    minutes = int(datetime.now(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def read_changed(engine: Engine, source: BillSource, since: datetime | None, zone: str) -> tuple[pd.DataFrame,
                                                                                                 list[str]]:
    """Rows of the mapping query changed at or after ``since`` (all rows when None)."""
    query = f"SELECT * FROM ({source.query}) src"
    params = {}
    if since is not None:
        query += f" WHERE src.{source.updated_column} >= :since"
        params["since"] = since.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    with engine.connect() as connection:
        result = connection.execute(text(query), params)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()), dtype=object)
    return _named(frame, source)


def read_rows(engine: Engine, source: BillSource, keys: list) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the mapping query whose bill numbers are ``keys`` (as the source gave them), whatever
    their change time: bills that came back, and numbers given twice."""
    frames = []
    statement = text(f"SELECT * FROM ({source.query}) src WHERE src.source_key IN :keys").bindparams(
        bindparam("keys", expanding=True))
    with engine.connect() as connection:
        for first in range(0, len(keys), KEY_BATCH):
            result = connection.execute(statement, {"keys": keys[first:first + KEY_BATCH]})
            frames.append(pd.DataFrame(result.all(), columns=list(result.keys()), dtype=object))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(dtype=object)
    return _named(frame, source)


def _named(frame: pd.DataFrame, source: BillSource) -> tuple[pd.DataFrame, list[str]]:
    frame = frame.rename(columns={source.updated_column: "updated_at"})
    return frame, [f"bill {key!r}" for key in frame.get("source_key", pd.Series([None] * len(frame)))]


def read_keys(engine: Engine, source: BillSource) -> list:
    """Every bill number the mapping query gives now, as the source gives it and as often as it gives it
    (deleted bills are the ones missing; a number given twice is refused)."""
    with engine.connect() as connection:
        keys = connection.execute(text(f"SELECT src.source_key FROM ({source.query}) src")).scalars()
        return [key for key in keys if key is not None]


def read_export(source: BillSource) -> tuple[pd.DataFrame, list[str]]:
    """An export file read whole (CSV with ``;`` or ``,``, or XLSX), headers matched to the bill fields."""
    path = Path(source.file)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object)
        elif not path.read_bytes().strip():
            raise ValueError("the file is empty")
        else:
            frame = _read_csv(path)
    except (OSError, ValueError, csv.Error) as error:
        raise BillDataError(source.name, path.name, "file", None, f"cannot be read ({error})") from None
    headers = [str(column).strip().lower() for column in frame.columns]
    wanted = {field: field for field in (*REQUIRED, *OPTIONAL, *bank_columns(headers))}
    wanted.update({field: header for field, header in source.columns.items()})
    by_header = {str(column).strip().lower(): column for column in frame.columns}
    renamed = {by_header[header.lower()]: field for field, header in wanted.items() if header.lower() in by_header}
    missing = [field for field in REQUIRED if field not in renamed.values()]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "nothing"
        raise BillDataError(source.name, f"{path.name} header", missing[0], None,
                            f"column missing; the file gives {found[:200]}", column=wanted[missing[0]])
    frame = frame[[column for column in frame.columns if column in renamed]].rename(columns=renamed)  # file order
    return frame, [f"{path.name} line {number}" for number in range(2, len(frame) + 2)]


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV export in UTF-8, or in Windows-1252 as Excel writes it on Indonesian Windows."""
    try:
        return pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="cp1252")


def source_keys(values) -> list[str]:
    """Bill numbers as the store keeps them (text, trimmed; a whole float without its ``.0``)."""
    return [str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
            for value in values]


def name_repeated(frame: pd.DataFrame, rows: list[str], repeated: set[str]) -> list[str]:
    """Row names that tell apart the rows giving the same bill number: by the values in which they differ
    (``bill 'TGH-1' (amount 1000000.00, kind registrasi)``), or by their order when they are equal."""
    if not repeated or frame.empty:
        return rows
    named = list(rows)
    keys = source_keys(frame["source_key"])
    for key in repeated:
        at = [index for index, value in enumerate(keys) if value == key]
        group = frame.iloc[at]
        differing = [column for column in group.columns
                     if column != "source_key" and group[column].astype(str).nunique(dropna=False) > 1][:3]
        for copy, index in enumerate(at, start=1):
            shown = ", ".join(f"{column} {frame.iloc[index][column]}" for column in differing)
            named[index] = f"bill {key!r} ({shown or f'copy {copy}'})"
    return named
