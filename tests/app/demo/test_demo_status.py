"""The demo publishes a real status page (issue 20): services under plain-language labels, one past incident with
public notes posted while it happened, one scheduled maintenance, published as an administrator would (audited)
and only once; the public page and its JSON show them and nothing internal."""

from __future__ import annotations

import re

from demo_helpers import NOW
from sqlalchemy import select

from app.demo.statuspage import SERVICES, publish_demo_status
from pantau.models import AuditEntry, Incident, MaintenanceWindow, Monitor, StatusIncident, StatusUpdate
from pantau.settings import Settings


def test_demostatus001_the_demo_publishes_services_an_incident_and_a_maintenance_once(campus, tmp_path):
    from dashboard import create_app

    engine, _ = campus
    said = publish_demo_status(engine, "Asia/Jakarta", NOW)
    assert re.fullmatch(r"\d+ services published, 1 past incident posted, 1 maintenance window scheduled", said), said
    assert publish_demo_status(engine, "Asia/Jakarta", NOW) == "already published"

    settings = Settings(data_dir=tmp_path, database_url=engine.url.render_as_string(hide_password=False))
    client = create_app(settings, engine).server.test_client()
    with engine.connect() as connection:
        names = set(connection.scalars(select(Monitor.name)))
        targets = set(connection.scalars(select(Monitor.target)))
        audited = connection.execute(select(AuditEntry.actor, AuditEntry.action)).all()
        incident = connection.execute(select(Incident.started_at, Incident.ended_at, Monitor.name)
                                      .join(StatusIncident, StatusIncident.incident_id == Incident.id)
                                      .join(Monitor, Monitor.id == Incident.monitor_id)).one()
        notes = connection.execute(select(StatusUpdate.state, StatusUpdate.posted_at).order_by(StatusUpdate.id)).all()
        ahead = connection.execute(select(MaintenanceWindow.starts_at, MaintenanceWindow.weekly_rule)
                                   .where(MaintenanceWindow.note == "Pembaruan server pembayaran")).one()
    assert incident.name == "bank-link" and NOW.timestamp() - incident.ended_at.timestamp() < 30 * 86_400
    assert [state for state, _ in notes] == ["identified", "resolved"]
    assert incident.started_at <= notes[0].posted_at <= incident.ended_at < notes[1].posted_at, "posted as it happened"
    assert ahead.weekly_rule is None and 86_400 <= ahead.starts_at.timestamp() - NOW.timestamp() <= 8 * 86_400
    # the page is built from the real clock: look at what does not depend on it
    page = client.get("/status.json").get_json()
    labels = [service["label"] for service in page["services"]]
    assert labels == [label for name, label, _ in SERVICES if name in names] and len(labels) >= 2
    assert ("admin", "status.service") in audited and ("kepala.it", "status.incident.post") in audited
    html = client.get("/status").text
    for internal in names | targets:
        assert internal not in html and internal not in str(page), internal
    english = client.get("/status.json?lang=en").get_json()
    assert [service["label"] for service in english["services"]][:2] == ["Bill payments (payment server)",
                                                                          "BNI VA payments"]
