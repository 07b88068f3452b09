"""Publishing on the public status page: the administrator's service labels, incident posts and notes, each
change in the audit log, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry, Incident, Monitor, StatusService, StatusUpdate, utcnow
from pantau.settings import Settings
from pantau.statuspage import PublishError, post_incident, post_update, publish_service, status_settings


def _monitor(session, name="h2h-bni") -> Monitor:
    monitor = Monitor(name=name, role="bank-link", check="tcp", target="10.1.2.3:8443", status="down")
    session.add(monitor)
    session.flush()
    return monitor


def test_pub001_a_service_is_published_relabelled_and_hidden_with_an_audit_entry_each(store):
    with session_scope(store) as session:
        monitor_id = _monitor(session).id
        publish_service(session, monitor_id=monitor_id, label="  Pembayaran   VA BNI ", label_en="BNI VA payments",
                        actor="admin1", ip="10.9.9.9")
    with session_scope(store) as session:
        publish_service(session, monitor_id=monitor_id, label="Pembayaran VA BNI", published=False, position=3,
                        actor="admin2")
    with session_scope(store) as session:
        service = session.scalar(select(StatusService))
        assert (service.label, service.label_en, service.published, service.position, service.updated_by) == (
            "Pembayaran VA BNI", None, False, 3, "admin2")
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action, e.target) for e in entries] == [("admin1", "status.service", "h2h-bni"),
                                                                  ("admin2", "status.service", "h2h-bni")]
        assert entries[0].detail["label"] == "Pembayaran VA BNI" and entries[0].ip == "10.9.9.9"
        assert entries[1].detail["published"] is False


def test_pub002_an_incident_post_needs_a_published_service_and_takes_notes_in_order(store):
    with session_scope(store) as session:
        monitor = _monitor(session)
        incident = Incident(monitor_id=monitor.id, kind="down", started_at=utcnow() - timedelta(hours=1),
                            cause="connect timeout to 10.1.2.3")
        session.add(incident)
        session.flush()
        incident_id, monitor_id = incident.id, monitor.id
    with session_scope(store) as session, pytest.raises(PublishError, match="not published"):
        post_incident(session, incident_id=incident_id, title="Gangguan", state="investigating", note="x",
                      actor="kit")
    with session_scope(store) as session:
        publish_service(session, monitor_id=monitor_id, label="Pembayaran VA BNI", actor="admin")
        post = post_incident(session, incident_id=incident_id, title="Pembayaran VA BNI terganggu",
                             state="investigating", note="Kami sedang memeriksa sambungan ke bank.", actor="kit")
        post_id = post.id
    with session_scope(store) as session:
        post_update(session, status_incident_id=post_id, state="resolved", note="Sudah normal kembali.",
                    note_en="Back to normal.", actor="admin")
        with pytest.raises(PublishError, match="has a post already"):
            post_incident(session, incident_id=incident_id, title="Lagi", state="identified", note="y", actor="kit")
    with session_scope(store) as session:
        notes = session.scalars(select(StatusUpdate).order_by(StatusUpdate.posted_at, StatusUpdate.id)).all()
        assert [(n.state, n.posted_by, n.note_en) for n in notes] == [("investigating", "kit", None),
                                                                    ("resolved", "admin", "Back to normal.")]
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "kit")).all()
        assert actions == ["status.incident.post", "status.incident.update"]


@pytest.mark.parametrize(("change", "problem"), [
    ({"label": "   "}, "label is empty"),
    ({"label": "x" * 81}, "longer than 80"),
    ({"monitor_id": 999}, "no monitor"),
])
def test_pub003_a_bad_publication_is_refused_and_nothing_is_stored(engine, change, problem):
    with session_scope(engine) as session:
        monitor_id = _monitor(session).id
    arguments = {"monitor_id": monitor_id, "label": "Pembayaran", "actor": "admin", **change}
    with session_scope(engine) as session, pytest.raises(PublishError, match=problem):
        publish_service(session, **arguments)
    with session_scope(engine) as session:
        assert session.scalar(select(StatusService)) is None
        assert session.scalar(select(AuditEntry)) is None


def test_pub004_an_update_state_must_be_a_public_state(engine):
    with session_scope(engine) as session:
        monitor = _monitor(session)
        incident = Incident(monitor_id=monitor.id, kind="down", started_at=utcnow())
        session.add(incident)
        session.flush()
        publish_service(session, monitor_id=monitor.id, label="Pembayaran", actor="admin")
        post = post_incident(session, incident_id=incident.id, title="T", state="identified", note="n", actor="a")
        with pytest.raises(PublishError, match="state 'fixed'"):
            post_update(session, status_incident_id=post.id, state="fixed", note="n", actor="a")


def test_pub005_the_status_section_is_typed_and_its_errors_name_the_field():
    options = status_settings(Settings(status={"cache_s": 5, "payment_closes_at": "15:30"}))
    assert (options.cache_s, options.payment_closes_at.hour, options.payment_closes_at.minute) == (5, 15, 30)
    with pytest.raises(ValueError, match="status.days"):
        status_settings(Settings(status={"days": 2}))
