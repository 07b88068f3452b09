"""`pantau tokens add|revoke`: bearer tokens for source systems and host agents."""

from __future__ import annotations

import typer

from pantau.api_tokens import PURPOSES, issue_token, revoke_token
from pantau.db import session_scope

from .common import console, engine, fail

app = typer.Typer(help="Tokens for the JSON API (workflow events, host agents).", no_args_is_help=True)


@app.command("add")
def add(name: str, purpose: str = typer.Option(..., help=f"one of: {', '.join(PURPOSES)}")) -> None:
    """Issue a token; it is printed once and only its digest is stored."""
    try:
        with session_scope(engine()) as session:
            token = issue_token(session, name, purpose, actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"Token [bold]{name}[/] ({purpose}): {token}")


@app.command("revoke")
def revoke(name: str) -> None:
    """Revoke a token: the source or agent holding it is refused from now on."""
    try:
        with session_scope(engine()) as session:
            revoke_token(session, name, actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"Token {name} revoked.")
