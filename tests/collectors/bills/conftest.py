"""A throwaway MariaDB database shaped like a PHP payment application's bill table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from tagihan_app import SERVER, TABLE


@pytest.fixture
def payment_app() -> Iterator[Engine]:
    """An empty ``tagihan`` table in a database made for the test and dropped after it."""
    name = f"keuangan_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as error:
        pytest.skip(f"MariaDB at 127.0.0.1:3306 is not reachable: {error.orig}")
    app = create_engine(f"{SERVER}/{name}")
    try:
        with app.begin() as connection:
            connection.execute(text(TABLE))
        yield app
    finally:
        app.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
