"""One sync of one bill source, in one transaction: changed rows in, vanished bills marked deleted, bad rows set
aside in quarantine (or the whole sync refused when too many are bad)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pantau import audit
from pantau.billkinds import accepted_codes
from pantau.models import utcnow
from pantau.sources.errors import WORDS, describe_error

from .config import BillSource
from .masters import (
    PRODI_FIELDS,
    PRODI_QUERY,
    STUDENT_FIELDS,
    STUDENT_QUERY,
    backfill,
    master_records,
    read_master,
    store_prodi,
    store_students,
    unmapped_keys,
)
from .reader import name_repeated, read_changed, read_export, read_keys, read_rows, source_engine, source_keys
from .records import BillDataError, normalise
from .store import (
    live_count,
    live_keys,
    mark_deleted,
    quarantined_keys,
    replace_quarantine,
    upsert,
    watermark,
)

ACTOR = "bill-sync"
QUERY = "mapping query"
"""How errors name a database source's query (the bill rows' mapping query)."""


@dataclass(frozen=True)
class SyncReport:
    """What a sync read and wrote, and the rows it set aside."""

    source: str
    read: int
    written: int
    deleted: int
    quarantined: list[BillDataError] = field(default_factory=list)
    backfilled: int = 0
    master_rows: int = 0

    @property
    def changed(self) -> int:
        return self.written + self.deleted + self.backfilled


@dataclass
class Masters:
    """The master data a database source's own queries gave (programmes, students) and their bad rows."""

    prodi: list[dict] = field(default_factory=list)
    students: list[dict] = field(default_factory=list)
    problems: list[BillDataError] = field(default_factory=list)


class SourceUnreadable(Exception):
    """A source that could not be read (unreachable, log-in refused, a mapping query the database refuses):
    one line naming the source and the query, the driver's words without its traceback or SQL."""

    def __init__(self, source: str, query: str, error: BaseException) -> None:
        self.source, self.query = source, query
        self.orig = getattr(error, "orig", None) or error
        kind, detail = describe_error(error)
        self.kind, self.detail = kind, detail
        super().__init__(f"bill source {source!r} {WORDS.get(kind, WORDS['other'])} ({query}): {detail}")


class TooManyBadRows(BillDataError):
    """More of a source's rows are bad than its ``max_bad_percent``: nothing of the sync is stored."""

    def __init__(self, source: BillSource, bad: list[BillDataError], total: int) -> None:
        share = 100 * len(bad) / max(total, 1)
        reason = (f"{len(bad)} of {total} rows are bad ({share:.1f} %), more than max_bad_percent "
                  f"{source.max_bad_percent:g} %; nothing was synced. First: {bad[0]}")
        super().__init__(source.name, "all rows", bad[0].field, None, reason)
        self.problems = bad


def sync_source(store: Engine, source: BillSource, default_zone: str, *, now: datetime | None = None,
                actor: str = ACTOR, quarantine: bool = False) -> SyncReport:
    """Bring the store's bills of ``source`` up to date with it.

    A database source is read incrementally: the rows whose change time is at or after the newest one
    stored, plus the list of every bill number to notice deletions; the rows of numbers the source gives
    that are not live in the store (a bill that came back, whatever its change time), of numbers set aside
    by the last sync and of numbers given twice are read as well. An export file is read whole. Bills are
    those of the source's key space.

    With ``quarantine`` (the collector, `pantau sync bills`) a bad row is set aside with its reason (the
    source's quarantine list is replaced) and the good rows land, unless more than ``max_bad_percent`` of
    the source's rows are bad: then :class:`TooManyBadRows` (the list is still kept). Without it, a bad
    row raises :class:`BillDataError` and nothing is stored. Either way a source that suddenly gives no
    bills at all while the store has some is refused unless ``allow_empty`` is set, and a source that
    cannot be read raises :class:`SourceUnreadable`. The audit log names ``actor``.
    """
    now = now or utcnow()
    zone = source.zone(default_zone)
    problems: list[BillDataError] | None = [] if quarantine else None
    with store.connect() as connection:
        kinds = accepted_codes(connection)
    masters = Masters()
    if source.is_database:
        frame, rows, present, total = _read_database(store, source, zone, masters)
        columns = {"updated_at": source.updated_column}
        records = normalise(frame, source.name, zone, rows, quarantine=problems, query=QUERY, columns=columns,
                            date_formats=tuple(source.date_formats), kinds=kinds)
    else:
        frame, rows = read_export(source)
        records = normalise(frame, source.name, zone, rows, quarantine=problems, columns=dict(source.columns),
                            date_formats=tuple(source.date_formats), kinds=kinds)
        present = set(records["source_key"]) | {problem.key for problem in problems or () if problem.key}
        total = len(frame)
    bad = problems or []
    if bad and len(bad) * 100 > source.max_bad_percent * max(total, 1):
        with store.begin() as connection:
            replace_quarantine(connection, source.name, bad, now)
        raise TooManyBadRows(source, bad, total)
    with store.begin() as connection:
        if not present and not source.allow_empty and live_count(connection, source.name):
            raise BillDataError(source.name, "all rows", "source_key", None,
                                "the source gave no bills at all; not marking every bill deleted (allow_empty)")
        master_bad = masters.problems if quarantine else []
        if masters.problems and not quarantine:
            raise masters.problems[0]
        mastered = store_prodi(connection, masters.prodi, source.name)
        mastered += store_students(connection, masters.students, source.name)
        written = upsert(connection, records, source.name, now, source.space,
                         today=now.astimezone(ZoneInfo(zone)).date())
        deleted = mark_deleted(connection, source.name, present, now, source.space)
        filled = backfill(connection, source.name)
        if quarantine:
            replace_quarantine(connection, source.name, bad + master_bad, now)
        report = SyncReport(source.name, len(records) + len(bad), written, deleted, bad + master_bad, filled,
                            mastered)
        if report.changed or report.quarantined or mastered:
            with Session(bind=connection) as session:
                audit.record(session, actor, "bills.sync", f"source:{source.name}",
                             {"read": report.read, "written": written, "deleted": deleted, "backfilled": filled,
                              "master_rows": mastered, "quarantined": len(report.quarantined)})
                session.flush()
    return report


def _read_database(store: Engine, source: BillSource, zone: str,
                   masters: Masters) -> tuple[pd.DataFrame, list[str], set[str], int]:
    """The rows to sync from a database source, their names, every bill number it gives now, and how many
    rows it gives; its master data goes to ``masters``."""
    try:
        database = source_engine(source, zone)
    except SQLAlchemyError as error:
        raise SourceUnreadable(source.name, QUERY, error) from None
    try:
        with store.connect() as connection:
            since = watermark(connection, source.name)
            live = (live_keys(connection, source.space) - quarantined_keys(connection, source.name)
                    - unmapped_keys(connection, source.name))
        _read_masters(database, source, masters)
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
    except SQLAlchemyError as error:
        raise SourceUnreadable(source.name, QUERY, error) from None
    finally:
        database.dispose()
    return frame, rows, set(keys), len(keys)


def _read_masters(database: Engine, source: BillSource, masters: Masters) -> None:
    for query, fields, name, target in ((source.prodi_query, PRODI_FIELDS, PRODI_QUERY, masters.prodi),
                                        (source.student_query, STUDENT_FIELDS, STUDENT_QUERY, masters.students)):
        if not query:
            continue
        try:
            frame = read_master(database, query)
        except SQLAlchemyError as error:
            raise SourceUnreadable(source.name, name, error) from None
        target.extend(master_records(frame, source.name, name, fields, masters.problems))

