"""`pantau bench`: with --json, standard output is the JSON alone (progress goes to standard error)."""

from __future__ import annotations

import json

from app.bench import runner
from app.bench.registry import Measurement


def test_benchcli001_json_output_is_json_only(cli, monkeypatch):
    def run_all(_settings, scales, _only, report):
        report(f"[{scales[0]}] generating the demo campus…")
        return {scale: {"reconcile": Measurement("reconcile", [0.25, 0.5, 0.75])} for scale in scales}

    monkeypatch.setattr(runner, "run_all", run_all)
    result = cli("bench", "--json", "--scales", "small,large", "--only", "reconcile")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["large"]["reconcile"]["median"] == 0.5 and found["small"]["reconcile"]["samples"] == [0.25, 0.5, 0.75]
    assert "generating the demo campus" in result.stderr
