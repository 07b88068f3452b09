"""`pantau import …`: load files into the store, one transaction per file.

Each subject adds its own subcommand here with a one-line `<module>.register(app)`.
"""

from __future__ import annotations

import typer

from . import bank, bills, events

app = typer.Typer(help="Import files (workflow events, bank statements, bill exports) into the store.",
                  no_args_is_help=True)
events.register(app)
bank.register(app)
bills.register(app)
