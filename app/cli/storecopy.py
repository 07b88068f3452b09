"""`pantau store copy --to URL`: copy the configured store into an empty one (SQLite to PostgreSQL)."""

from __future__ import annotations

import json

import typer
from sqlalchemy.exc import SQLAlchemyError

from pantau.db import make_engine
from pantau.storecopy import CopyError, copy_store

from .common import console, engine, fail

app = typer.Typer(help="The store as a whole.", no_args_is_help=True)


@app.command("copy")
def copy(
    to: str = typer.Option(..., "--to", help="SQLAlchemy URL of the empty target store"),
    json_out: bool = typer.Option(False, "--json", help="print the rows copied per table as JSON"),
) -> None:
    """Copy every table of the configured store into an empty store at URL (stop the collector and workers)."""
    source = engine()
    try:
        target = make_engine(to)
        copied = copy_store(source, target, report=None if json_out else
                            lambda table, count: console.print(f"  {table:<28} {count:>12,}"))
    except (CopyError, SQLAlchemyError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if json_out:
            console.print_json(json.dumps({"ok": False, "error": f"store copy: {message}"}))
            raise typer.Exit(2) from None
        fail(f"store copy: {message}")
    where = target.url.render_as_string(hide_password=True)
    if json_out:
        console.print_json(json.dumps({"ok": True, "target": where, "rows": copied}))
    else:
        console.print(f"Copied {sum(copied.values()):,} rows in {len(copied)} tables to {where}.")
