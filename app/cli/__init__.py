"""The `pantau` command."""

from __future__ import annotations

import typer

from . import (
    agent,
    backup,
    bench,
    imports,
    kinds,
    monthly,  # noqa: F401  (adds `pantau report monthly` to the report group)
    recon,
    report,
    services,
    sop,
    store,
    storecopy,
    sync,
    tokens,
    users,
)
from .safety import SafeGroup

app = typer.Typer(help="Pantau: dashboards for a polytechnic's money, servers and SOPs.", no_args_is_help=True,
                  pretty_exceptions_show_locals=False, cls=SafeGroup)
store.register(app)
services.register(app)
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(imports.app, name="import")
app.add_typer(report.app, name="report")
app.add_typer(sync.app, name="sync")
app.add_typer(kinds.app, name="kinds")
app.add_typer(sop.app, name="sop")
app.add_typer(storecopy.app, name="store")
bench.register(app)
recon.register(app)
agent.register(app)
backup.register(app)


def main() -> None:
    app()
