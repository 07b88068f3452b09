"""The public status page `/status`, `/status.json` and `/status.atom`: no log-in, Indonesian by default with
English on request, only what the administrator published (no monitor key, host, address, cause, alert, NIM
or name), served from a per-language cache that a publication drops; and the CSP header on it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select

from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import (
    AdmissionWave,
    Applicant,
    Incident,
    MaintenanceWindow,
    Monitor,
    PaymentPeriodExtension,
    ProbeSample,
    RollupHour,
    utcnow,
)
from pantau.models.billing import BillRollup
from pantau.statuspage import post_incident, post_update, publish_service

INTERNAL = ("h2h-bni-link", "payment-srv-01", "10.20.30.40", "pay.internal.kampus.ac.id", "connect timeout",
            "ALERT-BODY-SECRET", "Siti Rahmawati", "2301234567", "PMB2026", "Patch kernel db01")
"""Monitor keys, targets (host names and addresses), an incident's cause, an alert body, an applicant's name,
NIM and registration number, and a maintenance window's internal note: none may reach the public page."""
NIM = re.compile(r"\b\d{10}\b")


def _hours(monitor_id: int, now: datetime, days: int, down_day: int | None = None) -> list[dict]:
    """Hour rollups of `days` days up to now: all up, except half of the hours of `down_day` days ago."""
    rows, start = [], (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    hour = start
    while hour <= now:
        down = 30 if down_day is not None and (now - hour).days == down_day and hour.hour % 2 == 0 else 0
        rows.append({"monitor_id": monitor_id, "bucket": hour, "count": 60, "up": 60 - down, "down": down,
                     "maintenance": 0})
        hour += timedelta(hours=1)
    return rows


@pytest.fixture
def outage(web):
    """A campus during an outage of the BNI link: published payment server (up) and BNI link (down, posted
    about), an unpublished monitor, internal texts everywhere the page must not look."""
    now = utcnow()
    with session_scope(web.engine) as session:
        server = Monitor(name="payment-srv-01", role="payment-server", check="http", status="up",
                         target="https://pay.internal.kampus.ac.id/health", interval_s=60,
                         status_since=now - timedelta(days=3))
        link = Monitor(name="h2h-bni-link", role="bank-link", check="tcp", target="10.20.30.40:8443", status="down",
                       interval_s=60, status_since=now - timedelta(minutes=40))
        hidden = Monitor(name="core-switch", role="router", check="icmp", target="10.0.0.1", status="down")
        session.add_all([server, link, hidden])
        session.flush()
        for monitor in (server, link, hidden):
            session.add(ProbeSample(monitor_id=monitor.id, checked_at=now - timedelta(seconds=20),
                                    ok=monitor.status == "up", message="connect timeout to 10.20.30.40"))
        incident = Incident(monitor_id=link.id, kind="down", started_at=now - timedelta(minutes=40),
                            cause="connect timeout to 10.20.30.40:8443")
        session.add(incident)
        session.add(MaintenanceWindow(monitor_id=server.id, starts_at=now + timedelta(days=2),
                                      ends_at=now + timedelta(days=2, hours=2), note="Patch kernel db01"))
        session.add(MaintenanceWindow(monitor_id=hidden.id, starts_at=now + timedelta(days=1),
                                      ends_at=now + timedelta(days=1, hours=1), note="switch"))
        wave = AdmissionWave(code="G2-2026", name="Gelombang 2", year=2026, opens_on=date(2026, 1, 1),
                             closes_on=date(2099, 1, 1), payment_deadline=date(2099, 12, 12))
        session.add(wave)
        session.flush()
        session.add(PaymentPeriodExtension(wave_id=wave.id, previous_deadline=date(2099, 12, 5),
                                           new_deadline=date(2099, 12, 12), recorded_by="bendahara",
                                           recorded_at=now - timedelta(days=1), note="internal reason"))
        session.add(Applicant(reg_no="PMB2026000001", name="Siti Rahmawati", wave_id=wave.id, channel="bni",
                              arrived_at=now))
        session.add(BillRollup(semester="20991", kind="herregistrasi", due_date=date(2099, 8, 14),
                               app_state="unpaid", recon_state="unpaid", bills=3, billed=3, paid=0, received=0))
        session.add(BillRollup(semester="20201", kind="herregistrasi", due_date=date(2020, 8, 14),
                               app_state="unpaid", recon_state="unpaid", bills=1, billed=1, paid=0, received=0))
        raise_alert(session, dedup_key="x", source="monitors", role="kepala_it", severity="critical",
                    title="h2h-bni-link down", body="ALERT-BODY-SECRET 2301234567", now=now)
        publish_service(session, monitor_id=server.id, label="Server pembayaran", label_en="Payment server",
                        position=1, actor="admin")
        publish_service(session, monitor_id=link.id, label="Pembayaran VA BNI", label_en="BNI VA payments",
                        position=2, actor="admin")
        post = post_incident(session, incident_id=incident.id, title="Pembayaran lewat VA BNI gagal",
                             title_en="BNI VA payments fail", state="investigating",
                             note="Sambungan ke BNI terputus; kami sedang memeriksanya.", actor="kepala")
        post_update(session, status_incident_id=post.id, state="identified", note="Penyebab ditemukan di sisi bank.",
                    note_en="The cause is at the bank.", actor="admin")
        ids = {"server": server.id, "link": link.id}
    with web.engine.begin() as connection:
        connection.execute(insert(RollupHour),
                           _hours(ids["server"], now, 95, down_day=10) + _hours(ids["link"], now, 95))
    return ids


def test_status001_the_page_opens_without_log_in_in_indonesian_with_the_outage(web, outage):
    response = web.client().get("/status")
    assert response.status_code == 200
    page = response.text
    assert "Pembayaran VA BNI" in page and "terganggu" in page and "Sebagian layanan terganggu" in page
    assert re.search(r"Server pembayaran</span>\s*<span[^>]*state-operational[^>]*>(?:(?!</span>).)*normal</span>",
                     page, re.S)
    assert re.search(r"Pembayaran VA BNI</span>\s*<span[^>]*state-disrupted[^>]*>(?:(?!</span>).)*terganggu</span>",
                     page, re.S)
    assert "Pembayaran lewat VA BNI gagal" in page and "Penyebab ditemukan di sisi bank." in page
    assert "Periode pembayaran Gelombang 2 berakhir 12 Des 2099 pukul 16.00 WIB" in page
    assert "Periode pembayaran herregistrasi 2099/2100 ganjil berakhir 14 Agu 2099 pukul 16.00 WIB" in page
    assert "2020/2021" not in page  # a period that ended long before the last few days
    assert "Diperpanjang dari 5 Des 2099 menjadi 12 Des 2099" in page
    assert "Pemeliharaan terjadwal Server pembayaran" in page
    assert "Data terakhir diperbarui" in page
    assert page.count('class="day-') == 2 * 90
    assert 'class="day-bad"' in page  # the server's day with half its hours down


def test_status002_english_by_cookie_and_by_query(web, outage):
    client = web.client()
    assert "BNI VA payments fail" in client.get("/status?lang=en").text
    client.get("/lang/en?next=/status")
    page = client.get("/status").text
    assert "BNI VA payments: disrupted" not in page  # label and state are shown apart on the page
    assert "BNI VA payments" in page and "disrupted" in page and "The cause is at the bank." in page
    assert "Payment period Gelombang 2 ends 12 Dec 2099 at 4:00\u202fPM WIB" in page or \
        "Payment period Gelombang 2 ends 12 Dec 2099 at 4:00 PM WIB" in page


def test_status003_json_says_the_same_in_plain_fields(web, outage):
    body = web.client().get("/status.json").get_json()
    assert body["language"] == "id" and body["overall"]["state"] == "disrupted"
    assert [(s["label"], s["state"], s["text"]) for s in body["services"]] == [
        ("Server pembayaran", "operational", "Server pembayaran: normal"),
        ("Pembayaran VA BNI", "disrupted", "Pembayaran VA BNI: terganggu")]
    assert len(body["services"][0]["days"]) == 90
    [incident] = body["incidents"]
    assert incident["state"] == "identified" and [u["state"] for u in incident["updates"]] == ["identified",
                                                                                                 "investigating"]
    periods = {period["name"]: period for period in body["periods"]}
    assert set(periods) == {"herregistrasi 2099/2100 ganjil", "Gelombang 2"}
    assert periods["Gelombang 2"]["extensions"][0]["to"] == "2099-12-12"
    assert periods["herregistrasi 2099/2100 ganjil"]["ends_at"] == "2099-08-14T16:00:00+07:00"
    english = web.client().get("/status.json?lang=en").get_json()
    assert english["services"][1]["text"] == "BNI VA payments: disrupted"


def test_status004_the_atom_feed_is_valid_and_carries_posts_maintenance_and_periods(web, outage):
    response = web.client().get("/status.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in feed.findall("a:entry", ns)]
    assert "Pembayaran VA BNI: Pembayaran lewat VA BNI gagal" in titles
    assert any(title.startswith("Pemeliharaan terjadwal Server pembayaran") for title in titles)
    assert any(title.startswith("Periode pembayaran Gelombang 2") for title in titles)
    for entry in feed.findall("a:entry", ns):
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=ns))


def test_status005_no_internal_identifier_or_personal_data_in_html_json_or_atom(web, outage):
    client = web.client()
    for path in ("/status", "/status.json", "/status.atom", "/status?lang=en", "/status.json?lang=en"):
        text = client.get(path).text
        for secret in INTERNAL:
            assert secret not in text, f"{path} shows {secret!r}"
        assert not NIM.search(text), f"{path} shows a NIM-like number"
        assert "core-switch" not in text and "switch" not in text.lower().replace("switch=", "")


def test_status006_refreshes_cost_the_store_nothing_until_a_publication(web, outage):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(web.engine, "before_cursor_execute", listener)
    try:
        client = web.client()
        client.get("/status")
        built = len(statements)
        assert built > 0
        for _ in range(20):
            client.get("/status")
            client.get("/status.json")
        assert len(statements) == built, "refreshes read nothing more"
        from dashboard import public_status

        with web.app.server.app_context():
            public_status.invalidate()
        assert "Pembayaran VA BNI" in client.get("/status").text
        assert len(statements) > built, "a publication makes the next request read again"
    finally:
        event.remove(web.engine, "before_cursor_execute", listener)


def test_status007_served_under_the_security_policy_and_cacheable(web, outage):
    response = web.client().get("/status")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script" not in response.text
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in response.headers


def test_status008_only_the_exact_paths_are_public(web):
    client = web.client()
    assert client.get("/status").status_code == 200
    assert client.get("/statusx").status_code == 302
    assert client.get("/status-publik").status_code == 302


def test_status009_an_empty_campus_says_nothing_is_published(web):
    page = web.client().get("/status").text
    assert "Belum ada layanan yang ditampilkan." in page
    assert web.client().get("/status.json").get_json()["overall"]["state"] == "none"


def test_status010_a_monitor_without_recent_checks_shows_no_recent_data(web, outage):
    with web.engine.begin() as connection:
        connection.execute(ProbeSample.__table__.delete())
    body = web.client().get("/status.json").get_json()
    assert {s["state"] for s in body["services"]} == {"unknown"}
    assert body["services"][0]["text"] == "Server pembayaran: belum ada data terbaru"


def test_status011_the_bar_is_of_campus_days(web, outage):
    body = web.client().get("/status.json").get_json()
    today = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Jakarta")).date()
    days = body["services"][0]["days"]
    assert days[-1]["date"] == today.isoformat() and days[0]["date"] == (today - timedelta(days=89)).isoformat()
    bad = [d for d in days if d["state"] == "bad"]
    assert len(bad) in (1, 2) and all("terganggu sekitar" in d["text"] for d in bad)


def test_status012_a_one_off_maintenance_is_not_called_recurring_beside_a_weekly_one(web, outage):
    with session_scope(web.engine) as session:
        link = session.scalar(select(Monitor.id).where(Monitor.name == "h2h-bni-link"))
        session.add(MaintenanceWindow(monitor_id=link, weekly_rule="SUN 01:00-03:00", note="rutin"))
    windows = web.client().get("/status.json").get_json()["maintenance"]
    assert sorted((w["service"], w["recurring"]) for w in windows) == [("Pembayaran VA BNI", True),
                                                                       ("Server pembayaran", False)], windows
    said = {w["service"]: w["text"] for w in windows}
    assert "(rutin)" not in said["Server pembayaran"] and said["Pembayaran VA BNI"].endswith("(rutin)")
