"""`pantau backup [FILE]` and `pantau restore FILE --yes`: a copy of the store, and the store put back from one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape

from pantau import formatting
from pantau.backup import BackupError
from pantau.backup import backup as take_backup
from pantau.backup import restore as put_back
from pantau.phrases import Phrases

from .common import console, engine, fail, settings, words

REFUSALS = Phrases(
    "backup of a {dialect} store is not supported", "restore of a {dialect} store is not supported",
    "no backup file at {file}", "the store is an in-memory SQLite database: nothing to back up",
    "{file} is not a backup of a Pantau store (no alembic_version table)", "{file} is not an SQLite backup: {error}",
    "{tool} not found on PATH: install the PostgreSQL client tools (Debian: postgresql-client) of the server's "
    "major version", "{tool} failed (exit {code}): {message}",
)
"""What `pantau.backup` refuses with (`BackupError`), said in the configured language; --json keeps the English."""


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    target: Path | None = typer.Argument(None, help="file to write (default: DATA_DIR/backups/pantau-TIME.db|.dump)"),
    json_out: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Copy the store to a file: SQLite's online backup, or pg_dump's custom format for PostgreSQL."""
    config = settings()
    store = engine(config)
    if target is None:
        suffix = "db" if store.dialect.name == "sqlite" else "dump"
        target = config.data_dir / "backups" / f"pantau-{datetime.now(UTC):%Y%m%d-%H%M%S}.{suffix}"
    try:
        written = take_backup(store, target)
    except (BackupError, OSError) as error:
        _failed("backup", error, json_out)
    size = written.stat().st_size
    if json_out:
        console.print_json(json.dumps({"ok": True, "file": str(written), "bytes": size}))
    else:
        console.print(words(config)("Backup written to {file} ({size} bytes).", file=written,
                                    size=formatting.number(size, config.language)), markup=False, highlight=False)


def restore(
    source: Path = typer.Argument(..., help="a file written by `pantau backup`"),
    yes: bool = typer.Option(False, "--yes", help="replace the store's contents without asking"),
    json_out: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Replace everything in the store with a backup (stop the collector and the web workers first)."""
    config = settings()
    store, t = engine(config), words(config)
    where = store.url.render_as_string(hide_password=True)
    if not yes and not typer.confirm(t("Replace every row of {store} with {file}?", store=where, file=source)):
        raise typer.Exit(1)
    try:
        put_back(store, source)
    except (BackupError, OSError) as error:
        _failed("restore", error, json_out)
    if json_out:
        console.print_json(json.dumps({"ok": True, "file": str(source), "store": where}))
    else:
        console.print(t("Store {store} restored from {file}.", store=where, file=source), markup=False,
                      highlight=False)


def _failed(what: str, error: Exception, json_out: bool):
    """Refuse: `what: error` in English in the JSON, in the configured language on the terminal."""
    if json_out:
        console.print_json(json.dumps({"ok": False, "error": f"{what}: {error}"}))
        raise typer.Exit(2)
    t = words()
    said = REFUSALS.say(str(error), settings().language) if isinstance(error, BackupError) else str(error)
    fail(escape(t("{what}: {problem}", what=t(what), problem=said)))
