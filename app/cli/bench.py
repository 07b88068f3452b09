"""`pantau bench`: every registered benchmark at small and large scale, in one run."""

from __future__ import annotations

import json

import typer

from .common import console, settings


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def bench(
    scales: str = typer.Option("small,large", help="comma-separated scales, smallest first"),
    only: list[str] = typer.Option(None, "--only", help="run only these benchmarks"),
    json_out: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Measure: medians, p95 and large-vs-small ratios (and ours vs a naive baseline where one exists)."""
    from app.bench.runner import run_all, table

    results = run_all(settings(), tuple(scales.split(",")), only, report=lambda m: console.log(m))
    if json_out:
        payload = {scale: {k: {"median": v.median, "p95": v.p95, "unit": v.unit, "samples": v.samples,
                               "baseline_ratio": v.baseline_ratio} for k, v in ms.items()}
                   for scale, ms in results.items()}
        console.print_json(json.dumps(payload))
    else:
        console.print(table(results))
