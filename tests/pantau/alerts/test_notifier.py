"""Alert messages reach the people of the alert's role by real e-mail, and failed sends are retried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pantau.alerts import (
    absolute,
    acknowledge,
    clear_condition,
    compose,
    deliver_pending,
    enqueue_reminders,
    raise_alert,
    resolve,
)
from pantau.db import session_scope
from pantau.models import AlertDelivery
from pantau.settings import AlertChannel

T0 = datetime(2025, 3, 2, 1, 0, tzinfo=UTC)
DOWN = dict(
    dedup_key="monitor:h2h:down",
    source="monitors",
    role="kepala_it",
    title="Mati: server-h2h",
    severity="critical",
    body="Tidak menjawab 3 kali berturut-turut.",
    link="/server",
)


def parts(mail) -> tuple[str, str]:
    """The plain-text and the HTML alternative of a received mail."""
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def refused_channel(port: int, name: str = "") -> AlertChannel:
    """An e-mail channel whose SMTP server is down."""
    url = f"mailto://127.0.0.1:{port}?from=pantau@kampus.ac.id&to=kepala.it@kampus.ac.id&mode=insecure"
    return AlertChannel(url=url, roles=["kepala_it"], name=name)


def outbox(engine) -> list[AlertDelivery]:
    with session_scope(engine) as session:
        return list(session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)))


def test_notify001_a_new_alert_is_mailed_to_its_role_and_to_catch_all_channels(engine, smtp_server):
    channels = [
        AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"], name="surel-it"),
        AlertChannel(url=smtp_server.mailto("bendahara@kampus.ac.id"), roles=["bendahara"], name="surel-keuangan"),
        AlertChannel(url=smtp_server.mailto("piket@kampus.ac.id"), name="surel-piket"),
    ]
    with session_scope(engine) as session:
        raise_alert(session, **DOWN, now=T0)
    with session_scope(engine) as session:
        report = deliver_pending(session, channels, now=T0 + timedelta(seconds=30))

    assert (report.sent, report.failed, report.unrouted) == (1, 0, 0)
    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == ["kepala.it@kampus.ac.id", "piket@kampus.ac.id"]
    mail = next(message for message in smtp_server.messages if message["To"] == "kepala.it@kampus.ac.id")
    assert mail["From"].addresses[0].addr_spec == "pantau@kampus.ac.id"
    assert mail["Subject"] == "[KRITIS] Mati: server-h2h"
    plain, _ = parts(mail)
    assert plain.splitlines() == [
        "[KRITIS] Mati: server-h2h",
        "Tidak menjawab 3 kali berturut-turut.",
        "Sejak: 2 Mar 2025 08.00 WIB",
        "Buka halamannya di Pantau",
        "Atau buka alamat ini: /server",
    ]
    [delivery] = outbox(engine)
    assert (delivery.event, delivery.attempts, delivery.sent_at, delivery.error) == (
        "opened", 1, T0 + timedelta(seconds=30), None
    )
    with session_scope(engine) as session:
        assert deliver_pending(session, channels).sent == 0
    assert len(smtp_server.messages) == 2


def test_notify002_reminders_and_resolutions_say_so_in_the_subject(engine, smtp_server):
    channels = [AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"])]
    with session_scope(engine) as session:
        down, _ = raise_alert(session, **DOWN, now=T0)
        disk, _ = raise_alert(
            session, dedup_key="host:disk:/var", source="host", role="kepala_it", title="Disk /var 93%", now=T0
        )
    with session_scope(engine) as session:
        enqueue_reminders(session, every=timedelta(hours=1), now=T0 + timedelta(hours=1))
        clear_condition(session, DOWN["dedup_key"], now=T0 + timedelta(hours=1, minutes=12))
        acknowledge(session, disk.id, user="kepala.it")
        resolve(session, disk.id, user="kepala.it", note="log lama dihapus")
    with session_scope(engine) as session:
        assert deliver_pending(session, channels).sent == 6

    subjects = [message["Subject"] for message in smtp_server.messages]
    assert subjects == [
        "[KRITIS] Mati: server-h2h",
        "[PERINGATAN] Disk /var 93%",
        "[KRITIS] Pengingat: Mati: server-h2h",
        "[PERINGATAN] Pengingat: Disk /var 93%",
        "[PULIH] Mati: server-h2h",
        "[SELESAI] Disk /var 93%",
    ]
    recovered, closed = (parts(message)[0] for message in smtp_server.messages[4:])
    assert "Waktu: 2 Mar 2025 08.00 WIB – 2 Mar 2025 09.12 WIB" in recovered
    assert "Diselesaikan oleh: kepala.it" in closed and "Catatan: log lama dihapus" in closed


def test_notify003_messages_follow_the_language_setting(engine):
    with session_scope(engine) as session:
        alert, _ = raise_alert(session, **DOWN, now=T0)
        english = compose(alert, "reminder", language="en", zone="Asia/Makassar")
    assert english.title == "[CRITICAL] Reminder: Mati: server-h2h"
    assert "Still open since: 2 Mar 2025 9:00 AM WITA" in english.body
    assert "Link: /server" in english.body


def test_notify004_a_failing_channel_keeps_the_message_and_retries_it_later(engine, smtp_server, unused_tcp_port):
    broken = refused_channel(unused_tcp_port, name="surel-it")
    with session_scope(engine) as session:
        raise_alert(session, **DOWN, now=T0)
    with session_scope(engine) as session:
        report = deliver_pending(session, [broken])
    assert (report.sent, report.failed) == (0, 1)
    [delivery] = outbox(engine)
    assert (delivery.attempts, delivery.sent_at) == (1, None)
    assert delivery.error.startswith("surel-it: Connection error while submitting email")

    repaired = AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"], name="surel-it")
    with session_scope(engine) as session:
        report = deliver_pending(session, [repaired])
    assert (report.sent, report.failed) == (1, 0)
    [delivery] = outbox(engine)
    assert (delivery.attempts, delivery.error) == (2, None) and delivery.sent_at is not None
    assert [message["Subject"] for message in smtp_server.messages] == ["[KRITIS] Mati: server-h2h"]


def test_notify005_a_message_is_given_up_after_max_attempts(engine, unused_tcp_port):
    broken = refused_channel(unused_tcp_port)
    with session_scope(engine) as session:
        raise_alert(session, **DOWN, now=T0)
    failures = []
    for _ in range(3):
        with session_scope(engine) as session:
            failures.append(deliver_pending(session, [broken], max_attempts=2).failed)
    assert failures == [1, 1, 0]
    [delivery] = outbox(engine)
    assert (delivery.attempts, delivery.sent_at) == (2, None)


def test_notify006_an_alert_for_a_role_without_channel_is_closed_with_the_reason(engine, smtp_server):
    channels = [AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"])]
    with session_scope(engine) as session:
        raise_alert(
            session, dedup_key="bank:recon:overdue", source="bank", role="bendahara", title="Rekonsiliasi terlambat"
        )
    with session_scope(engine) as session:
        report = deliver_pending(session, channels)
    assert (report.sent, report.failed, report.unrouted) == (0, 0, 1)
    [delivery] = outbox(engine)
    assert delivery.error == "no channel for role bendahara" and delivery.sent_at is not None
    assert smtp_server.messages == []


def test_notify007_the_mail_links_to_the_page_under_public_url_with_a_laid_out_html_part(engine, smtp_server):
    channels = [AlertChannel(url=smtp_server.mailto("kepala.it@kampus.ac.id"), roles=["kepala_it"])]
    with session_scope(engine) as session:
        raise_alert(session, **{**DOWN, "body": "Tidak menjawab 3 kali.\nPing terakhir: waktu habis."}, now=T0)
    with session_scope(engine) as session:
        deliver_pending(session, channels, public_url="https://pantau.kampus.ac.id/")

    [mail] = smtp_server.messages
    plain, html = parts(mail)
    assert plain.splitlines() == [
        "[KRITIS] Mati: server-h2h",
        "Tidak menjawab 3 kali.",
        "Ping terakhir: waktu habis.",
        "Sejak: 2 Mar 2025 08.00 WIB",
        "Buka halamannya di Pantau",
        "Atau buka alamat ini: https://pantau.kampus.ac.id/server",
    ]
    assert "<h2" in html and "[KRITIS] Mati: server-h2h</h2>" in html
    assert "Tidak menjawab 3 kali.<br>Ping terakhir: waktu habis." in html
    assert '<a href="https://pantau.kampus.ac.id/server" style="display:inline-block' in html
    assert "<strong>2 Mar 2025 08.00 WIB</strong>" in html


def test_notify008_links_are_made_absolute_and_full_addresses_kept():
    assert absolute("/token", "https://pantau.kampus.ac.id") == "https://pantau.kampus.ac.id/token"
    assert absolute("/server?monitor=3", "https://kampus.ac.id/pantau/") == "https://kampus.ac.id/pantau/server?monitor=3"
    assert absolute("https://elsewhere.example/x", "https://pantau.kampus.ac.id") == "https://elsewhere.example/x"
    assert absolute(None, "https://pantau.kampus.ac.id") is None
    assert absolute("/token", "") == "/token"
