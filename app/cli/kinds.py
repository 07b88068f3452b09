"""`pantau kinds sync` and `pantau kinds list`: the bill kinds of the store, and the configuration's
[[bill_kinds]] written into it (the bill collector does so before each sync too)."""

from __future__ import annotations

import getpass
import json

import typer
from rich.markup import escape
from rich.table import Table

from pantau.billkinds import sync_kinds
from queries.masterdata import kind_table

from .common import console, engine, fail, settings

app = typer.Typer(help="Bill kinds: what the bill sources may bill.", no_args_is_help=True)


@app.command("sync")
def sync(json_out: bool = typer.Option(False, "--json", help="print what changed as JSON")) -> None:
    """Write [[bill_kinds]] of the configuration into the store: new kinds added, the others updated unless
    the admin edited them on the admin page (an admin's edit wins). Audited."""
    config = settings()
    try:
        done = sync_kinds(engine(config), config.bill_kinds, actor=f"cli:{getpass.getuser()}")
    except ValueError as error:
        fail(escape(str(error)))
    if json_out:
        console.print_json(json.dumps(done))
        return
    for state, codes in done.items():
        console.print(f"{state}: {', '.join(codes) or '–'}")


@app.command("list")
def listing() -> None:
    """Every bill kind with its names, group and flags."""
    frame = kind_table(engine(settings()))
    table = Table("code", "nama", "name", "group", "per semester", "tokens", "active", "from")
    for row in frame.itertuples():
        table.add_row(row.code, row.name_id, row.name_en, row.group_code, "ya" if row.per_semester else "–",
                      "ya" if row.tokens_apply else "–", "ya" if row.active else "tidak", row.origin)
    console.print(table)
