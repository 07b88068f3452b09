"""`pantau import events FILE --sop CODE [--json]`: step events of one SOP from a CSV or XLSX file."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from collectors.workflow.files import EventFileError, import_file
from pantau import formatting
from pantau.sla.context import sla_context
from pantau.sops.names import sop_label

from .common import console, engine, errors, settings, words
from .import_status import record_import


def register(app: typer.Typer) -> None:
    app.command("events")(import_events)


def import_events(
    file: Path = typer.Argument(..., help="a .csv or .xlsx file with one step event a row", exists=True,
                                dir_okay=False),
    sop: str = typer.Option(..., "--sop", help="the code of the SOP the events belong to (e.g. KTM)"),
    json_out: bool = typer.Option(False, "--json", help="print the outcome as JSON"),
) -> None:
    """Import step events in one transaction: all rows or none, each error naming its line and field.

    Columns (English or Indonesian names): case/kasus, step/tahap (key or number), started_at/mulai,
    completed_at/selesai, and optionally event_id, performer/pelaksana, outcome/hasil, channel, unit,
    subject. Times without a zone are in the campus zone.
    """
    config = settings()
    store, t = engine(config), words(config)
    actor = f"cli:{getpass.getuser()}"
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=errors,
                      transient=True, disable=json_out) as progress:
            progress.add_task(escape(t("Importing {file} and measuring its cases…", file=file.name)))
            report = import_file(store, file, sop.upper(), config, actor=actor)
    except EventFileError as error:
        record_import(config, store, "events", ok=False, refused=_refusal(error))
        if json_out:
            console.print_json(json.dumps({"ok": False, "file": str(file), "errors": error.as_dicts()}))
        else:
            for line in str(error).splitlines():
                errors.print(f"[bold red]error:[/] {line}", highlight=False)
            errors.print(t("Nothing was imported."))
        raise typer.Exit(1) from None
    except Exception as error:
        record_import(config, store, "events", ok=False, error=error)
        raise
    count = lambda value: formatting.number(value, config.language)  # noqa: E731
    summary = t("{file}: {read} events read, {new} new, {known} already known; {cases} cases measured ({steps} steps).",
                file=file.name, read=count(report.received), new=count(report.stored), known=count(report.duplicates),
                cases=count(report.cases), steps=count(report.steps))
    catalogue = sla_context(config).catalogue
    record_import(config, store, "events", ok=True, message=f"{sop_label(sop.upper(), catalogue)} · {summary}")
    if json_out:
        console.print_json(json.dumps({"ok": True, "file": str(file), "sop": sop.upper(), **report.as_dict()}))
        return
    console.print(summary, markup=False, highlight=False)


def _refusal(error: EventFileError) -> str:
    """The first problem on one line (it names the file, line and field) and how many more there are."""
    lines = str(error).splitlines() or [error.path.name]
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return f"{lines[0]}{more}. Nothing was imported."
