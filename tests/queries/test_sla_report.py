"""The half-yearly report: per SOP compliance, verdict against the threshold, open steps; per step
counts, median and P90 and counts by performer; `pantau report sla` prints it as text or JSON."""

from __future__ import annotations

import json

import pytest
from sla_helpers import feed, wib
from typer.testing import CliRunner

from app.cli import app
from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.sla.context import SlaContext
from queries.sla_report import build_report, verdict

WS = [
    {"case": "W1", "step": 1, "started": "2026-05-11 09:00", "completed": "2026-05-11 09:04", "performer": "Adm"},
    {"case": "W1", "step": 2, "completed": "2026-05-11 09:08", "performer": "Adm"},
    {"case": "W2", "step": 1, "started": "2026-05-12 09:00", "completed": "2026-05-12 09:02", "performer": "Rina"},
    {"case": "W2", "step": 2, "completed": "2026-05-12 09:10", "performer": "Adm"},
]


def test_rep001_verdict_against_the_threshold():
    assert verdict(0.9, 0.9) == "good" and verdict(0.89, 0.9) == "poor" and verdict(None, 0.9) is None


def test_rep002_report_of_one_sop_with_steps_performers_and_open_counts(store, ctx):
    feed(store, ctx, "WS", WS)
    report = build_report(store, ctx, sop="WS", now=wib(2026, 5, 12, 9, 30))
    assert (report["period"], report["previous_period"]) == ("2026-H1", "2025-H2")
    ws, = report["sops"]
    assert (ws["measured"], ws["met"], ws["compliance"], ws["verdict"]) == (4, 3, 0.75, "poor")
    assert ws["monthly"] == {"2026-05": 0.75}
    assert ws["open"] == {"open": 1, "at_risk": 0, "breached": 1, "waiting": 0}, "W1 account due 12 May 09:08"
    steps = {step["key"]: step for step in ws["steps"]}
    assert list(steps) == ["surat_permohonan", "agenda_disposisi", "buat_akun", "konfirmasi_akun", "surat_balasan"]
    assert (steps["surat_permohonan"]["median_s"], steps["surat_permohonan"]["standard"]) == (180, "5 menit")
    assert steps["agenda_disposisi"]["performers"] == [
        {"performer": "Adm", "others": False, "completed": 2, "met": 1, "compliance": 0.5}]
    assert steps["buat_akun"]["completed"] == 0 and steps["buat_akun"]["compliance"] is None


def test_rep003_institution_threshold_per_sop_changes_the_verdict(store, ctx):
    feed(store, ctx, "WS", WS)
    lenient = SlaContext(ctx.catalogue, ctx.calendar, ctx.config.model_copy(update={"verdict_thresholds": {"WS": 0.7}}))
    assert build_report(store, lenient, sop="WS")["sops"][0]["verdict"] == "good"
    with pytest.raises(ValueError, match="unknown SOP 'XX'"):
        build_report(store, ctx, sop="XX")


@pytest.fixture
def cli(tmp_path, monkeypatch, ctx):
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    engine = make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")
    upgrade(engine)
    feed(engine, ctx, "WS", WS)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_rep004_cli_prints_the_verdict_in_indonesian(cli):
    result = cli("report", "sla", "--sop", "ws")
    assert result.exit_code == 0, result.output
    assert "Kepatuhan SLA · Januari–Juni 2026" in result.output
    assert "75,0% (3/4)" in result.output and "Tidak berjalan baik" in result.output


def test_rep005_cli_json_and_bad_arguments(cli):
    result = cli("report", "sla", "--json", "--period", "2026-H1")
    payload = json.loads(result.output)
    assert [entry["code"] for entry in payload["sops"]] == ["AKUN", "H2H", "KSO", "KTM", "WS"]
    assert payload["sops"][4]["verdict"] == "poor" and payload["sops"][0]["verdict"] is None
    assert cli("report", "sla", "--period", "2026-1").exit_code == 2
    unknown = cli("report", "sla", "--sop", "XX")
    assert unknown.exit_code == 2 and "unknown SOP 'XX'" in unknown.output
