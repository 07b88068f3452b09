"""A throwaway PostgreSQL database that a test can close to connections (ending the open ones) and reopen:
the store going away and coming back, without touching the server other tests use."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url


@dataclass
class Outage:
    url: str
    admin: Engine
    name: str

    def close(self) -> None:
        """Refuse new connections and end the open ones."""
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": self.name})

    def reopen(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))


@contextmanager
def throwaway_database() -> Iterator[Outage]:
    """An empty database on the test PostgreSQL server (skips without PANTAU_TEST_POSTGRES_URL), dropped after."""
    server_url = os.environ.get("PANTAU_TEST_POSTGRES_URL")
    if not server_url:
        pytest.skip("PostgreSQL tests need PANTAU_TEST_POSTGRES_URL")
    name = f"pantau_outage_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield Outage(make_url(server_url).set(database=name).render_as_string(hide_password=False), admin, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
