"""Engines and sessions for the store: SQLite (WAL, foreign keys on) by default, PostgreSQL in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from pantau.settings import Settings


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite files get their folder, WAL journaling, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def engine_for(settings: Settings) -> Engine:
    """The configured store. A server database gets a pool of `database_pool_size` connections (plus
    `database_max_overflow` at a peak), more than the collector process's threads, which each hold one while
    they run; connections open only when needed, so a web worker keeps few. Its commits retire the results
    the web workers cached of the tables they wrote (`pantau.cache`)."""
    from pantau.cache import result_cache

    url = settings.resolved_database_url
    if make_url(url).get_backend_name() == "sqlite":
        engine = make_engine(url)
    else:
        engine = make_engine(url, pool_size=settings.database_pool_size, max_overflow=settings.database_max_overflow)
    result_cache(settings).watch(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error."""
    with sessionmaker(engine, expire_on_commit=False)() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
