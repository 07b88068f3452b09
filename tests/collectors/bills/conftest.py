"""Throwaway source databases shaped like a campus payment application's bill table: on MariaDB (`payment_app`,
or several through `mariadb_app`), and on PostgreSQL (`pg_billing`). Tests that read MariaDB carry the
`mariadb` marker (CI requires that they ran); they skip, saying why, only when MariaDB does not answer."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from tagihan_app import PG_TABLE, SERVER, TABLE

MARIADB_FIXTURES = {"payment_app", "mariadb_app"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if MARIADB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.mariadb)


@pytest.fixture
def mariadb_app() -> Iterator[Callable[..., Engine]]:
    """Make MariaDB databases for the test (each with the ``tagihan`` table, or ``table``), dropped after it."""
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    made: list[tuple[str, Engine]] = []

    def make(table: str = TABLE) -> Engine:
        name = f"keuangan_{uuid.uuid4().hex[:10]}"
        try:
            with admin.connect() as connection:
                connection.execute(text(f"CREATE DATABASE {name}"))
        except OperationalError as error:
            pytest.skip(f"MariaDB at 127.0.0.1:3306 is not reachable: {error.orig}")
        app = create_engine(f"{SERVER}/{name}")
        made.append((name, app))
        with app.begin() as connection:
            connection.execute(text(table))
        return app

    try:
        yield make
    finally:
        for name, app in made:
            app.dispose()
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


@pytest.fixture
def payment_app(mariadb_app) -> Engine:
    """An empty ``tagihan`` table in a MariaDB database made for the test and dropped after it."""
    return mariadb_app()


@pytest.fixture
def pg_billing() -> Iterator[Engine]:
    """A PostgreSQL billing service's database (its own, beside the store's) with an empty ``invoice`` table."""
    server_url = os.environ.get("PANTAU_TEST_POSTGRES_URL")
    if not server_url:
        pytest.skip("PostgreSQL source tests need PANTAU_TEST_POSTGRES_URL")
    name = f"billing_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    app = create_engine(make_url(server_url).set(database=name))
    try:
        with app.begin() as connection:
            connection.execute(text(PG_TABLE))
        yield app
    finally:
        app.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
