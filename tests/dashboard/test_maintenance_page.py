"""The store unreachable while the web app runs: a 503 maintenance page in Indonesian, the health check 503
JSON, callbacks 503 JSON; and the app recovers when the store returns, without a restart. The store is a
throwaway PostgreSQL database that the test closes to connections (ending the open ones) and opens again."""

from __future__ import annotations

import re

import pytest
from pg_outage import throwaway_database

from pantau.db import session_scope
from pantau.migrate import upgrade
from pantau.models import User
from pantau.security import hash_password
from pantau.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def outage(tmp_path):
    """(app, close, open, url): an app on its own PostgreSQL database, switches that close and reopen it, and
    its URL."""
    from dashboard import context, create_app

    with throwaway_database() as database:
        app = create_app(Settings(data_dir=tmp_path, database_url=database.url))
        engine = app.server.extensions[context.EXTENSION].engine
        upgrade(engine)
        with session_scope(engine) as session:
            session.add(User(username="dir", role="direktur", password_hash=hash_password("rahasia-123")))
        try:
            yield app, database.close, database.reopen, database.url
        finally:
            engine.dispose()


def log_in(client):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"username": "dir", "password": "rahasia-123", "csrf": token, "next": "/"})


def test_mnt001_store_down_answers_503_maintenance_and_recovers_without_restart(outage):
    app, close, reopen, _ = outage
    client = app.server.test_client()
    assert client.get("/api/v1/health").status_code == 200
    assert log_in(client).status_code == 302
    assert client.get("/", follow_redirects=True).status_code == 200

    close()
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "Sedang dalam pemeliharaan" in page.text and "basis datanya tidak dapat dihubungi" in page.text
    assert page.headers["Retry-After"] == "30" and "Traceback" not in page.text
    health = client.get("/api/v1/health")
    assert health.status_code == 503 and health.json["status"] == "unavailable"
    status = client.get("/status.json")
    assert (status.status_code, status.mimetype, status.json["status"]) == (503, "application/json", "unavailable")
    callback = client.post("/_dash-update-component", json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": []})
    assert callback.status_code == 503 and callback.json["status"] == "unavailable"

    reopen()
    assert client.get("/api/v1/health").json == {"status": "ok"}
    assert client.get("/", follow_redirects=True).status_code == 200, "the same app, its session still valid"


def test_mnt002_a_web_app_started_while_the_store_is_down_serves_maintenance_then_the_pages(outage, tmp_path):
    from dashboard import create_app

    _, close, reopen, url = outage
    close()
    app = create_app(Settings(data_dir=tmp_path, database_url=url))
    client = app.server.test_client()
    assert client.get("/api/v1/health").status_code == 503
    assert log_in(client).status_code == 503
    reopen()
    assert client.get("/api/v1/health").status_code == 200
    assert log_in(client).status_code == 302
    app.server.extensions["pantau"].engine.dispose()
