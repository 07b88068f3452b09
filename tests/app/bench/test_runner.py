"""The bench runner: every scale measured in one run, ratios between the scales, nothing left behind."""

from __future__ import annotations

from app.bench import registry
from app.bench.registry import Measurement, benchmark
from app.bench.runner import run_all
from pantau.settings import Settings


def test_brun001_each_scale_gets_a_store_that_is_removed_once_measured(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    monkeypatch.setattr(registry, "_OWN_STORE", set())
    seen = []

    @benchmark("probe", demo=False)
    def probe(context):
        (context.workdir / "scratch.bin").write_bytes(b"x" * 1024)
        seen.append(context.workdir)
        return [Measurement("rows", [1.0 if context.scale == "small" else 3.0], unit="rows")]

    results = run_all(Settings(data_dir=tmp_path), scales=("small", "large"), only=["probe"], report=lambda _: None)

    assert results["small"]["rows"].median == 1.0 and results["large"]["rows"].median == 3.0
    assert len(seen) == 2 and not any(workdir.exists() for workdir in seen)
