"""`pantau import bills FILE [--source NAME] [--json]`: a CSV or XLSX export of the payment application's bills."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer
from rich.markup import escape

from collectors.bills import BillDataError, BillSource, bill_sources, sync_source
from pantau import formatting
from pantau.billrows import row_words

from .common import console, engine, errors, fail, failed, settings, words
from .import_status import record_import

EXPORT = "export"
"""The source name of bills imported without `--source`: the file's headers are Pantau's field names."""


def register(app: typer.Typer) -> None:
    app.command("bills")(import_bills)


def import_bills(
    file: Path = typer.Argument(..., help="a CSV (`;` or `,`) or XLSX export of the bills", exists=True,
                                dir_okay=False),
    source: str = typer.Option(None, "--source", help="a [sources.bills.NAME] whose column names the file uses; "
                                                       "the file stands for that source's bills"),
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Import a bills export in one transaction: new and changed bills stored, the source's bills missing from
    the file marked deleted, or nothing at all with the line and field that stopped it. Exits 1 when refused."""
    config = settings()
    try:
        known = bill_sources(config)
    except ValueError as error:
        fail(str(error))
    if source is not None and source not in known:
        fail(f"no bill source {source!r} in the configuration (known: {', '.join(known) or 'none'})")
    if source is not None and known[source].is_database:
        fail(f"bill source {source!r} reads the payment application's database; an export imported under it would "
             "mark the bills it lacks deleted. Import it without --source, or configure a file source for it.")
    base = known[source] if source else BillSource(name=EXPORT, file=file)
    chosen = base.model_copy(update={"file": file, "url": None, "query": None})
    store = engine(config)
    try:
        report = sync_source(store, chosen, config.timezone, actor=f"cli:{getpass.getuser()}")
    except BillDataError as error:
        record_import(config, store, "bills", ok=False, refused=f"{error}. Nothing was imported.")
        if json_out:
            console.print_json(json.dumps({"file": str(file), "status": "rejected", "row": error.row,
                                           "field": error.field, "value": None if error.value is None
                                           else str(error.value),
                                           "reason": error.reason}))
        else:
            said = row_words(error.row, error.column, error.value, error.reason, config.language, error.query)
            errors.print(f"{failed(config.language)} {escape(said)}", highlight=False)
            errors.print(words(config)("Nothing was imported."))
        raise typer.Exit(1) from None
    except Exception as error:
        record_import(config, store, "bills", ok=False, error=error)
        raise
    count = lambda value: formatting.number(value, config.language)  # noqa: E731
    summary = words(config)("{file} (source {source}): {read} bills read, {written} new or changed, {deleted} marked "
                            "deleted.", file=file.name, source=report.source, read=count(report.read),
                            written=count(report.written), deleted=count(report.deleted))
    record_import(config, store, "bills", ok=True, message=summary)
    if json_out:
        console.print_json(json.dumps({"file": str(file), "status": "imported", "source": report.source,
                                       "rows_read": report.read, "written": report.written, "deleted": report.deleted}))
    else:
        console.print(summary, markup=False, highlight=False)
