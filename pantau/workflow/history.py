"""New step events read against their step's history: which ones correct a stored value, and which would
make a step complete before it starts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.models import StepEvent
from pantau.sla.timeline import EventRow, merged_times

from .records import EventRecord

_CHUNK = 500

Item = tuple[int, int, EventRecord, str]
"""(position in the batch, case id, record, event uid) of a new event."""


@dataclass
class History:
    """`corrections` maps a new event's position to what it changes ({field: [before, after]});
    `disorder` is the first (position, field, message) of an event that makes its step end before it starts."""

    corrections: dict[int, dict[str, list[str | None]]] = field(default_factory=dict)
    disorder: tuple[int, str, str] | None = None


def check_history(session: Session, items: Sequence[Item], *, refuse: bool = True) -> History:
    """Read each new event, in batch order, against the stored events of its step and the batch's earlier ones."""
    history = History()
    if not items:
        return history
    steps = _stored(session, sorted({case_id for _, case_id, _, _ in items}))
    seq = 1 + max((row.seq for rows in steps.values() for row in rows), default=0)
    for position, (index, case_id, record, uid) in enumerate(items):
        events = steps[(case_id, record.step_key)]
        started, last = merged_times(events)
        changes: dict[str, list[str | None]] = {}
        if record.started_at is not None and started is not None and record.started_at != started:
            changes["started_at"] = [_text(started, record.started_at), _text(record.started_at)]
        if record.completed_at is not None and last is not None:
            if record.completed_at != last.completed_at:
                changes["completed_at"] = [_text(last.completed_at, record.completed_at), _text(record.completed_at)]
            if record.outcome and last.outcome and record.outcome != last.outcome:
                changes["outcome"] = [last.outcome, record.outcome]
        if changes:
            history.corrections[index] = changes
        events.append(EventRow(uid, record.step_key, record.started_at, record.completed_at, record.performer,
                               record.outcome, seq + position, correction=bool(changes)))
        if refuse and history.disorder is None:
            history.disorder = _disorder(index, record, events)
    return history


def _disorder(index: int, record: EventRecord, events: list[EventRow]) -> tuple[int, str, str] | None:
    started, last = merged_times(events)
    if started is None or last is None or last.completed_at >= started:
        return None
    where = f"step {record.step_key} of case {record.case_ref}"
    if record.completed_at is not None and last.completed_at == record.completed_at:
        return index, "completed_at", f"before the start of {where} ({_text(started, record.completed_at)})"
    return index, "started_at", f"after the completion of {where} ({_text(last.completed_at, record.started_at)})"


def _stored(session: Session, case_ids: list[int]) -> dict[tuple[int, str], list[EventRow]]:
    steps: dict[tuple[int, str], list[EventRow]] = defaultdict(list)
    for start in range(0, len(case_ids), _CHUNK):
        for row in session.execute(
            select(StepEvent.case_id, StepEvent.event_uid, StepEvent.step_key, StepEvent.started_at,
                   StepEvent.completed_at, StepEvent.performer, StepEvent.outcome, StepEvent.id,
                   StepEvent.correction).where(StepEvent.case_id.in_(case_ids[start : start + _CHUNK]))
        ):
            steps[(row.case_id, row.step_key)].append(EventRow(row.event_uid, row.step_key, row.started_at,
                                                               row.completed_at, row.performer, row.outcome,
                                                               row.id, bool(row.correction)))
    return steps


def _text(moment: datetime | None, like: datetime | None = None) -> str | None:
    """A moment as ISO 8601 to the minute, in the zone of `like` when given."""
    if moment is None:
        return None
    if like is not None and like.tzinfo is not None:
        moment = moment.astimezone(like.tzinfo)
    return moment.isoformat(timespec="minutes")
