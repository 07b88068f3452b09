"""`pantau kinds sync` and `pantau kinds list`: the bill kinds of the store, and the configuration's
[[bill_kinds]] written into it (the bill collector does so before each sync too)."""

from __future__ import annotations

import getpass
import json

import typer
from rich.markup import escape
from rich.table import Table

from pantau.billkinds import sync_kinds
from queries.masterdata import kind_groups, kind_table

from .common import console, engine, fail, settings, words

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
    t = words(config)
    for state, codes in done.items():
        console.print(t(SYNC_WORDS[state], codes=escape(", ".join(codes) or "–")), highlight=False)


@app.command("list")
def listing() -> None:
    """Every bill kind with its code (as the configuration writes it), names, group and flags, in the configured
    language."""
    config = settings()
    store, t = engine(config), words(config)
    frame = kind_table(store)
    groups = dict(kind_groups(store, config.language).itertuples(index=False))
    table = Table(*(t(header) for header in ("Code", "Name (Indonesian)", "Name (English)", "Kind group",
                                              "Per semester", "Tokens apply", "Active", "Set by")))
    for row in frame.itertuples():
        table.add_row(escape(row.code), escape(row.name_id), escape(row.name_en),
                      escape(groups.get(row.group_code, row.group_code)), t("Yes") if row.per_semester else "–",
                      t("Yes") if row.tokens_apply else "–", t("Yes") if row.active else t("No"),
                      t(ORIGIN_WORDS.get(row.origin, row.origin)))
    console.print(table)


SYNC_WORDS = {"added": "Added: {codes}", "updated": "Updated: {codes}",
              "kept": "Kept as an administrator edited them: {codes}"}
ORIGIN_WORDS = {"seed": "Pantau's list", "config": "Configuration", "admin": "Administrator"}
"""What `kinds sync` did and who set each kind, in words (the `--json` output keeps the codes)."""
