"""One condition raises one alert; people acknowledge and resolve it; open alerts remind on a cadence."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pantau.alerts import (
    AlertStateError,
    UnknownAlertError,
    acknowledge,
    clear_condition,
    enqueue_reminders,
    raise_alert,
    resolve,
)
from pantau.db import session_scope
from pantau.models import Alert, AlertDelivery, AuditEntry

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DOWN = dict(
    dedup_key="monitor:h2h:down", source="monitors", role="kepala_it", title="Mati: server-h2h", severity="critical"
)


def deliveries(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(AlertDelivery.alert_id, AlertDelivery.event).order_by(AlertDelivery.id))
    return [tuple(row) for row in rows]


def test_alert001_same_condition_twice_is_one_alert_and_one_message(store):
    with session_scope(store) as session:
        first, created_first = raise_alert(session, **DOWN, body="3 kali gagal", now=T0)
    with session_scope(store) as session:
        again, created_again = raise_alert(session, **DOWN, body="5 kali gagal", now=T0 + timedelta(minutes=1))
    with session_scope(store) as session:
        assert (created_first, created_again) == (True, False)
        assert again.id == first.id
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
        alert = session.get(Alert, first.id)
        assert (alert.state, alert.body, alert.opened_at, alert.last_seen_at) == (
            "open", "5 kali gagal", T0, T0 + timedelta(minutes=1)
        )
        assert deliveries(session) == [(first.id, "opened")]


def test_alert002_condition_back_after_clearing_opens_a_new_alert(store):
    with session_scope(store) as session:
        first, _ = raise_alert(session, **DOWN, now=T0)
    with session_scope(store) as session:
        cleared = clear_condition(
            session, DOWN["dedup_key"], note="pulih setelah 12 menit", now=T0 + timedelta(minutes=12)
        )
        assert cleared.id == first.id
    with session_scope(store) as session:
        second, created = raise_alert(session, **DOWN, now=T0 + timedelta(hours=2))
    with session_scope(store) as session:
        assert created and second.id != first.id
        old = session.get(Alert, first.id)
        assert (old.state, old.resolved_by, old.resolved_at, old.resolution_note) == (
            "resolved", "system", T0 + timedelta(minutes=12), "pulih setelah 12 menit"
        )
        assert deliveries(session) == [(first.id, "opened"), (first.id, "resolved"), (second.id, "opened")]


def test_alert003_clearing_a_condition_without_alert_does_nothing(store):
    with session_scope(store) as session:
        assert clear_condition(session, "monitor:bank-link:down") is None
        assert session.scalar(select(func.count()).select_from(AlertDelivery)) == 0


def test_alert004_people_acknowledge_then_resolve_and_the_audit_log_says_who(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
    with session_scope(store) as session:
        acknowledge(session, alert.id, user="kepala.it", ip="10.0.0.7")
    with session_scope(store) as session:
        acked = session.get(Alert, alert.id)
        assert (acked.state, acked.acknowledged_by) == ("acknowledged", "kepala.it")
        assert acked.acknowledged_at is not None
        resolve(session, alert.id, user="kepala.it", note="  kabel H2H diganti ", ip="10.0.0.7")
    with session_scope(store) as session:
        done = session.get(Alert, alert.id)
        assert (done.state, done.resolved_by, done.resolution_note) == ("resolved", "kepala.it", "kabel H2H diganti")
        audit = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.ip).order_by(AuditEntry.id)
        ).all()
        assert [tuple(row) for row in audit] == [
            ("kepala.it", "alert.acknowledge", f"alert:{alert.id}", "10.0.0.7"),
            ("kepala.it", "alert.resolve", f"alert:{alert.id}", "10.0.0.7"),
        ]
        assert deliveries(session) == [(alert.id, "opened"), (alert.id, "resolved")]


def test_alert005_invalid_transitions_are_refused_with_a_clear_reason(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
        acknowledge(session, alert.id, user="kepala.it")
        with pytest.raises(AlertStateError, match=rf"alert {alert.id} is already acknowledged \(by kepala.it\)"):
            acknowledge(session, alert.id, user="operator1")
        with pytest.raises(ValueError, match="resolution note is required"):
            resolve(session, alert.id, user="kepala.it", note=" ")
        resolve(session, alert.id, user="kepala.it", note="selesai")
        with pytest.raises(AlertStateError, match=rf"alert {alert.id} is already resolved \(by kepala.it\)"):
            resolve(session, alert.id, user="kepala.it", note="lagi")
        with pytest.raises(AlertStateError, match="only open alerts can be acknowledged"):
            acknowledge(session, alert.id, user="kepala.it")
        with pytest.raises(UnknownAlertError, match="no alert with id 999"):
            acknowledge(session, 999, user="kepala.it")
        with pytest.raises(ValueError, match="role 'teknisi' is not one of"):
            raise_alert(session, **{**DOWN, "role": "teknisi"})
        with pytest.raises(ValueError, match="severity 'fatal' is not one of"):
            raise_alert(session, **{**DOWN, "severity": "fatal"})


def test_alert006_open_alerts_remind_on_the_configured_cadence_until_acknowledged(store):
    every = timedelta(minutes=60)
    with session_scope(store) as session:
        down, _ = raise_alert(session, **DOWN, now=T0)
        disk, _ = raise_alert(
            session, dedup_key="host:disk:/var", source="host", role="kepala_it", title="Disk /var 93%", now=T0
        )
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=every, now=T0 + timedelta(minutes=59)) == 0
        assert enqueue_reminders(session, every=every, now=T0 + timedelta(minutes=60)) == 2
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=every, now=T0 + timedelta(minutes=100)) == 0
        acknowledge(session, disk.id, user="kepala.it")
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=every, now=T0 + timedelta(minutes=120)) == 1
        clear_condition(session, DOWN["dedup_key"], now=T0 + timedelta(minutes=150))
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=every, now=T0 + timedelta(hours=10)) == 0
        assert [event for alert_id, event in deliveries(session) if alert_id == down.id] == [
            "opened", "reminder", "reminder", "resolved"
        ]
        assert [event for alert_id, event in deliveries(session) if alert_id == disk.id] == ["opened", "reminder"]


def test_alert008_reminders_count_from_when_the_message_actually_went_out(store):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
    with session_scope(store) as session:
        session.scalars(select(AlertDelivery)).one().sent_at = T0 + timedelta(minutes=40)
    with session_scope(store) as session:
        assert enqueue_reminders(session, every=timedelta(minutes=60), now=T0 + timedelta(minutes=61)) == 0
        assert enqueue_reminders(session, every=timedelta(minutes=60), now=T0 + timedelta(minutes=100)) == 1


def test_alert007_two_collector_cycles_racing_get_the_same_alert(store):
    racer_inserting = threading.Event()

    def note_racer_insert(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.current_thread().name == "racer" and statement.startswith("INSERT INTO alerts"):
            racer_inserting.set()

    winner = Session(store)
    first_id = raise_alert(winner, **DOWN, now=T0)[0].id
    outcome: dict[str, object] = {}

    def racing_cycle() -> None:
        with session_scope(store) as session:
            alert, created = raise_alert(session, **DOWN, body="siklus kedua", now=T0 + timedelta(seconds=1))
            outcome.update(id=alert.id, created=created)

    event.listen(store, "before_cursor_execute", note_racer_insert)
    racer = threading.Thread(target=racing_cycle, name="racer")
    racer.start()
    try:
        assert racer_inserting.wait(timeout=30), "the racing cycle never tried to insert"
    finally:
        winner.commit()
        winner.close()
        racer.join(timeout=60)
        event.remove(store, "before_cursor_execute", note_racer_insert)
    assert outcome == {"id": first_id, "created": False}
    with session_scope(store) as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
        assert session.get(Alert, first_id).body == "siklus kedua"
        assert deliveries(session) == [(first_id, "opened")]


def test_alert009_an_alert_raised_in_a_failed_unit_of_work_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError), session_scope(store) as session:
        raise_alert(session, **DOWN, now=T0)
        raise RuntimeError("the collector cycle failed after raising")
    with session_scope(store) as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
        assert session.scalar(select(func.count()).select_from(AlertDelivery)) == 0
