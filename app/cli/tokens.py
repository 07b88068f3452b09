"""`pantau tokens add|revoke`: bearer tokens for source systems and host agents."""

from __future__ import annotations

import typer
from rich.markup import escape

from pantau.api_tokens import PURPOSES, issue_token, revoke_token
from pantau.db import session_scope
from pantau.phrases import Phrases

from .common import console, engine, fail, settings, words

REFUSALS = Phrases("unknown token purpose {purpose}; choose one of {purposes}",
                   "a token named {name} already exists", "no token named {name}")
"""What `pantau.api_tokens` refuses with, in the configured language."""

app = typer.Typer(help="Tokens for the JSON API (workflow events, host agents).", no_args_is_help=True)


@app.command("add")
def add(name: str, purpose: str = typer.Option(..., help=f"one of: {', '.join(PURPOSES)}")) -> None:
    """Issue a token; it is printed once and only its digest is stored."""
    config = settings()
    try:
        with session_scope(engine(config)) as session:
            token = issue_token(session, name, purpose, actor="cli")
    except ValueError as error:
        fail(escape(REFUSALS.say(str(error), config.language)))
    console.print(words(config)("Token [bold]{name}[/] ({purpose}): {token}", name=escape(name),
                                purpose=escape(purpose), token=token), highlight=False)


@app.command("revoke")
def revoke(name: str) -> None:
    """Revoke a token: the source or agent holding it is refused from now on."""
    config = settings()
    try:
        with session_scope(engine(config)) as session:
            revoke_token(session, name, actor="cli")
    except ValueError as error:
        fail(escape(REFUSALS.say(str(error), config.language)))
    console.print(words(config)("Token {name} revoked.", name=name), markup=False, highlight=False)
