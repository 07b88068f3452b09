"""The monthly report: figures as of a month's end, worded for print and e-mail, and mailed once a month to
the directors through the loopback SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from collectors.monthly_report import due_month, report_settings
from collectors.scheduler import run_once
from pantau.db import session_scope
from pantau.models import AuditEntry, SopCase, utcnow
from pantau.models.workflow import SlaMonthly, StepResult
from pantau.settings import AlertChannel, AlertSettings, Settings
from queries import monthly_report as monthly

ZONE = "Asia/Jakarta"


def test_report001_months_follow_the_campus_calendar():
    first_of_november = datetime(2026, 10, 31, 17, 30, tzinfo=UTC)
    assert monthly.previous_month(first_of_november, ZONE) == "2026-10"
    assert monthly.previous_month(first_of_november, "UTC") == "2026-09"
    assert monthly.month_end("2026-12", ZONE).isoformat() == "2026-12-31T23:59:59.999999+07:00"


def _seed(engine) -> None:
    """October 2026: nine of ten KTM steps within standard; one KSO request waiting on the kolegium since 20 Oct."""
    started = datetime(2026, 10, 20, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(SlaMonthly(sop_code="KTM", step_key="pendaftaran", month="2026-10", completed=10,
                               measured=10, met=9, breached=1, elapsed_s=0))
        case = SopCase(sop_code="KSO", case_ref="KSO-1", opened_at=started, unit="UPK SDMK", attrs={})
        session.add(case)
        session.flush()
        session.add(StepResult(case_id=case.id, sop_code="KSO", step_key="verifikasi_skp", step_number=4,
                               performer_role="operator", unit="UPK SDMK", outside_party=True, started_at=started,
                               due_at=started + timedelta(days=31), state="waiting"))


def test_report002_october_as_of_its_last_moment_in_print_and_mail(tmp_path, store):
    _seed(store)
    settings = Settings(data_dir=tmp_path, institution="Poltekkes Contoh")

    report = monthly.build(store, settings, "2026-10", now=datetime(2026, 11, 23, tzinfo=UTC))
    page = monthly.render_html(report, "id", ZONE)
    english = monthly.render_html(report, "en", ZONE)

    assert report.as_of == monthly.month_end("2026-10", ZONE)
    assert {kpi.key: kpi.value for kpi in report.kpis} == {"sla:KTM": 0.9, "kso_waiting": 1}
    assert "<h1>Laporan bulanan Okt 2026</h1>" in page
    assert "Poltekkes Contoh · angka per 31 Okt 2026 23.59 WIB" in page
    assert ("Kepatuhan SLA: KTM · Pembuatan KTM<div class=\"scope\">semua tahap</div></td>"
            "<td class=\"value\">90,0%</td><td class=\"good\">Baik</td>") in page
    assert "Tahap dalam waktu baku, Juli–Desember 2026" in page
    assert "KSO menunggu kolegium<div class=\"scope\">semua unit</div></td><td class=\"value\">1</td>" in page
    assert "<h1>Monthly report Oct 2026</h1>" in english and "90.0%" in english


def test_report003_changes_are_worded_in_the_kpis_unit():
    kpi = monthly.Kpi(key="k", group="sla", title="t", kind="share", value=0.9, grade="good", page="sla", query="",
                      previous=0.85, previous_label="the previous half-year")
    count = monthly.Kpi(key="c", group="kso", title="t", kind="count", value=3, grade="info", page="kso", query="",
                        previous=5,
                        previous_label="30 days ago")
    assert monthly.change_text(kpi, "id") == "+5,0 poin dibanding semester sebelumnya"
    assert monthly.change_text(count, "en") == "−2 against 30 days ago"


def test_report008_every_kpi_states_its_scope_as_the_overview_cards_do(tmp_path, store):
    """One wording of each KPI's scope for the overview's cards, the report page and the mail (HTML and text)."""
    _seed(store)
    report = monthly.build(store, Settings(data_dir=tmp_path), "2026-10", now=datetime(2026, 11, 23, tzinfo=UTC))
    by_key = {kpi.key: kpi for kpi in report.kpis}
    assert monthly.scope_text(by_key["sla:KTM"], "id") == "semua tahap"
    assert monthly.scope_text(by_key["sla:KTM"], "id", "unit: UPT TIK") == "unit: UPT TIK"
    assert monthly.scope_text(by_key["kso_waiting"], "en") == "all units"
    assert [row["scope"] for _, rows in monthly.rows(report, "id") for row in rows] == ["semua tahap", "semua unit"]
    text = monthly.render_text(report, "en", ZONE)
    assert "- SLA compliance: KTM · Pembuatan KTM · all steps: 90.0%" in text and "· all units: 1" in text


def _director_channel(url: str) -> AlertSettings:
    return AlertSettings(channels=[AlertChannel(url=url, roles=["direktur"], name="surel-direktur")])


def test_report004_the_collector_mails_last_months_report_to_directors_once(tmp_path, engine, smtp_server):
    settings = Settings(data_dir=tmp_path, alerts=_director_channel(smtp_server.mailto("direktur@kampus.ac.id")),
                        reports={"day": 1, "hour": 0})
    month = monthly.previous_month(utcnow(), ZONE)

    [first] = run_once(settings, engine, names=["monthly-report"])
    [second] = run_once(settings, engine, names=["monthly-report"])

    assert (first.ok, first.message) == (True, f"report {month} sent through 1 channels")
    assert second.message == f"report {month} already sent"
    [mail] = smtp_server.messages
    expected = monthly.heading(monthly.build(engine, settings, month), "id", ZONE)[0]
    assert (mail["To"], mail["Subject"]) == ("direktur@kampus.ac.id", expected)
    body = mail.get_body(preferencelist=("html",)).get_content()
    assert "KSO menunggu kolegium<div class=\"scope\">semua unit</div>" in body, "the mail states each KPI's scope"
    with session_scope(engine) as session:
        sent = select(AuditEntry.target).where(AuditEntry.action == "report.monthly.sent")
        assert session.scalars(sent).all() == [month]


def test_report005_no_director_channel_or_no_server_leaves_the_month_unsent(tmp_path, engine, unused_tcp_port):
    treasurer = AlertSettings(channels=[AlertChannel(url="mailto://127.0.0.1:1?to=b@kampus.ac.id",
                                                     roles=["bendahara"])])
    [quiet] = run_once(Settings(data_dir=tmp_path, alerts=treasurer, reports={"hour": 0}), engine,
                       names=["monthly-report"])
    down = f"mailto://127.0.0.1:{unused_tcp_port}?from=pantau@kampus.ac.id&to=d@kampus.ac.id&mode=insecure"
    [failed] = run_once(Settings(data_dir=tmp_path, alerts=_director_channel(down), reports={"hour": 0}), engine,
                        names=["monthly-report"])

    assert quiet.ok and quiet.message.endswith("not sent: no alert channel carries direktur")
    assert not failed.ok and "not delivered: surel-direktur:" in failed.message
    with session_scope(engine) as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "report.monthly.sent")).all() == []


def test_report006_a_report_is_due_from_its_day_and_hour(tmp_path):
    config = report_settings(Settings(data_dir=tmp_path, reports={"day": 2, "hour": 7}))
    assert due_month(datetime(2026, 12, 1, 23, tzinfo=UTC), ZONE, config) is None
    assert due_month(datetime(2026, 12, 2, 0, tzinfo=UTC), ZONE, config) == "2026-11"
    with pytest.raises(ValueError, match=r"\[reports\] field day: .*less than or equal to 28"):
        report_settings(Settings(data_dir=tmp_path, reports={"day": 31}))


def test_report007_the_command_prints_writes_and_sends_a_month(tmp_path, monkeypatch, smtp_server):
    from typer.testing import CliRunner

    from app.cli import app
    from pantau import migrate
    from pantau.db import make_engine

    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    store = make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")
    migrate.upgrade(store)
    _seed(store)
    runner = CliRunner()

    printed = runner.invoke(app, ["report", "monthly", "--month", "2026-10"])
    written = runner.invoke(app, ["report", "monthly", "--month", "2026-10", "--html", str(tmp_path / "okt.html")])
    wrong = runner.invoke(app, ["report", "monthly", "--month", "2026-13"])
    unsent = runner.invoke(app, ["report", "monthly", "--month", "2026-10", "--send"])
    monkeypatch.setenv("PANTAU_ALERTS",
                       '{"channels": [{"url": "%s", "roles": ["direktur"]}]}'  # noqa: UP031 (JSON braces)
                       % smtp_server.mailto("direktur@kampus.ac.id"))
    sent = runner.invoke(app, ["report", "monthly", "--month", "2026-10", "--send"])

    assert printed.exit_code == 0 and "Laporan bulanan Okt 2026" in printed.output
    assert "Kepatuhan SLA: KTM · Pembuatan KTM · semua tahap: 90,0% (Baik; –)" in printed.output
    assert written.exit_code == 0 and "<h1>Laporan bulanan Okt 2026</h1>" in (tmp_path / "okt.html").read_text()
    assert "Laporan Okt 2026 ditulis ke" in written.output, "the command speaks the configured language"
    assert wrong.exit_code == 2 and "tulis bulan seperti 2026-10" in wrong.output
    assert unsent.exit_code == 1
    assert "gagal: laporan Okt 2026 tidak dikirim: tidak ada kanal peringatan untuk Direktur" in unsent.output
    assert sent.exit_code == 0 and "Laporan Okt 2026 dikirim lewat 1 kanal" in sent.output
    assert [m["Subject"] for m in smtp_server.messages] == ["Laporan bulanan Okt 2026"]
