"""Alerts for open steps at risk or breached, to the role that performs the step (operators: those of the
units the step is assigned to, as the SLA page shows it).

One alert per step of a case and state: `sla:<case id>:<step key>:at_risk` is cleared when the
step completes, or when it is breached and `...:breached` opens instead. Steps an outside party
performs are shown apart and raise no alert: nobody at the institution can act on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.i18n import translate
from pantau.models import Alert, SopCase, utcnow
from pantau.models.workflow import StepResult
from pantau.sla.context import SlaContext
from pantau.sla.measure import AT_RISK, BREACHED
from pantau.sops.names import sop_label

SOURCE = "sla"


@dataclass(frozen=True)
class AlertSync:
    """Alerts opened and cleared by one pass, and how many SLA alerts are live after it."""

    raised: int
    cleared: int
    live: int


def sync_alerts(session: Session, ctx: SlaContext, *, now: datetime | None = None, language: str = "id") -> AlertSync:
    """Open an alert for each open step at risk or breached at `now`, and clear the alerts of steps
    that are no longer in that state."""
    now = now or utcnow()
    state = case((StepResult.due_at < now, BREACHED), else_=AT_RISK)
    rows = session.execute(
        select(StepResult.case_id, StepResult.sop_code, StepResult.step_key, StepResult.performer_role,
               StepResult.unit, StepResult.due_at, SopCase.case_ref, state.label("state"))
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(StepResult.completed_at.is_(None), StepResult.outside_party.is_(False), StepResult.risk_at <= now)
    ).all()
    wanted = {f"{SOURCE}:{row.case_id}:{row.step_key}:{row.state}": row for row in rows}
    live = set(session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES))))
    for key in sorted(wanted.keys() - live):
        row = wanted[key]
        raise_alert(session, dedup_key=key, source=SOURCE, role=row.performer_role,
                    words=lambda lang, row=row: _words(ctx, row, lang), lang=language,
                    severity="critical" if row.state == BREACHED else "warning", link=f"/sla?case={row.case_id}",
                    now=now, sop_code=row.sop_code, step_key=row.step_key)
    gone = sorted(live - wanted.keys())
    note = translate("The step was completed, or its state changed.", language)
    for key in gone:
        clear_condition(session, key, note=note, now=now)
    return AlertSync(len(wanted.keys() - live), len(gone), len(wanted))


def _words(ctx: SlaContext, row, language: str) -> tuple[str, str]:
    sop = ctx.catalogue.get(row.sop_code)
    step = sop.step(row.step_key) if sop else None
    name = step.name if step else row.step_key
    number = step.number if step else "?"
    zone = ctx.calendar.config.timezone
    template = (
        "{sop}, case {case}: step {number} is past its standard time"
        if row.state == BREACHED
        else "{sop}, case {case}: step {number} is at risk of passing its standard time"
    )
    title = translate(template, language, sop=sop_label(row.sop_code, ctx.catalogue), case=row.case_ref,
                      number=number)
    body = translate(
        "Step: {step}\nUnit: {unit}\nDue: {due}", language,
        step=name, unit=row.unit, due=formatting.moment(row.due_at, language, zone),
    )
    return title, body
