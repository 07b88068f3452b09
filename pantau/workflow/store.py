"""Storing validated step events: cases made or widened, events added once, cases measured at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau import audit
from pantau.models import SopCase, StepEvent, utcnow
from pantau.sla.context import SlaContext
from pantau.sla.engine import evaluate_cases
from pantau.sops.versions import latest_versions

from .history import check_history
from .records import EventRecord

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_CHUNK = 500


class EventConflict(ValueError):
    """An event that contradicts what is stored: another content under the same event id, or a step
    of another flow than its case's. `index` is the event's position in the batch, `field` the field
    at fault where one is (`EventOutOfOrder`)."""

    field: str | None = None

    def __init__(self, index: int, message: str) -> None:
        self.index = index
        super().__init__(message)


class EventOutOfOrder(EventConflict):
    """An event whose step would complete before it starts, with the step's other events (stored or in
    the batch): a completion before the step's start, or a start after its completion."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(index, message)
        self.field = field


@dataclass(frozen=True)
class IngestReport:
    """Events received, newly stored and already known (duplicates); cases touched; step results written."""

    received: int
    stored: int
    duplicates: int
    cases: int
    steps: int

    def as_dict(self) -> dict[str, int]:
        return {"received": self.received, "stored": self.stored, "duplicates": self.duplicates,
                "cases": self.cases, "steps": self.steps}


def store_events(
    session: Session,
    records: Sequence[EventRecord],
    ctx: SlaContext,
    *,
    prefix: str,
    recorded_by: str,
    uid_with_content: bool = False,
    source: str = "import",
    now: datetime | None = None,
    refuse_disorder: bool = True,
) -> IngestReport:
    """Store `records` in the caller's transaction and measure the cases they touch.

    Event uids are `prefix:<event id>` (see `EventRecord.uid`). An event whose uid is already stored
    with the same content is a duplicate and changes nothing; with other content it is an
    `EventConflict`, and so is a step outside its case's flow: the caller's transaction should then
    roll back. New cases are opened at their earliest event; an earlier event moves the opening back.

    An event that changes a step's stored start or completion is stored as a correction (flagged, and
    audited as `events.correction` naming the old and new values), never overwriting the earlier event.
    With `refuse_disorder` (the default), an event that would make its step complete before it starts is
    `EventOutOfOrder`; without it (a polled source, which cannot be refused row by row) the step is stored
    and measured as a data error.
    """
    now = now or utcnow()
    uids = [record.uid(prefix, with_content=uid_with_content) for record in records]
    fresh = _unique_in_batch(records, uids)
    stored = _stored_contents(session, [uids[i] for i in fresh])
    new = []
    for index in fresh:
        known = stored.get(uids[index])
        if known is None:
            new.append(index)
        elif known != records[index].content():
            raise EventConflict(index,
                                f"event {records[index].event_id or uids[index]} is already stored with other content")
    cases = _cases(session, [records[i] for i in new], new, source)
    history = check_history(session, [(i, cases[(records[i].sop_code, records[i].case_ref)], records[i], uids[i])
                                      for i in new], refuse=refuse_disorder)
    if history.disorder is not None:
        index, field, message = history.disorder
        raise EventOutOfOrder(index, field, message)
    rows = [
        dict(event_uid=uids[i], case_id=cases[(records[i].sop_code, records[i].case_ref)], step_key=records[i].step_key,
             started_at=records[i].started_at, completed_at=records[i].completed_at, performer=records[i].performer,
             outcome=records[i].outcome, channel=records[i].channel, recorded_by=recorded_by, received_at=now,
             correction=i in history.corrections)
        for i in new
    ]
    for i in sorted(history.corrections):
        record = records[i]
        audit.record(session, recorded_by, "events.correction",
                     f"{record.sop_code}/{record.case_ref}/{record.step_key}",
                     {"event": uids[i], **history.corrections[i]}, at=now)
    insert = _INSERTS[session.get_bind().dialect.name]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(StepEvent).on_conflict_do_nothing(index_elements=["event_uid"]),
                        rows[start : start + _CHUNK])
    touched = sorted(set(cases.values()))
    steps = evaluate_cases(session, touched, ctx, now=now) if touched else 0
    return IngestReport(len(records), len(new), len(records) - len(new), len(touched), steps)


def _unique_in_batch(records: Sequence[EventRecord], uids: list[str]) -> list[int]:
    first: dict[str, int] = {}
    for index, uid in enumerate(uids):
        if uid not in first:
            first[uid] = index
        elif records[first[uid]].content() != records[index].content():
            raise EventConflict(index, f"event {records[index].event_id or uid} appears twice with different content")
    return sorted(first.values())


def _stored_contents(session: Session, uids: list[str]) -> dict[str, tuple]:
    contents: dict[str, tuple] = {}
    for start in range(0, len(uids), _CHUNK):
        rows = session.execute(
            select(StepEvent.event_uid, SopCase.sop_code, SopCase.case_ref, StepEvent.step_key, StepEvent.started_at,
                   StepEvent.completed_at, StepEvent.performer, StepEvent.outcome)
            .join(SopCase, SopCase.id == StepEvent.case_id)
            .where(StepEvent.event_uid.in_(uids[start : start + _CHUNK]))
        ).all()
        for row in rows:
            record = EventRecord(row.sop_code, row.case_ref, row.step_key, None, row.started_at, row.completed_at,
                                 performer=row.performer, outcome=row.outcome)
            contents[row.event_uid] = record.content()
    return contents


def _cases(session: Session, records: list[EventRecord], indexes: list[int], source: str) -> dict[tuple[str, str], int]:
    """Ids of the records' cases, made where missing; openings moved back to the earliest event."""
    wanted: dict[tuple[str, str], list[tuple[int, EventRecord]]] = defaultdict(list)
    for index, record in zip(indexes, records):
        wanted[(record.sop_code, record.case_ref)].append((index, record))
    if not wanted:
        return {}
    insert = _INSERTS[session.get_bind().dialect.name]
    keys = list(wanted)
    started_on = latest_versions(session)
    for key in keys:
        items = wanted[key]
        first = min(moment for _, record in items for moment in record.times)
        flows = {record.flow for _, record in items}
        sample = next((record for _, record in items if record.unit or record.subject), items[0][1])
        session.execute(
            insert(SopCase)
            .values(sop_code=key[0], case_ref=key[1], flow=flows.pop() if len(flows) == 1 else None,
                    unit=sample.unit, subject=sample.subject, opened_at=first, source=source, attrs={},
                    sop_version=started_on.get(key[0]))
            .on_conflict_do_nothing(index_elements=["sop_code", "case_ref"])
        )
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), _CHUNK):
        part = keys[start : start + _CHUNK]
        for row in session.execute(
            select(SopCase.id, SopCase.sop_code, SopCase.case_ref, SopCase.flow, SopCase.opened_at, SopCase.unit,
                   SopCase.subject).where(tuple_(SopCase.sop_code, SopCase.case_ref).in_(part))
        ):
            key = (row.sop_code, row.case_ref)
            found[key] = row.id
            items = wanted[key]
            for index, record in items:
                if row.flow is not None and record.flow != row.flow:
                    raise EventConflict(index, f"case {row.case_ref} follows flow {row.flow}; "
                                               f"step {record.step_key} is in flow {record.flow}")
            first = min(moment for _, record in items for moment in record.times)
            changes = {}
            if first < row.opened_at:
                changes["opened_at"] = first
            for name in ("unit", "subject"):
                value = next((getattr(record, name) for _, record in items if getattr(record, name)), None)
                if getattr(row, name) is None and value:
                    changes[name] = value
            if changes:
                session.execute(update(SopCase).where(SopCase.id == row.id).values(**changes))
    return found
