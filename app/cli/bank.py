"""`pantau import bank FILE [--format …] [--mapping NAME] [--json]`: a bank statement or H2H log."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from collectors.bankfeeds.errors import localised
from collectors.bankstore import feed_settings, import_file
from pantau import formatting
from pantau.i18n import translate

from .common import console, engine, errors, fail, settings
from .import_status import record_import

Format = Literal["auto", "mt940", "camt053", "csv", "xlsx", "bni", "briva", "snap"]


def register(app: typer.Typer) -> None:
    app.command("bank")(import_bank)


def import_bank(
    file: Path = typer.Argument(..., help="an MT940, camt.053, CSV/XLSX export or H2H JSON-lines log",
                                exists=True, dir_okay=False),
    fmt: Format = typer.Option("auto", "--format", help="the file's format; auto reads it from the content"),
    mapping: str = typer.Option(None, "--mapping",
                                help="a CSV/XLSX column mapping named under feeds.mappings in the config"),
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Import one bank file in one transaction: all of it, or nothing with the line that stopped it.

    Payments already stored (the same file again, or the same payment from another format) are
    counted as duplicates and not added again. Exits 1 when the file is refused, saying why in one
    line on stderr (or in the JSON's ``error``, its ``message`` in the configured language).
    """
    config = settings()
    try:
        feeds = feed_settings(config)
        columns = feeds.mapping(mapping) if mapping else feeds.mapping_for(file.name)
    except ValueError as error:
        fail(str(error))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=errors,
                  transient=True, disable=json_out or not errors.is_terminal) as progress:
        progress.add_task(f"Importing {file.name}…")
        store = engine(config)
        try:
            summary = import_file(store, file, fmt=fmt, mapping=columns, actor=f"cli:{getpass.getuser()}",
                                  tz=ZoneInfo(config.timezone), language=config.language)
        except Exception as failure:
            record_import(config, store, "bank", ok=False, error=failure)
            raise
    error = localised(summary.error, config.language) if summary.error else None
    _record(config, store, file.name, summary, error)
    if json_out:
        console.print_json(json.dumps({**summary.as_dict(), "error": error}))
    elif summary.status == "rejected":
        message = translate("{message}. Nothing was imported.", config.language, message=error["message"])
        errors.print(f"[bold red]{translate('error', config.language)}:[/] {escape(message)}", highlight=False,
                     soft_wrap=True)
    elif summary.status == "already_imported":
        console.print(translate("{name} was imported before (import #{number}); nothing added.", config.language,
                                name=file.name, number=summary.import_id))
    else:
        console.print(_imported(file.name, summary, config.language), highlight=False)
    if summary.status == "rejected":
        raise typer.Exit(1)


def _record(config, store, name: str, summary, error: dict | None) -> None:
    """The import on the sources page: refused in the words printed, else what it stored."""
    if summary.status == "rejected":
        message = translate("{message}. Nothing was imported.", config.language, message=error["message"])
        record_import(config, store, "bank", ok=False, refused=message)
    elif summary.status == "already_imported":
        record_import(config, store, "bank", ok=True, message=translate(
            "{name} was imported before (import #{number}); nothing added.", config.language, name=name,
            number=summary.import_id))
    else:
        record_import(config, store, "bank", ok=True, message=_imported(name, summary, config.language))


def _imported(name: str, summary, language: str) -> str:
    """One line saying what an import stored, and a second per statement off its balance chain."""
    line = translate(
        "{name} ({format}): {lines} lines read, {added} entries stored: {payments} new payments, {linked} further "
        "evidence of payments already known ({to_check} to check), {duplicates} already stored.", language,
        name=name, format=summary.format, lines=formatting.number(summary.lines_read, language),
        added=formatting.number(summary.added, language), payments=formatting.number(summary.payments_added, language),
        linked=formatting.number(summary.linked, language), to_check=formatting.number(summary.to_check, language),
        duplicates=formatting.number(summary.duplicates, language))
    breaks = [translate("Balance chain: statement {number} of account {account} opens with {opening}, expected "
                        "{expected}.", language, number=link["statement"] or "-", account=link["account"] or "-",
                        opening=link["opening_balance"], expected=link["expected_opening"])
              for link in summary.balance or () if link["status"] == "gap"]
    return "\n".join([line, *breaks])
