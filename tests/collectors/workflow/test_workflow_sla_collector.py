"""The `sla` collector on the scheduler: measures cases written by other means, raises alerts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from collectors.scheduler import run_once
from pantau.models import Alert, CollectorRun, SopCase, StepEvent, utcnow
from pantau.models.workflow import StepResult
from pantau.settings import Settings


def test_slac001_scheduled_run_measures_pending_cases_and_alerts_the_performer_role(store):
    opened = utcnow() - timedelta(days=10)
    with store.begin() as connection:
        case_id = connection.execute(insert(SopCase).values(
            sop_code="H2H", case_ref="H2H-77", opened_at=opened, source="demo",
            attrs={}).returning(SopCase.id)).scalar_one()
        connection.execute(insert(StepEvent).values(
            event_uid="demo:1", case_id=case_id, step_key="pembayaran", started_at=opened,
            completed_at=opened + timedelta(minutes=30), outcome="ya", received_at=opened))
    outcome, = run_once(Settings(), store, names=["sla"])
    assert outcome.ok, outcome.message
    assert outcome.message.startswith("1 cases measured (2 steps); alerts: 1 raised")
    with store.connect() as connection:
        state = connection.scalar(select(StepResult.state).where(StepResult.step_key == "pengecekan_pembayaran"))
        alert = connection.execute(select(Alert.role, Alert.severity, Alert.dedup_key)).one()
        recorded = connection.scalar(select(CollectorRun.collector))
    assert state == "open"
    assert tuple(alert) == ("bendahara", "critical", f"sla:{case_id}:pengecekan_pembayaran:breached")
    assert recorded == "sla"
    second, = run_once(Settings(), store, names=["sla"])
    assert "0 cases measured" in second.message and "0 raised" in second.message
