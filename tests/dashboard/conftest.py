"""A real app on a migrated store with one user per role, and a way to log a test client in."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import pytest
from dash.testing.application_runners import ThreadedRunner

from pantau.db import session_scope
from pantau.models import User
from pantau.security import hash_password
from pantau.settings import ROLES, Settings

PASSWORD = "rahasia-123"


@dataclass
class Web:
    app: object
    settings: Settings
    engine: object

    password: str = PASSWORD

    def client(self, role: str | None = None):
        """A test client, logged in as the user of `role` (anonymous when None)."""
        client = self.app.server.test_client()
        if role:
            response = self.login(client, f"user.{role}", PASSWORD)
            assert response.status_code == 302, response.text
        return client

    @staticmethod
    def login(client, username: str, password: str, next_path: str = "/"):
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return client.post("/login", data={"username": username, "password": password, "csrf": token,
                                           "next": next_path})


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """One argon2 hash shared by every test user: hashing is deliberately slow."""
    return hash_password(PASSWORD)


@pytest.fixture
def web(engine, tmp_path) -> Web:
    from dashboard import create_app

    settings = Settings(data_dir=tmp_path, database_url=str(engine.url))
    with session_scope(engine) as session:
        for role in ROLES:
            session.add(User(username=f"user.{role}", role=role, password_hash=_password_hash(),
                             unit="UPT TIK" if role == "operator" else None))
    return Web(create_app(settings, engine), settings, engine)


@pytest.fixture(scope="module")
def url(site):
    """The module's demo `site` served on loopback for a real browser, for all of the module's tests."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    runner = ThreadedRunner()
    runner.start(site.app)
    yield runner.url
    runner.stop()
