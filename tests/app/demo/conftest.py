"""A small demo campus generated once per test module, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_helpers import NOW
from sqlalchemy import Engine

from app.demo import DemoSummary, generate
from pantau.db import make_engine
from pantau.migrate import upgrade


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def campus(request, tmp_path_factory) -> Iterator[tuple[Engine, DemoSummary]]:
    """A small demo campus (seed 42, fresh at `NOW`) in a migrated store, shared by a module's tests."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'pantau.db'}")
        upgrade(engine)
    else:
        engine = request.getfixturevalue("pg_database")
    summary = generate(engine, "small", seed=42, now=NOW)
    yield engine, summary
    if request.param == "sqlite":
        engine.dispose()
