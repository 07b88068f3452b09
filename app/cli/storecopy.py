"""`pantau store copy --to URL`: copy the configured store into an empty one (SQLite to PostgreSQL)."""

from __future__ import annotations

import json

import typer
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

from pantau import formatting
from pantau.db import make_engine
from pantau.phrases import Phrases
from pantau.storecopy import CopyError, copy_store
from pantau.tables import table_words

from .common import console, engine, fail, settings, words

app = typer.Typer(help="The store as a whole.", no_args_is_help=True)


@app.command("copy")
def copy(
    to: str = typer.Option(..., "--to", help="SQLAlchemy URL of the empty target store"),
    json_out: bool = typer.Option(False, "--json", help="print the rows copied per table as JSON"),
) -> None:
    """Copy every table of the configured store into an empty store at URL (stop the collector and workers)."""
    config = settings()
    source, t, lang = engine(config), words(config), config.language

    def report(table: str, count: int) -> None:
        console.print(f"  {table_words(table, lang):<32} {formatting.number(count, lang):>12}", markup=False,
                      highlight=False)

    try:
        target = make_engine(to)
        copied = copy_store(source, target, report=None if json_out else report)
    except (CopyError, SQLAlchemyError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if json_out:
            console.print_json(json.dumps({"ok": False, "error": f"store copy: {message}"}))
            raise typer.Exit(2) from None
        said = _refusal(message, lang) if isinstance(error, CopyError) else message
        fail(escape(t("store copy: {problem}", problem=said)))
    where = target.url.render_as_string(hide_password=True)
    if json_out:
        console.print_json(json.dumps({"ok": True, "target": where, "rows": copied}))
    else:
        console.print(t("Copied {rows} rows in {tables} tables to {store}.", rows=formatting.number(
            sum(copied.values()), lang), tables=formatting.number(len(copied), lang), store=where), markup=False,
            highlight=False)


def _tables(names: str, lang: str) -> str:
    return ", ".join(table_words(name, lang) for name in names.split(", "))


REFUSALS = Phrases(
    "the source store is not at the newest schema: run `pantau init` on it first",
    "the target store already holds data (in {tables}): give an empty one",
    "{table}: {copied} rows copied but {have} in the target",
    values={"tables": _tables, "table": table_words},
)
"""What `pantau.storecopy` refuses with (`CopyError`), in the configured language; --json keeps the English."""


def _refusal(message: str, lang: str) -> str:
    return REFUSALS.say(message, lang)
