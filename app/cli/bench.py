"""`pantau bench`: every registered benchmark at small and large scale, in one run."""

from __future__ import annotations

import json

import typer

from .common import console, errors, settings


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def bench(
    scales: str = typer.Option(None, help="comma-separated scales, smallest first [default: small,large; "
                                                "small,medium with --pages]"),
    only: list[str] = typer.Option(None, "--only", help="run only these benchmarks"),
    pages: bool = typer.Option(False, "--pages", help="page loads in Chromium of every page and role only, "
                                                     "at small and medium scale unless --scales says otherwise"),
    json_out: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Measure: medians, p95 and large-vs-small ratios (and ours vs a naive baseline where one exists)."""
    from app.bench import pages as page_loads
    from app.bench.runner import run_all, table

    if pages:
        only = ["page loads"]
    scales = scales or ("small,medium" if pages else "small,large")
    progress = errors if json_out else console  # with --json, standard output holds the JSON only
    results = run_all(settings(), tuple(scales.split(",")), only, report=lambda m: progress.log(m))
    if json_out:
        payload = {scale: {k: {"median": v.median, "p95": v.p95, "unit": v.unit, "samples": v.samples,
                               "baseline_ratio": v.baseline_ratio} for k, v in ms.items()}
                   for scale, ms in results.items()}
        console.print_json(json.dumps(payload))
    elif pages:
        console.print(page_loads.table(results))
    else:
        console.print(table(results))
