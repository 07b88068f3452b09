"""`pantau backup [FILE]` and `pantau restore FILE --yes`: a copy of the store, and the store put back from one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from pantau.backup import BackupError
from pantau.backup import backup as take_backup
from pantau.backup import restore as put_back

from .common import console, engine, fail, settings


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
        console.print(f"Backup written to {written} ({size:,} bytes).")


def restore(
    source: Path = typer.Argument(..., help="a file written by `pantau backup`"),
    yes: bool = typer.Option(False, "--yes", help="replace the store's contents without asking"),
    json_out: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Replace everything in the store with a backup (stop the collector and the web workers first)."""
    store = engine()
    where = store.url.render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"Replace every row of {where} with {source}?"):
        raise typer.Exit(1)
    try:
        put_back(store, source)
    except (BackupError, OSError) as error:
        _failed("restore", error, json_out)
    if json_out:
        console.print_json(json.dumps({"ok": True, "file": str(source), "store": where}))
    else:
        console.print(f"Store {where} restored from {source}.")


def _failed(what: str, error: Exception, json_out: bool):
    if json_out:
        console.print_json(json.dumps({"ok": False, "error": f"{what}: {error}"}))
        raise typer.Exit(2)
    fail(f"{what}: {error}")
