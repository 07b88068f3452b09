"""One sync of one bill source, in one transaction: changed rows in, vanished bills marked deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pantau import audit
from pantau.models import utcnow

from .config import BillSource
from .reader import read_changed, read_export, read_keys, source_engine
from .records import BillDataError, normalise
from .store import live_count, mark_deleted, upsert, watermark

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
    stored, plus the list of every bill number to notice deletions. An export file is read whole.
    Raises :class:`BillDataError` (nothing stored) for a bad row, and for a source that suddenly
    gives no bills at all while the store has some, unless ``allow_empty`` is set. The audit log names
    ``actor`` (the collector, or the person at the command line).
    """
    now = now or utcnow()
    zone = source.zone(default_zone)
    if source.is_database:
        database = source_engine(source)
        try:
            with store.connect() as connection:
                since = watermark(connection, source.name)
            frame, rows = read_changed(database, source, since, zone)
            present = read_keys(database, source)
        finally:
            database.dispose()
        records = normalise(frame, source.name, zone, rows)
    else:
        frame, rows = read_export(source)
        records = normalise(frame, source.name, zone, rows)
        present = set(records["source_key"])
    with store.begin() as connection:
        if not present and not source.allow_empty and live_count(connection, source.name):
            raise BillDataError(source.name, "all rows", "source_key", None,
                                "the source gave no bills at all; not marking every bill deleted (allow_empty)")
        written = upsert(connection, records, source.name, now)
        deleted = mark_deleted(connection, source.name, present, now)
        report = SyncReport(source.name, len(records), written, deleted)
        if report.changed:
            with Session(bind=connection) as session:
                audit.record(session, actor, "bills.sync", f"source:{source.name}",
                             {"read": report.read, "written": written, "deleted": deleted})
                session.flush()
    return report
