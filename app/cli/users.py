"""`pantau users add|list|passwd|disable|logout`."""

from __future__ import annotations

import pandas as pd
import typer
from rich.table import Table

from pantau import accounts
from pantau.db import session_scope
from pantau.settings import ROLES
from queries.admin import list_users

from .common import console, engine, fail

app = typer.Typer(help="Manage who may log in.", no_args_is_help=True)


@app.command("add")
def add(
    name: str,
    role: str = typer.Option(..., help=f"one of: {', '.join(ROLES)}"),
    full_name: str = typer.Option("", help="shown in the header"),
    unit: str = typer.Option(None, help="an operator's unit, e.g. 'UPT TIK'"),
    password: str = typer.Option(None, help="omit to generate one", hide_input=True),
) -> None:
    """Add a user; prints the generated password once."""
    try:
        with session_scope(engine()) as session:
            new = accounts.create_user(session, name, role, password=password, full_name=full_name, unit=unit,
                                       actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"User [bold]{name}[/] ({role}) created." + ("" if password
                                                               else f" Password: [bold]{new.password}[/]"))


@app.command("list")
def list_() -> None:
    """List users and their roles."""
    table = Table("username", "name", "role", "unit", "active", "last log-in")
    for row in list_users(engine()).itertuples():
        last = "-" if pd.isna(row.last_login_at) else row.last_login_at.strftime("%Y-%m-%d %H:%M UTC")
        table.add_row(_text(row.username), _text(row.full_name), _text(row.role), _text(row.unit),
                      "yes" if row.active else "no", last)
    console.print(table)


def _text(value) -> str:
    """A cell as text: empty for a missing value (pandas gives NaN for a user without a unit or name)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@app.command("passwd")
def passwd(name: str,
           password: str = typer.Option(..., prompt=True, confirmation_prompt=True, hide_input=True)) -> None:
    """Set a user's password."""
    try:
        with session_scope(engine()) as session:
            accounts.set_password(session, name, password, actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"Password of {name} changed.")


@app.command("disable")
def disable(name: str) -> None:
    """Stop a user from logging in."""
    try:
        with session_scope(engine()) as session:
            accounts.set_active(session, name, False, actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"{name} can no longer log in.")


@app.command("logout")
def logout(name: str) -> None:
    """Log a user out everywhere: every session of theirs ends at once, on every device."""
    try:
        with session_scope(engine()) as session:
            accounts.end_sessions(session, name, actor="cli")
    except ValueError as error:
        fail(str(error))
    console.print(f"Every session of {name} has ended.")
