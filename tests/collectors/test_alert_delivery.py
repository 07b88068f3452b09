"""The `alerts` collector mails new alerts and reminders to the loopback SMTP server, end to end."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collectors.registry import build
from collectors.scheduler import run_once
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import AlertDelivery, utcnow
from pantau.settings import AlertChannel, AlertSettings, Settings

DOWN = dict(
    dedup_key="monitor:h2h:down", source="monitors", role="kepala_it", title="Mati: server-h2h", severity="critical"
)


def test_alertcol001_new_alerts_and_reminders_reach_the_it_head_by_email(tmp_path, engine, smtp_server):
    channel = AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"], name="surel-it")
    settings = Settings(
        data_dir=tmp_path,
        alerts=AlertSettings(channels=[channel], reminder_minutes=30, deliver_every_s=15),
    )
    earlier = utcnow() - timedelta(minutes=45)
    with session_scope(engine) as session:
        raise_alert(session, **DOWN, now=earlier)
        session.flush()
        session.scalars(select(AlertDelivery)).one().sent_at = earlier
        raise_alert(session, dedup_key="host:disk:/var", source="host", role="kepala_it", title="Disk /var 93%")

    [first] = run_once(settings, engine, names=["alerts"])
    [second] = run_once(settings, engine, names=["alerts"])

    assert (first.ok, first.items) == (True, 2)
    assert first.message == "1 reminders queued; 2 sent, 0 failed, 0 without a channel"
    assert (second.ok, second.items) == (True, 0)
    assert sorted((m["To"], m["Subject"]) for m in smtp_server.messages) == [
        ("kepala.it@kampus.ac.id", "[KRITIS] Pengingat: Mati: server-h2h"),
        ("kepala.it@kampus.ac.id", "[PERINGATAN] Disk /var 93%"),
    ]


def test_alertcol002_the_delivery_interval_comes_from_the_settings(tmp_path, engine):
    settings = Settings(data_dir=tmp_path, alerts=AlertSettings(deliver_every_s=15))
    [collector] = build(settings, engine, names=["alerts"])
    assert collector.interval_s == 15
