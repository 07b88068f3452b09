"""Backing up and restoring the store: SQLite through its online backup API (a consistent copy while
collectors and web workers keep writing), PostgreSQL through `pg_dump` / `pg_restore` in the custom format.
The password never goes on a command line (it travels in PGPASSWORD); a failure raises BackupError in one line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from pantau import audit
from pantau.cache import wrote_everything
from pantau.db import session_scope


class BackupError(Exception):
    """A backup or restore that could not be done; the message is one line saying what failed."""


def backup(engine: Engine, target: Path, actor: str = "cli") -> Path:
    """Write a copy of the store to ``target`` (its folder is created) and audit it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        with closing(_sqlite(engine.url)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    elif engine.dialect.name == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-owner", f"--file={target}", _conninfo(engine.url)], engine.url)
    else:
        raise BackupError(f"backup of a {engine.dialect.name} store is not supported")
    with session_scope(engine) as session:
        audit.record(session, actor, "store.backup", str(target), {"bytes": target.stat().st_size})
    return target


def restore(engine: Engine, source: Path, actor: str = "cli") -> None:
    """Replace the store's contents with the backup at ``source`` and audit it (in the restored store)."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if engine.dialect.name == "sqlite":
        _check_sqlite_backup(source)
        engine.dispose()
        with closing(sqlite3.connect(source)) as backup_db, closing(_sqlite(engine.url)) as store:
            backup_db.backup(store)
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction",
                            f"--dbname={_conninfo(engine.url)}", str(source)], engine.url)
    else:
        raise BackupError(f"restore of a {engine.dialect.name} store is not supported")
    with session_scope(engine) as session:
        wrote_everything(session.connection())  # every process's cached results are of the store replaced
        audit.record(session, actor, "store.restore", str(source))


def _sqlite(url: URL) -> sqlite3.Connection:
    if not url.database or url.database == ":memory:":
        raise BackupError("the store is an in-memory SQLite database: nothing to back up")
    connection = sqlite3.connect(url.database, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not an SQLite database holding a Pantau schema, before touching the store."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            found = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite backup: {error}") from error
    if not found:
        raise BackupError(f"{path} is not a backup of a Pantau store (no alembic_version table)")


def _conninfo(url: URL) -> str:
    """A libpq URL for the PostgreSQL tools: no driver suffix, no password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(tool: str, args: list[str], url: URL) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} not found on PATH: install the PostgreSQL client tools (Debian: "
                          f"postgresql-client) of the server's major version")
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{tool} failed (exit {done.returncode}): {lines[-1] if lines else 'no message'}")
