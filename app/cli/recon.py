"""`pantau reconcile [--full] [--json]`: match every bank credit to the bills and update the exception queue."""

from __future__ import annotations

import json

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pantau import formatting
from pantau.recon import reconcile as run_reconciliation
from pantau.recon.words import state_words

from .common import console, engine, errors, settings, words


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)


def reconcile(json_out: bool = typer.Option(False, "--json", help="print the outcome as JSON"),
              full: bool = typer.Option(False, "--full", help="link every stored credit again (after changing "
                                                              "[banks])")) -> None:
    """Reconcile now (the collector also does it after each import and bill sync)."""
    config = settings()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=errors,
                  transient=True, disable=json_out) as progress:
        progress.add_task("Reconciling bank credits against bills…")
        run = run_reconciliation(engine(config), config, full=full)
    if json_out:
        console.print_json(json.dumps(run.as_dict()))
        return
    t, lang = words(config), config.language
    count = lambda value: formatting.number(value, lang)  # noqa: E731
    table = Table(t("State"), t("Bills"), t("Bank credits"),
                  title=t("Reconciliation ({seconds} s)", seconds=formatting.number(run.seconds, lang, 1)))
    for state in sorted(set(run.bills) | set(run.credits)):
        table.add_row(state_words(state, lang), count(run.bills.get(state, 0)), count(run.credits.get(state, 0)))
    console.print(table)
    console.print(t("Changed: {bills} bills, {credits} bank credits. Cases: {opened} opened, {reopened} reopened, "
                    "{cleared} cleared.", bills=count(run.bills_changed), credits=count(run.credits_changed),
                    opened=count(run.cases.opened), reopened=count(run.cases.reopened),
                    cleared=count(run.cases.cleared)), highlight=False)
