"""`pantau kinds sync|list` and [[bill_kinds]] of the configuration (issue 17, point 1): kinds added from the
configuration, a wrong entry refused in one line naming entry and field, by the command and by `pantau sync
bills` (every source fails with that line), never a traceback."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli import app as pantau

KINDS = """
[[bill_kinds]]
code = "parkir"
name_id = "Parkir"
name_en = "Parking"
group = "fasilitas"
group_name_id = "Fasilitas"
group_name_en = "Facilities"
"""


def _runner(tmp_path, monkeypatch, text: str) -> CliRunner:
    config = tmp_path / "pantau.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(pantau, ["init"]).exit_code == 0
    return runner


def test_kindscli001_the_configurations_kinds_are_added_once_and_listed(tmp_path, monkeypatch):
    runner = _runner(tmp_path, monkeypatch, KINDS)

    first = runner.invoke(pantau, ["kinds", "sync", "--json"])
    again = runner.invoke(pantau, ["kinds", "sync", "--json"])
    listed = runner.invoke(pantau, ["kinds", "list"])

    assert json.loads(first.stdout) == {"added": ["parkir"], "updated": [], "kept": []}
    assert json.loads(again.stdout) == {"added": [], "updated": [], "kept": []}
    assert "parkir" in listed.stdout and "Parking" in listed.stdout and "herregistrasi" in listed.stdout


def test_kindscli002_a_wrong_entry_is_one_line_for_the_command_and_for_the_bill_sync(tmp_path, monkeypatch):
    source = tmp_path / "tagihan.csv"
    source.write_text("source_key,kind,amount,va_number,due_date,semester\nT-1,ukt,1000000,9881,2026-03-01,20252\n",
                      encoding="utf-8")
    runner = _runner(tmp_path, monkeypatch, KINDS.replace('group = "fasilitas"', 'group = "Fasilitas Umum"')
                     + f'\n[sources.bills.ekspor]\nfile = "{source}"\n')

    refused = runner.invoke(pantau, ["kinds", "sync"])
    synced = runner.invoke(pantau, ["sync", "bills", "--json"])

    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "[[bill_kinds]] entry 1 (parkir), field group" in refused.output
    [outcome] = json.loads(synced.stdout)["sources"]
    assert synced.exit_code == 1 and outcome["status"] == "failed"
    assert outcome["error"].startswith("bill source 'ekspor' not synced: [[bill_kinds]] entry 1 (parkir), field group")
