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
from pantau.i18n import translate
from pantau.phrases import Phrases
from pantau.sla.context import sla_context
from pantau.sops.names import sop_label

from .common import console, engine, errors, failed, settings, words
from .import_status import record_import

REASONS = Phrases(
    "unknown file type {suffix}; give a .csv or .xlsx file", "unknown SOP; known: {known}",
    "no events: the file has a header row but no data rows", "no column for {field}: add one named {names}",
    "{cells} cells, but the header has {header}", "the file is empty", "not a readable XLSX workbook: {error}",
    "the first sheet is empty", "unknown field; known fields: {known}", "{field} is given twice",
    "missing: name the SOP (its code, e.g. KTM)", "this import is for SOP {sop}",
    "missing: every event belongs to a case", "give started_at, completed_at or both", "before started_at",
    "in the future", "not an outcome of step {number}; one of: {choices}",
    "step {number} is a decision: give its outcome ({choices})", "use a word such as whatsapp, email or letter",
    "missing: give the step key or number of SOP {sop}", "SOP {sop} has no such step; keys: {keys}",
    "SOP {sop} has no step {number}", "step {number} is in several flows of SOP {sop}; give its key ({keys})",
    "longer than {limit} characters", "not a date and time (use 2026-03-02 10:15 or 02/03/2026 10:15)",
    "a date without a time of day; give the time too",
)
"""Why an events file or one of its rows is refused (`collectors.workflow.files`, `pantau.workflow.records`)."""


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
            for problem in error.problems:
                errors.print(f"{failed(config.language)} {escape(_problem(error.path, *problem, config.language))}",
                             highlight=False)
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


def _problem(path: Path, line: int | None, field: str | None, value: object, reason: str, lang: str) -> str:
    """One problem of the file in `lang`: the file and line, the column and value, then why."""
    where = [translate("{file} line {number}", lang, file=path.name, number=line) if line is not None else path.name]
    if field:
        where.append(translate("column {name}", lang, name=field))
    if value is not None:
        where.append(translate("value {value}", lang, value=repr(str(value)[:80])))
    return f"{', '.join(where)}: {REASONS.say(reason, lang)}"
