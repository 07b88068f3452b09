"""The `alerts` collector mails new alerts and reminders to the loopback SMTP server, end to end, in the same
pass as the collector that raised them, with names people use and links that open from a mail client."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collectors.registry import build
from collectors.scheduler import run_once, run_then_deliver
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import AdmissionWave, AlertDelivery, Applicant, CollectorRun, TokenMovement, utcnow
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


def _tokens_gone(engine, channel: str = "bank-bni") -> None:
    """An open wave whose tokens of `channel` are gone while four applicants wait for one."""
    now = utcnow()
    today = now.date()
    with session_scope(engine) as session:
        wave = AdmissionWave(code="PMB-G1", name="Gelombang 1", year=today.year, opens_on=today - timedelta(days=10),
                             closes_on=today + timedelta(days=20), payment_deadline=today + timedelta(days=25))
        session.add(wave)
        session.flush()
        for number in range(4):
            session.add(Applicant(reg_no=f"W{number:03d}", name="Calon", wave_id=wave.id, channel=channel,
                                  arrived_at=now - timedelta(hours=2)))
        session.add(TokenMovement(wave_id=wave.id, channel=channel, kind="initial", quantity=0,
                                  occurred_at=now - timedelta(days=9), recorded_by="bendahara"))


def _bendahara_settings(tmp_path, smtp_server, **extra) -> Settings:
    channel = AlertChannel(url=smtp_server.mailto("bendahara@kampus.ac.id"), roles=["bendahara"], name="surel-keu")
    return Settings(data_dir=tmp_path, alerts=AlertSettings(channels=[channel], deliver_every_s=3600), **extra)


def test_alertcol003_a_raised_alert_is_mailed_in_the_same_pass_named_and_linked(tmp_path, engine, smtp_server):
    _tokens_gone(engine)
    settings = _bendahara_settings(tmp_path, smtp_server, public_url="https://pantau.kampus.ac.id")
    stock, courier = build(settings, engine, names=["token-stock", "alerts"])

    outcome = run_then_deliver(stock, courier)

    assert outcome.ok and outcome.collector == "token-stock"
    [mail] = smtp_server.messages
    assert mail["To"] == "bendahara@kampus.ac.id"
    assert mail["Subject"] == ("[KRITIS] Token pembayaran Gelombang 1 (Bank BNI) habis sementara calon pendaftar "
                               "terus datang")
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert plain.splitlines()[1] == "4 calon pendaftar datang tanpa token. Catat penambahan token."
    assert plain.splitlines()[2].startswith("Sejak: ") and plain.splitlines()[2].endswith(" WIB")
    assert plain.splitlines()[-1] == "Atau buka alamat ini: https://pantau.kampus.ac.id/token"
    assert '<a href="https://pantau.kampus.ac.id/token"' in html
    assert "bank-bni" not in mail["Subject"] + plain + html and "PMB-G1" not in mail["Subject"]
    with session_scope(engine) as session:
        [delivery] = session.scalars(select(AlertDelivery)).all()
        assert delivery.sent_at is not None and delivery.attempts == 1


def test_alertcol004_a_single_pass_runs_the_courier_last_so_it_mails_what_the_others_raised(
        tmp_path, engine, smtp_server):
    _tokens_gone(engine, channel="online")
    settings = _bendahara_settings(tmp_path, smtp_server)

    outcomes = run_once(settings, engine, names=["alerts", "token-stock"])

    assert [outcome.collector for outcome in outcomes] == ["token-stock", "alerts"]
    assert [m["Subject"] for m in smtp_server.messages] == [
        "[KRITIS] Token pembayaran Gelombang 1 (Daring) habis sementara calon pendaftar terus datang"]
    assert "Atau buka alamat ini: http://127.0.0.1:8050/token" in smtp_server.messages[0].get_body(
        ("plain",)).get_content()


def test_alertcol005_a_run_that_raised_nothing_leaves_the_courier_alone(tmp_path, engine, smtp_server):
    settings = _bendahara_settings(tmp_path, smtp_server)
    stock, courier = build(settings, engine, names=["token-stock", "alerts"])
    run_then_deliver(stock, courier)
    with session_scope(engine) as session:
        runs = session.scalars(select(CollectorRun.collector).order_by(CollectorRun.id)).all()
    assert runs == ["token-stock"] and smtp_server.messages == []
