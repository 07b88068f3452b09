"""Writing synced bills: insert new ones, rewrite only those that changed, mark the vanished deleted."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pantau import billvas
from pantau.models import Applicant, Bill, BillQuarantine, Student

from .masters import ensure_prodi

BATCH = 5_000
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
MUTABLE = ("kind", "student_id", "applicant_id", "payer_name", "prodi_id", "angkatan", "semester", "amount",
           "va_number", "due_date", "app_paid", "app_paid_at", "app_paid_amount", "source_updated_at", "nim",
           "prodi_code")


def watermark(connection: Connection, source: str) -> datetime | None:
    """The newest change time already synced from ``source``."""
    return connection.scalar(select(func.max(Bill.source_updated_at)).where(Bill.source == source))


def upsert(connection: Connection, records: pd.DataFrame, source: str, now: datetime,
           space: str | None = None, today: date | None = None) -> int:
    """Insert or update ``records`` (from :func:`records.normalise`) as bills of ``source`` in the key
    space ``space`` (the source's own when None); returns the bills written.

    A bill is its number in its key space: the same number from a source of another key space is
    another bill. An existing bill is rewritten only when one of its fields differs, so a sync that
    reads a row again (at its watermark, or a whole export) writes nothing for it. A bill that was
    deleted and comes back is live again. A bill's ``issued_on`` is the source's issue date when the row gives
    one, else it keeps the one it has, and a new bill without one is issued on ``today`` (its first sync).
    """
    if records.empty:
        return 0
    rows = _rows(connection, records, source, space or source, now)
    insert = _INSERTS[connection.dialect.name](Bill)
    changed = [getattr(Bill, name).is_distinct_from(getattr(insert.excluded, name)) for name in MUTABLE]
    changed.append(Bill.deleted_at.is_not(None))
    changed.append(and_(insert.excluded.issued_on.is_not(None),
                        Bill.issued_on.is_distinct_from(insert.excluded.issued_on)))
    statement = insert.on_conflict_do_update(
        index_elements=["source_key", "key_space"],
        set_={**{name: getattr(insert.excluded, name) for name in MUTABLE}, "source": insert.excluded.source,
              "synced_at": insert.excluded.synced_at, "deleted_at": None,
              "issued_on": func.coalesce(insert.excluded.issued_on, Bill.issued_on)},
        where=or_(*changed),
    ).returning(Bill.id)
    written: list[int] = []
    for first in range(0, len(rows), BATCH):
        written.extend(connection.scalars(statement, rows[first:first + BATCH]))
    undated = (today or now.date()) if any(row["issued_on"] is None for row in rows) else None
    for first in range(0, len(written) if undated else 0, BATCH):
        connection.execute(update(Bill).where(Bill.id.in_(written[first:first + BATCH]), Bill.issued_on.is_(None))
                           .values(issued_on=undated))
    ids = _ids(connection, [row["source_key"] for row in rows], space or source)
    moved = set(billvas.replace(connection, {ids[key]: list(vas) for key, vas in zip(records["source_key"],
                                                                                    records["vas"])}))
    moved -= set(written)
    for part in _batches(sorted(moved)):
        connection.execute(update(Bill).where(Bill.id.in_(part)).values(synced_at=now))
    return len(written) + len(moved)


def _ids(connection: Connection, keys: list[str], space: str) -> dict[str, int]:
    """Bill number -> id of the bills of ``space`` with these numbers."""
    found = {}
    for part in _batches(keys):
        found.update(connection.execute(select(Bill.source_key, Bill.id)
                                        .where(Bill.key_space == space, Bill.source_key.in_(part))).all())
    return found


def _batches(items: list) -> list[list]:
    return [items[first:first + BATCH] for first in range(0, len(items), BATCH)]


def mark_deleted(connection: Connection, source: str, present: set[str], now: datetime,
                 space: str | None = None) -> int:
    """Mark the live bills of ``source`` whose numbers are not in ``present`` as deleted, and those it wrote
    in another key space than ``space`` (before its key space setting changed)."""
    space = space or source
    live = connection.execute(select(Bill.id, Bill.source_key, Bill.key_space)
                              .where(Bill.source == source, Bill.deleted_at.is_(None)))
    gone = sorted(bill for bill, key, key_space in live if key_space != space or key not in present)
    for first in range(0, len(gone), BATCH):
        connection.execute(update(Bill).where(Bill.id.in_(gone[first:first + BATCH]))
                           .values(deleted_at=now, synced_at=now))
    return len(gone)


def live_keys(connection: Connection, space: str) -> set[str]:
    """The numbers of the live bills of a key space (of whichever source wrote them)."""
    return set(connection.scalars(select(Bill.source_key).where(Bill.key_space == space, Bill.deleted_at.is_(None))))


def live_count(connection: Connection, source: str) -> int:
    return connection.scalar(select(func.count()).where(Bill.source == source, Bill.deleted_at.is_(None)))


def _rows(connection: Connection, records: pd.DataFrame, source: str, space: str, now: datetime) -> list[dict]:
    students = _students(connection, records["nim"])
    applicants = _lookup(connection, Applicant.reg_no, Applicant.id, records["reg_no"])
    prodi = ensure_prodi(connection, records["prodi"], source)
    rows = []
    for record in records.itertuples(index=False):
        student_id, student_prodi, student_year = students.get(record.nim, (None, None, None))
        rows.append({
            "source": source, "key_space": space, "source_key": record.source_key, "kind": record.kind,
            "student_id": student_id, "applicant_id": applicants.get(record.reg_no),
            "payer_name": record.payer_name or record.nim or record.reg_no or record.source_key,
            "prodi_id": prodi.get(record.prodi) or student_prodi, "angkatan": record.angkatan or student_year,
            "nim": record.nim, "prodi_code": record.prodi or "", "semester": record.semester,
            "amount": record.amount, "va_number": record.va_number, "due_date": record.due_date,
            "issued_on": record.issued_on,
            "app_paid": bool(record.paid), "app_paid_at": record.paid_at, "app_paid_amount": record.paid_amount,
            "source_updated_at": record.updated_at, "synced_at": now, "deleted_at": None,
        })
    return rows


def _students(connection: Connection, nims: pd.Series) -> dict[str, tuple]:
    """NIM -> (student id, programme id, intake year) of the students the records name."""
    needed = sorted({nim for nim in nims if nim})
    found = {}
    for first in range(0, len(needed), BATCH):
        found.update((nim, (sid, prodi, year)) for nim, sid, prodi, year in connection.execute(
            select(Student.nim, Student.id, Student.prodi_id, Student.angkatan)
            .where(Student.nim.in_(needed[first:first + BATCH]))))
    return found


def _lookup(connection: Connection, key, value, wanted: pd.Series) -> dict:
    needed = sorted({item for item in wanted if item})
    found = {}
    for first in range(0, len(needed), BATCH):
        found.update(connection.execute(select(key, value).where(key.in_(needed[first:first + BATCH]))).all())
    return found


def quarantined_keys(connection: Connection, source: str) -> set[str]:
    """The numbers of the source's rows set aside by its latest sync (read again by the next)."""
    return set(connection.scalars(select(BillQuarantine.source_key).where(
        BillQuarantine.source == source, BillQuarantine.source_key.is_not(None))))


def replace_quarantine(connection: Connection, source: str, problems: list, now: datetime) -> None:
    """The source's quarantine becomes ``problems`` (:class:`records.BillDataError`); a row already set aside
    for the same field keeps the time it was first seen."""
    seen = dict(((row, field), first) for row, field, first in connection.execute(
        select(BillQuarantine.row, BillQuarantine.field, BillQuarantine.first_seen_at)
        .where(BillQuarantine.source == source)))
    connection.execute(delete(BillQuarantine).where(BillQuarantine.source == source))
    rows = [{"source": source, "query": (problem.query or "")[:64] or None, "row": problem.row[:200],
             "source_key": problem.key, "field": problem.field[:32], "column": str(problem.column)[:64],
             "value": None if problem.value is None else str(problem.value)[:200], "reason": problem.reason[:400],
             "first_seen_at": seen.get((problem.row[:200], problem.field[:32]), now), "last_seen_at": now}
            for problem in problems]
    for first in range(0, len(rows), BATCH):
        connection.execute(BillQuarantine.__table__.insert(), rows[first:first + BATCH])
