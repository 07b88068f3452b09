"""`pantau sync bills [--source NAME] [--json]`: sync the configured bill sources now, as the collector does."""

from __future__ import annotations

import getpass
import json

import typer
from rich.markup import escape

from collectors.bills import bill_sources
from collectors.bills.collector import sync_sources
from pantau import formatting
from pantau.billrows import row_words

from .common import console, engine, errors, fail, failed, settings, words

app = typer.Typer(help="Sync sources now, as the running collector does on its schedule.", no_args_is_help=True)


@app.command("bills")
def sync_bills(
    source: list[str] = typer.Option(None, "--source", help="a [sources.bills.NAME] to sync (repeatable; "
                                                            "default: every bill source)"),
    json_out: bool = typer.Option(False, "--json", help="print each source's result as JSON"),
) -> None:
    """Sync bill sources: new and changed bills stored, vanished ones marked deleted, bad rows set aside in
    quarantine (listed here and on the sources page) while the good rows land; a source with more bad rows
    than its max_bad_percent, or one that cannot be read, fails with one line and the others still sync.
    Reconciles when a bill changed. Exits 1 when a source failed."""
    config = settings()
    try:
        known = bill_sources(config)
    except ValueError as error:
        fail(str(error))
    unknown = [name for name in source or () if name not in known]
    if unknown:
        fail(f"no bill source {unknown[0]!r} in the configuration (known: {', '.join(known) or 'none'})")
    if not known:
        fail("no bill source is configured ([sources.bills.NAME])")
    chosen = [known[name] for name in source] if source else list(known.values())
    outcomes = sync_sources(engine(config), config, chosen, actor=f"cli:{getpass.getuser()}")
    if json_out:
        console.print_json(json.dumps({"sources": [_as_json(outcome) for outcome in outcomes]}))
    else:
        for outcome in outcomes:
            _print(outcome, config.language)
    if any(outcome.error for outcome in outcomes):
        raise typer.Exit(1)


def _as_json(outcome) -> dict:
    if outcome.error:
        return {"source": outcome.source, "status": "failed", "error": outcome.error}
    report = outcome.report
    return {"source": outcome.source, "status": "synced", "rows_read": report.read, "written": report.written,
            "deleted": report.deleted, "quarantined": [problem.as_dict() for problem in report.quarantined]}


def _print(outcome, lang: str) -> None:
    """One source's outcome in `lang`, each row set aside with its place, column, value and reason."""
    if outcome.error:
        errors.print(f"{failed(lang)} {escape(outcome.error)}", highlight=False)
        return
    report, t = outcome.report, words()
    count = lambda value: formatting.number(value, lang)  # noqa: E731
    console.print(t("{source}: {read} rows read, {written} new or changed, {deleted} marked deleted, {aside} set "
                    "aside.", source=report.source, read=count(report.read), written=count(report.written),
                    deleted=count(report.deleted), aside=count(len(report.quarantined))),
                  highlight=False, markup=False)
    for problem in report.quarantined:
        said = row_words(problem.row, problem.column, problem.value, problem.reason, lang, problem.query)
        console.print("  " + t("Set aside: {problem}", problem=said), highlight=False, markup=False)
