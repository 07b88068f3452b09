"""The public status page's read side on SQLite and PostgreSQL: checks per campus day from the hour rollups,
the payment periods and the incident posts of published services only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

import queries.public_status as public
from pantau.db import session_scope
from pantau.models import AdmissionWave, Incident, Monitor, PaymentPeriodExtension, RollupHour
from pantau.models.billing import BillRollup
from pantau.statuspage import post_incident, publish_service

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 10.00 WIB


def test_pubq001_hours_fall_into_the_campus_day_they_belong_to(store):
    with session_scope(store) as session:
        monitor = Monitor(name="m", role="other", check="tcp", target="10.0.0.1:1", status="up")
        session.add(monitor)
        session.flush()
        monitor_id = monitor.id
    hours = [  # 6 Dec 16.00 UTC is 6 Dec 23.00 WIB; 6 Dec 17.00 UTC is 7 Dec 00.00 WIB
        (datetime(2026, 12, 6, 16, tzinfo=UTC), 50, 10, 0),
        (datetime(2026, 12, 6, 17, tzinfo=UTC), 60, 0, 0),
        (datetime(2026, 12, 7, 2, tzinfo=UTC), 30, 0, 30),
        (datetime(2026, 9, 1, 2, tzinfo=UTC), 60, 0, 0),  # before the window
    ]
    with store.begin() as connection:
        connection.execute(insert(RollupHour), [
            {"monitor_id": monitor_id, "bucket": at, "count": up + down + kept, "up": up, "down": down,
             "maintenance": kept} for at, up, down, kept in hours])
    frame = public.daily_uptime(store, [monitor_id], days=30, zone="Asia/Jakarta", now=NOW)
    got = {row.day: (row.up, row.down, row.maintenance) for row in frame.itertuples()}
    assert got == {date(2026, 12, 6): (50, 10, 0), date(2026, 12, 7): (90, 0, 30)}


def test_pubq002_payment_periods_running_or_recently_ended_with_extensions(store):
    with session_scope(store) as session:
        waves = [AdmissionWave(code=code, name=name, year=2026, opens_on=opens, closes_on=date(2026, 12, 31),
                               payment_deadline=deadline)
                 for code, name, opens, deadline in (("G1", "Gelombang 1", date(2026, 6, 1), date(2026, 8, 1)),
                                                     ("G2", "Gelombang 2", date(2026, 10, 1), date(2026, 12, 12)),
                                                     ("G3", "Gelombang 3", date(2027, 1, 5), date(2027, 2, 1)))]
        session.add_all(waves)
        session.flush()
        session.add(PaymentPeriodExtension(wave_id=waves[1].id, previous_deadline=date(2026, 12, 5),
                                           new_deadline=date(2026, 12, 12), recorded_by="b", recorded_at=NOW))
        for semester, due in (("20261", date(2026, 12, 1)), ("20261", date(2026, 12, 3)),
                              ("20252", date(2026, 2, 7))):
            session.add(BillRollup(semester=semester, kind="herregistrasi", due_date=due, app_state="unpaid",
                                   recon_state="unpaid", bills=1, billed=1, paid=0, received=0))
    periods, extensions = public.payment_periods(store, date(2026, 12, 7), recent_days=7)
    assert [(p.source, p.name, p.semester if isinstance(p.semester, str) else None, p.ends_on)
            for p in periods.itertuples()] == [
        ("bills", "herregistrasi", "20261", date(2026, 12, 3)),
        ("wave", "Gelombang 2", None, date(2026, 12, 12))]
    assert [(e.previous_deadline, e.new_deadline) for e in extensions.itertuples()] == [
        (date(2026, 12, 5), date(2026, 12, 12))]


def test_pubq003_posts_of_hidden_services_and_long_ended_incidents_are_left_out(store):
    with session_scope(store) as session:
        shown, hidden = (Monitor(name=n, role="other", check="tcp", target="10.0.0.1:1", status="up") for n in "ab")
        session.add_all([shown, hidden])
        session.flush()
        incidents = [Incident(monitor_id=shown.id, kind="down", started_at=NOW - timedelta(hours=2)),
                     Incident(monitor_id=shown.id, kind="down", started_at=NOW - timedelta(days=60),
                              ended_at=NOW - timedelta(days=59)),
                     Incident(monitor_id=hidden.id, kind="down", started_at=NOW - timedelta(hours=1))]
        session.add_all(incidents)
        session.flush()
        publish_service(session, monitor_id=shown.id, label="Shown", actor="a")
        publish_service(session, monitor_id=hidden.id, label="Hidden", actor="a")
        for number, incident in enumerate(incidents):
            post_incident(session, incident_id=incident.id, title=f"T{number}", state="investigating", note="n",
                          actor="a")
        publish_service(session, monitor_id=hidden.id, label="Hidden", published=False, actor="a")
    posts, notes = public.incident_posts(store, NOW - timedelta(days=30))
    assert posts["title"].tolist() == ["T0"]
    assert notes["post_id"].tolist() == posts["post_id"].tolist()
