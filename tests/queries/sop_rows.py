"""Hand-written SOP cases with the step results the SLA engine would have stored for them, so query
tests can assert exact counts, medians and states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pantau.models import SopCase
from pantau.models.workflow import StepResult

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


@dataclass
class Step:
    """One step result: completed steps are met or breached by `completed` against `due`; open ones
    keep their due time; `allowed`/`elapsed` default to the wall-clock spans."""

    key: str
    number: int
    started: datetime
    completed: datetime | None = None
    due: datetime | None = None
    outcome: str | None = None
    outside: bool = False
    elapsed_s: int | None = None


def add_case(session: Session, sop: str, ref: str, opened: datetime, steps: list[Step], *, attrs: dict | None = None,
             flow: str | None = None, subject: str | None = None, unit: str = "Unit") -> int:
    case = SopCase(sop_code=sop, case_ref=ref, flow=flow, unit=unit, subject=subject or ref, opened_at=opened,
                   attrs=attrs or {}, evaluated_at=opened)
    session.add(case)
    session.flush()
    for step in steps:
        done = step.completed
        allowed = int((step.due - step.started).total_seconds()) if step.due else None
        elapsed = step.elapsed_s if step.elapsed_s is not None else (
            int((done - step.started).total_seconds()) if done else None)
        if done is None:
            state = "waiting" if step.outside else "open"
        elif step.due is None:
            state = "done"
        else:
            state = "met" if done <= step.due else "breached"
        session.add(StepResult(
            case_id=case.id, sop_code=sop, flow=flow, step_key=step.key, step_number=step.number,
            performer_role="operator", unit=unit, outcome=step.outcome, outside_party=step.outside,
            measured=step.due is not None, started_at=step.started, completed_at=done, due_at=step.due,
            risk_at=step.started + (step.due - step.started) * 0.8 if step.due else None, elapsed_s=elapsed,
            allowed_s=allowed, state=state, month=done.astimezone(WIB).strftime("%Y-%m") if done else None,
        ))
    return case.id

