"""Shared fixtures: a migrated store on SQLite, on PostgreSQL, or on each in turn (`store`); the SLA context
the SLA, alert, workflow-record and SLA-report tests measure with (`ctx`); a loopback SMTP server that keeps
what it receives (`smtp_server`); the hypothesis profiles ("ci" by default, "long").

`sla_helpers.py` beside this file feeds hand-written step events through the real ingestion path; this
folder is on the import path (pytest's prepend mode puts a root conftest's folder there), so any test
imports it as `from sla_helpers import feed, wib`."""

from __future__ import annotations

import email
import email.policy
import logging
import os
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.models import Base
from pantau.settings import Settings
from pantau.sla.context import SlaContext, sla_context

POSTGRES_URL_ENV = "PANTAU_TEST_POSTGRES_URL"
HYPOTHESIS_PROFILE_ENV = "PANTAU_HYPOTHESIS_PROFILE"
HYPOTHESIS_EXAMPLES_ENV = "PANTAU_HYPOTHESIS_EXAMPLES"

hypothesis_settings.register_profile("ci", max_examples=25, deadline=None, database=None, print_blob=True,
                                     derandomize=True)
hypothesis_settings.register_profile("long", max_examples=int(os.environ.get(HYPOTHESIS_EXAMPLES_ENV, 2000)),
                                     deadline=None, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get(HYPOTHESIS_PROFILE_ENV, "ci"))
os.environ.setdefault("PANTAU_CACHE__LOCAL", "false")
"""The suite reads the store on every request (the processes' own cache of a SQLite installation, on by default,
would keep what a test wrote with an engine of its own, which no cache watches); tests/pantau/test_cache_local.py
and the page benchmark turn it on."""
"""Property tests run a bounded, derandomised set of examples ("ci", the default: the same examples at every
run, so CI is reproducible); PANTAU_HYPOTHESIS_PROFILE=long runs 2000 random ones each, or
PANTAU_HYPOTHESIS_EXAMPLES. No example database is kept (a failure prints its reproduction blob instead)."""


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A command run in-process (CliRunner) configures logging onto its own stderr, which the runner closes: the
    root logger gets back the handlers and level it had, so a later test's log records never reach a closed
    stream ("--- Logging error --- ... I/O operation on closed file" in that test's output)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file the migrations have run on once for the whole session, every change checkpointed into it."""
    path = tmp_path_factory.mktemp("migrated") / "pantau.db"
    template = make_engine(f"sqlite:///{path}")
    upgrade(template)
    with template.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


@pytest.fixture
def engine(tmp_path, migrated_sqlite) -> Iterator[Engine]:
    """A fresh, migrated SQLite file database for one test (a copy of the session's migrated file: running the
    migrations takes a third of a second, copying their result a millisecond)."""
    shutil.copyfile(migrated_sqlite, tmp_path / "pantau.db")
    sqlite = make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")
    yield sqlite
    sqlite.dispose()


@pytest.fixture(scope="module")
def pg_database() -> Iterator[Engine]:
    """A migrated PostgreSQL database created for this test module and dropped after it."""
    server_url = os.environ.get(POSTGRES_URL_ENV)
    if not server_url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV}")
    name = f"pantau_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = make_engine(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(database)
        SEEDED[database.url.database] = _seeded_rows(database)
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_database: Engine) -> Iterator[Engine]:
    """The module's PostgreSQL database, emptied (DELETE, fast on small tables) after each test, and given back
    the rows the migrations seed (bill kinds)."""
    yield pg_database
    with pg_database.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if SEEDED[pg_database.url.database].get(table.name):
                connection.execute(table.insert(), SEEDED[pg_database.url.database][table.name])


SEEDED: dict[str, dict[str, list[dict]]] = {}
"""Per PostgreSQL test database, the rows its migrations seeded."""


def _seeded_rows(database: Engine) -> dict[str, list[dict]]:
    """The rows each table holds right after the migrations (those they seed)."""
    with database.connect() as connection:
        return {table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in Base.metadata.sorted_tables}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request) -> Engine:
    """A migrated, empty store: the test runs once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("engine" if request.param == "sqlite" else "pg_engine")


@pytest.fixture(scope="session")
def ctx() -> SlaContext:
    """The built-in SOP catalogue and the default working calendar."""
    return sla_context(Settings())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unused_tcp_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (connections to it are refused)."""
    return _free_port()


@pytest.fixture
def tcp_listener() -> Iterator[int]:
    """The port of a TCP service on 127.0.0.1 that accepts and closes every connection."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    server.close()


@dataclass
class SmtpServer:
    """An aiosmtpd server on loopback; `messages` holds every mail it accepted, parsed."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def mailto(self, to: str, sender: str = "pantau@kampus.ac.id") -> str:
        """An apprise URL that sends plain SMTP (no TLS, no login) to this server."""
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}&mode=insecure"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(port=_free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


MUST_RUN_MARKERS = ("browser", "postgres", "netns", "mariadb")
_marker_outcomes: dict[str, dict[str, str]] = {marker: {} for marker in MUST_RUN_MARKERS}


def pytest_runtest_logreport(report) -> None:
    """Remember how each browser, PostgreSQL, network-namespace and MariaDB test ended (CI checks none was skipped); an
    expected failure (xfail, a known fault written down) ran and is counted as such, not as skipped."""
    for marker in MUST_RUN_MARKERS:
        if marker not in report.keywords:
            continue
        outcomes = _marker_outcomes[marker]
        if hasattr(report, "wasxfail"):
            outcomes[report.nodeid] = "xfailed"
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            outcomes[report.nodeid] = f"skipped: {reason}"
        elif report.failed:
            outcomes[report.nodeid] = "failed"
        elif report.when == "call":
            outcomes[report.nodeid] = "passed"


def pytest_sessionfinish(session, exitstatus) -> None:
    """Write the must-run summary to $PANTAU_TEST_MARKER_REPORT when it is set."""
    target = os.environ.get("PANTAU_TEST_MARKER_REPORT")
    if not target or _WORKER:  # a worker's share; the controller hears every test's outcome and writes the whole
        return
    import json

    summary = {}
    for marker, outcomes in _marker_outcomes.items():
        values = list(outcomes.values())
        summary[marker] = {
            "passed": values.count("passed"),
            "failed": values.count("failed"),
            "xfailed": values.count("xfailed"),
            "skipped": sum(v.startswith("skipped") for v in values),
            "reasons": sorted({v.removeprefix("skipped: ") for v in values if v.startswith("skipped")}),
        }
    with open(target, "w") as handle:
        json.dump(summary, handle, indent=2)


# --- Running in two processes (pytest-xdist, `make test` uses -n 2 --dist loadgroup) ----------------------------

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_configure(config) -> None:
    """Each worker's browser tests serve the app on ports of their own (dash.testing counts up from 58050 in every
    process alike)."""
    if _WORKER.startswith("gw"):
        from dash.testing.application_runners import BaseDashRunner

        BaseDashRunner._next_port = 20000 + 1000 * int(_WORKER[2:])


def pytest_collection_modifyitems(config, items) -> None:
    """A module's tests stay in one worker (its module-scoped fixtures, a seeded demo campus, are built once); the
    network-namespace tests share one worker (their namespaces and addresses have fixed names)."""
    for item in items:
        group = "netns" if item.get_closest_marker("netns") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
