"""Run every benchmark at each scale in one run and report medians, p95 and ratios."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.table import Table

from pantau import migrate
from pantau.db import make_engine
from pantau.settings import Settings

from .registry import BenchContext, Measurement, needs_demo, registered


def run_all(
    settings: Settings,
    scales: tuple[str, ...] = ("small", "large"),
    only: list[str] | None = None,
    report: Callable[[str], None] = print,
) -> dict[str, dict[str, Measurement]]:
    """Returns {scale: {metric: Measurement}}; each scale gets its own fresh SQLite store, with a demo campus
    of that scale when a chosen benchmark reads one, its log folded in (as a running installation's is), removed
    when the scale is done. Stores benchmarks build themselves are kept under `data_dir`/bench-cache. Each
    benchmark starts once the disk has taken every earlier write, so none pays for the one before it."""
    from app.demo import generate

    results: dict[str, dict[str, Measurement]] = {}
    benches = {name: fn for name, fn in registered().items() if not only or name in only}
    demo = any(needs_demo(name) for name in benches)
    cache = settings.data_dir / "bench-cache"
    for scale in scales:
        workdir = Path(tempfile.mkdtemp(prefix=f"pantau-bench-{scale}-"))
        engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
        migrate.upgrade(engine)
        measured: dict[str, Measurement] = {}
        if demo:
            report(f"[{scale}] generating the demo campus…")
            started = time.perf_counter()
            generate(engine, scale, seed=7)
            seconds = time.perf_counter() - started
            measured["demo generation"] = Measurement("demo generation", [seconds])
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            size = (workdir / "bench.db").stat().st_size
            measured["store size"] = Measurement("store size", [size / 1e6], unit="MB")
        context = BenchContext(settings.model_copy(update={"data_dir": workdir}), engine, scale, workdir, cache)
        for name, function in benches.items():
            report(f"[{scale}] {name}…")
            os.sync()  # the writes of what came before (the large demo's gigabytes) are flushed first, not during
            for measurement in function(context):
                measured[measurement.metric] = measurement
        results[scale] = measured
        engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def table(results: dict[str, dict[str, Measurement]]) -> Table:
    scales = list(results)
    small, large = scales[0], scales[-1]
    out = Table("metric", f"{small} median", f"{small} p95", f"{large} median", f"{large} p95", f"{large}/{small}",
                f"{large}/{small} p95", "vs baseline", title="pantau bench")
    metrics = list(dict.fromkeys(m for scale in scales for m in results[scale]))
    for metric in metrics:
        a, b = results[small].get(metric), results[large].get(metric)
        ratio = f"{b.median / a.median:.2f}" if a and b and a.median else "–"
        ratio95 = f"{b.p95 / a.p95:.2f}" if a and b and a.p95 else "–"
        versus = f"{b.baseline_ratio:.2f}" if b and b.baseline_ratio is not None else "–"
        out.add_row(metric, _fmt(a), _fmt(a, p95=True), _fmt(b), _fmt(b, p95=True), ratio, ratio95, versus)
    return out


def _fmt(measurement: Measurement | None, p95: bool = False) -> str:
    if measurement is None:
        return "–"
    value = measurement.p95 if p95 else measurement.median
    if measurement.unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.1f} {measurement.unit}"
