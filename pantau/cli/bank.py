"""`pantau import bank FILE [--format …] [--mapping NAME] [--json]`: a bank statement or H2H log."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from collectors.bankstore import feed_settings, import_file

from .common import console, engine, errors, fail, settings

Format = Literal["auto", "mt940", "camt053", "csv", "xlsx", "bni", "briva", "snap"]


def register(app: typer.Typer) -> None:
    app.command("bank")(import_bank)


def import_bank(
    file: Path = typer.Argument(..., help="an MT940, camt.053, CSV/XLSX export or H2H JSON-lines log",
                                exists=True, dir_okay=False),
    fmt: Format = typer.Option("auto", "--format", help="the file's format; auto reads it from the content"),
    mapping: str = typer.Option(None, "--mapping", help="a CSV/XLSX column mapping named under feeds.mappings in the config"),
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Import one bank file in one transaction: all of it, or nothing with the line that stopped it.

    Payments already stored (the same file again, or the same payment from another format) are
    counted as duplicates and not added again. Exits 1 when the file is refused.
    """
    config = settings()
    try:
        feeds = feed_settings(config)
        columns = feeds.mapping(mapping) if mapping else feeds.mapping_for(file.name)
    except ValueError as error:
        fail(str(error))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=errors,
                  transient=True, disable=json_out) as progress:
        progress.add_task(f"Importing {file.name}…")
        summary = import_file(engine(config), file, fmt=fmt, mapping=columns, actor=f"cli:{getpass.getuser()}",
                              tz=ZoneInfo(config.timezone))
    if json_out:
        console.print_json(json.dumps(summary.as_dict()))
    elif summary.status == "rejected":
        error = summary.error or {}
        errors.print(f"[bold red]error:[/] {Path(error.get('file', file)).name} line {error.get('line')}, "
                     f"field {error.get('field')}, value {error.get('value')!r}: {error.get('reason')}", highlight=False)
        errors.print("Nothing was imported.")
    elif summary.status == "already_imported":
        console.print(f"{file.name} was imported before (import #{summary.import_id}); nothing added.")
    else:
        console.print(
            f"{file.name} ({summary.format}): {summary.lines_read:,} lines read, {summary.added:,} entries added "
            f"({summary.payments_added:,} payments), {summary.duplicates:,} duplicates skipped."
        )
    if summary.status == "rejected":
        raise typer.Exit(1)
