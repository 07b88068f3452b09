"""A person asks for a reminder of an open alert now: one queued message, audit-logged, not while one waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pantau.alerts import (
    AlertStateError,
    ReminderWaitingError,
    UnknownAlertError,
    acknowledge,
    enqueue_reminders,
    raise_alert,
    remind,
    resolve,
)
from pantau.db import session_scope
from pantau.models import AlertDelivery, AuditEntry

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DOWN = {"dedup_key": "monitor:h2h:down", "source": "monitors", "role": "kepala_it", "title": "Mati: server-h2h",
            "severity": "critical"}


def events(session, alert_id: int) -> list[tuple[str, bool]]:
    rows = session.execute(select(AlertDelivery.event, AlertDelivery.sent_at.is_not(None))
                           .where(AlertDelivery.alert_id == alert_id).order_by(AlertDelivery.id))
    return [tuple(row) for row in rows]


def test_remind001_queues_one_reminder_and_writes_the_audit_log(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
    with session_scope(store) as session:
        remind(session, alert.id, user="user.admin", ip="10.0.0.9", now=T0 + timedelta(minutes=5))
    with session_scope(store) as session:
        assert events(session, alert.id) == [("opened", False), ("reminder", False)]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "alert.remind")).one()
        assert (entry.actor, entry.target, entry.ip, entry.detail) == (
            "user.admin", f"alert:{alert.id}", "10.0.0.9", {"dedup_key": DOWN["dedup_key"]})


def test_remind002_not_while_a_reminder_waits_but_again_once_it_went_out(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
        remind(session, alert.id, user="user.admin", now=T0)
    with session_scope(store) as session, pytest.raises(ReminderWaitingError):
        remind(session, alert.id, user="user.admin", now=T0 + timedelta(minutes=1))
    with session_scope(store) as session:
        for delivery in session.scalars(select(AlertDelivery).where(AlertDelivery.alert_id == alert.id)):
            delivery.sent_at = T0 + timedelta(minutes=2)
    with session_scope(store) as session:
        remind(session, alert.id, user="user.admin", now=T0 + timedelta(minutes=3))
    with session_scope(store) as session:
        assert [event for event, _ in events(session, alert.id)] == ["opened", "reminder", "reminder"]


def test_remind003_only_open_alerts_and_only_known_ones(store):
    with session_scope(store) as session:
        taken, _ = raise_alert(session, **DOWN, now=T0)
        closed, _ = raise_alert(session, **{**DOWN, "dedup_key": "disk:/var"}, now=T0)
        acknowledge(session, taken.id, user="user.kepala_it")
        resolve(session, closed.id, user="user.kepala_it", note="dibersihkan")
    for alert_id in (taken.id, closed.id):
        with session_scope(store) as session, pytest.raises(AlertStateError):
            remind(session, alert_id, user="user.admin")
    with session_scope(store) as session, pytest.raises(UnknownAlertError):
        remind(session, 999_999, user="user.admin")


def test_remind004_a_reminder_asked_for_restarts_the_cadence(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
        remind(session, alert.id, user="user.admin", now=T0 + timedelta(minutes=50))
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=timedelta(hours=1), now=T0 + timedelta(minutes=60)) == 0
        assert enqueue_reminders(session, every=timedelta(hours=1), now=T0 + timedelta(minutes=110)) == 1
