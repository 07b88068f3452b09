"""`pantau import …` recorded as a source on the sources page (/sumber), as the collectors record theirs.

Each command is one source of kind "File import" named after itself (`pantau import bank`). It pushes its
data (it runs when someone or cron runs it), so it has no "check now" and stays when the collector re-reads
its configuration. A stored file records a success; a refused file records the refusal in plain words naming
the file, line and field (what the command printed, never a traceback); any other failure is recorded as the
collectors record theirs, and the command then fails as before. After `[source_status] failures.file_import`
failures in a row the subject's owner is alerted (bendahara for bank and bills, admin for events).

The record is written in a transaction of its own, after the import's: a refused file stores nothing else.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pantau.db import session_scope
from pantau.settings import Settings
from pantau.sources import FILE_IMPORT, REFUSED, record_attempt

from .common import errors


def source_name(subcommand: str) -> str:
    """The source a subcommand is recorded as: `pantau import bank`."""
    return f"pantau import {subcommand}"


def record_import(config: Settings, store: Engine, subcommand: str, *, ok: bool, message: str | None = None,
                  refused: str | None = None, error: BaseException | None = None) -> None:
    """Record one run of `pantau import <subcommand>`: `ok` with what it stored (`message`), or failed with
    `refused` (the refusal in words) or `error` (anything else). A store that cannot take the record (the
    same store the import could not reach, say) only gets a warning: the import's own outcome stands."""
    try:
        with session_scope(store) as session:
            record_attempt(session, config, FILE_IMPORT, source_name(subcommand), ok=ok, pushed=True, message=message,
                           error=refused if refused is not None else error,
                           error_kind=REFUSED if refused is not None else None)
    except SQLAlchemyError as failure:
        errors.print(f"[yellow]warning:[/] the outcome was not recorded on the sources page: "
                     f"{type(failure).__name__}", highlight=False)
