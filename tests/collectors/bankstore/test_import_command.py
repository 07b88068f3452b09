"""`pantau import bank` for scripts: the --json summary, and exit status 1 with nothing stored on a
refused file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pantau.cli import app
from pantau.migrate import upgrade
from pantau.db import make_engine

DATA = Path(__file__).resolve().parents[2] / "data" / "bank"


def _env(tmp_path) -> dict:
    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    upgrade(make_engine(url))
    return {"PANTAU_DATA_DIR": str(tmp_path), "PANTAU_DATABASE_URL": url, "PANTAU_CONFIG": ""}


def test_ic001_json_summary_counts_lines_payments_and_duplicates(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "bank", str(DATA / "bni_ecollection.jsonl"), "--json"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {key: summary[key] for key in ("status", "format", "lines_read", "added", "payments_added", "duplicates",
                                          "rejected")} == {"status": "imported", "format": "bni", "lines_read": 5,
                                                           "added": 3, "payments_added": 3, "duplicates": 1,
                                                           "rejected": 0}


def test_ic002_a_refused_file_exits_1_and_names_line_and_field(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "bank", str(DATA / "bad_amount.sta"), "--format", "mt940"],
                           env=_env(tmp_path))
    assert result.exit_code == 1
    assert "line 7, field :61: amount, value '1.500.000,x'" in result.stderr
    assert "Nothing was imported." in result.stderr
