"""One sync of one bill source, in one transaction: changed rows in, vanished bills marked deleted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pantau import audit
from pantau.models import utcnow

from .config import BillSource
from .reader import name_repeated, read_changed, read_export, read_keys, read_rows, source_engine, source_keys
from .records import BillDataError, normalise
from .store import live_count, live_keys, mark_deleted, upsert, watermark

ACTOR = "bill-sync"


@dataclass(frozen=True)
class SyncReport:
    """What a sync read and wrote."""

    source: str
    read: int
    written: int
    deleted: int

    @property
    def changed(self) -> int:
        return self.written + self.deleted


def sync_source(store: Engine, source: BillSource, default_zone: str, *, now: datetime | None = None,
                actor: str = ACTOR) -> SyncReport:
    """Bring the store's bills of ``source`` up to date with it.

    A database source is read incrementally: the rows whose change time is at or after the newest one
    stored, plus the list of every bill number to notice deletions; the rows of numbers the source gives
    that are not live in the store (a bill that came back, whatever its change time) and of numbers given
    twice are read as well. An export file is read whole. Bills are those of the source's key space.
    Raises :class:`BillDataError` (nothing stored) for a bad row, and for a source that suddenly
    gives no bills at all while the store has some, unless ``allow_empty`` is set. The audit log names
    ``actor`` (the collector, or the person at the command line).
    """
    now = now or utcnow()
    zone = source.zone(default_zone)
    if source.is_database:
        frame, rows, present = _read_database(store, source, zone)
        records = normalise(frame, source.name, zone, rows)
    else:
        frame, rows = read_export(source)
        records = normalise(frame, source.name, zone, rows)
        present = set(records["source_key"])
    with store.begin() as connection:
        if not present and not source.allow_empty and live_count(connection, source.name):
            raise BillDataError(source.name, "all rows", "source_key", None,
                                "the source gave no bills at all; not marking every bill deleted (allow_empty)")
        written = upsert(connection, records, source.name, now, source.space)
        deleted = mark_deleted(connection, source.name, present, now, source.space)
        report = SyncReport(source.name, len(records), written, deleted)
        if report.changed:
            with Session(bind=connection) as session:
                audit.record(session, actor, "bills.sync", f"source:{source.name}",
                             {"read": report.read, "written": written, "deleted": deleted})
                session.flush()
    return report


def _read_database(store: Engine, source: BillSource, zone: str) -> tuple[pd.DataFrame, list[str], set[str]]:
    """The rows to sync from a database source, their names, and every bill number it gives now."""
    database = source_engine(source)
    try:
        with store.connect() as connection:
            since = watermark(connection, source.name)
            live = live_keys(connection, source.space)
        given = read_keys(database, source)
        keys = source_keys(given)
        repeated = {key for key, count in Counter(keys).items() if count > 1}
        frame, rows = read_changed(database, source, since, zone)
        read = set(source_keys(frame["source_key"])) if "source_key" in frame.columns else set()
        wanted = {key: value for key, value in zip(keys, given)
                  if key in repeated or (key not in live and key not in read)}
        if wanted:
            if repeated and not frame.empty:
                keep = [key not in repeated for key in source_keys(frame["source_key"])]
                frame, rows = frame[keep].reset_index(drop=True), [row for row, kept in zip(rows, keep) if kept]
            more, more_rows = read_rows(database, source, list(wanted.values()))
            frame = pd.concat([frame, more], ignore_index=True) if not frame.empty else more
            rows = rows + more_rows
        rows = name_repeated(frame, rows, repeated)
    finally:
        database.dispose()
    return frame, rows, set(keys)
