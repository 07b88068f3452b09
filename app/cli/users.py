"""`pantau users add|list|passwd|disable|logout`."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from pantau import accounts, formatting
from pantau.db import session_scope
from pantau.i18n import refusal_words
from pantau.roles import role_name
from pantau.settings import ROLES
from queries.admin import list_users

from .common import console, engine, fail, settings, words

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
    config = settings()
    t = words(config)
    try:
        with session_scope(engine(config)) as session:
            new = accounts.create_user(session, name, role, password=password, full_name=full_name, unit=unit,
                                       actor="cli")
    except ValueError as error:
        fail(escape(refusal_words(error, config.language)))
    created = t("User {name} ({role}) created.", name=f"[bold]{escape(name)}[/]",
                role=escape(role_name(role, config.language)))
    console.print(created + ("" if password else " " + t("Password: {password}",
                                                           password=f"[bold]{escape(new.password)}[/]")))


@app.command("list")
def list_() -> None:
    """List users and their roles (by name, in the configured language)."""
    config = settings()
    t, lang = words(config), config.language
    table = Table(*(t(header) for header in ("Username", "Full name", "Role", "Unit", "Active", "Last log-in")))
    for row in list_users(engine(config)).itertuples():
        last = "–" if pd.isna(row.last_login_at) else formatting.moment(_utc(row.last_login_at), lang,
                                                                        config.timezone)
        table.add_row(_text(row.username), _text(row.full_name), escape(role_name(row.role, lang)), _text(row.unit),
                      t("Yes") if row.active else t("No"), last)
    console.print(table)


def _utc(moment: pd.Timestamp) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it back without its zone)."""
    moment = moment.to_pydatetime()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value) -> str:
    """A cell as text: empty for a missing value (pandas gives NaN for a user without a unit or name)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@app.command("passwd")
def passwd(name: str,
           password: str = typer.Option(..., prompt=True, confirmation_prompt=True, hide_input=True)) -> None:
    """Set a user's password."""
    _change(accounts.set_password, name, "Password of {name} changed.", password)


@app.command("disable")
def disable(name: str) -> None:
    """Stop a user from logging in."""
    _change(accounts.set_active, name, "{name} can no longer log in.", False)


@app.command("logout")
def logout(name: str) -> None:
    """Log a user out everywhere: every session of theirs ends at once, on every device."""
    _change(accounts.end_sessions, name, "Every session of {name} has ended.")


def _change(change, name: str, done: str, *arguments) -> None:
    """Make one audited change to user `name` and say `done`, or why it was refused, in the configured language."""
    config = settings()
    try:
        with session_scope(engine(config)) as session:
            change(session, name, *arguments, actor="cli")
    except ValueError as error:
        fail(escape(refusal_words(error, config.language)))
    console.print(words(config)(done, name=escape(name)), highlight=False)
