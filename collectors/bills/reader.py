"""Reading a bill source: the application's database through its mapping query (read-only), or an
export file. Each read returns a frame whose columns are the bill fields, and a name per row for
error messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, create_engine, event, text

from .config import OPTIONAL, REQUIRED, BillSource
from .records import BillDataError

_READ_ONLY = {
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "mariadb": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
    "sqlite": "PRAGMA query_only = ON",
}


def source_engine(source: BillSource) -> Engine:
    """An engine on the source's database whose sessions refuse to write."""
    engine = create_engine(source.url, pool_pre_ping=True)
    statement = _READ_ONLY.get(engine.dialect.name)
    if statement:
        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(statement)
            cursor.close()
    return engine


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
    frame = frame.rename(columns={source.updated_column: "updated_at"})
    return frame, [f"bill {key!r}" for key in frame.get("source_key", pd.Series([None] * len(frame)))]


def read_keys(engine: Engine, source: BillSource) -> set[str]:
    """Every bill number the mapping query gives now (deleted bills are the ones missing)."""
    with engine.connect() as connection:
        keys = connection.execute(text(f"SELECT src.source_key FROM ({source.query}) src")).scalars()
        return {str(key).strip() for key in keys if key is not None}


def read_export(source: BillSource) -> tuple[pd.DataFrame, list[str]]:
    """An export file read whole (CSV with ``;`` or ``,``, or XLSX), headers matched to the bill fields."""
    path = Path(source.file)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object)
        else:
            frame = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False,
                                encoding="utf-8-sig")
    except (OSError, ValueError) as error:
        raise BillDataError(source.name, path.name, "file", None, f"cannot be read ({error})") from None
    wanted = {field: field for field in (*REQUIRED, *OPTIONAL)}
    wanted.update({field: header for field, header in source.columns.items()})
    by_header = {str(column).strip().lower(): column for column in frame.columns}
    renamed = {by_header[header.lower()]: field for field, header in wanted.items() if header.lower() in by_header}
    frame = frame[list(renamed)].rename(columns=renamed)
    return frame, [f"{path.name} line {number}" for number in range(2, len(frame) + 2)]
