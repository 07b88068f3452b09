"""`pantau agent` through a dashboard that cannot take its readings for a while (issue 18): the readings are kept,
bounded (the oldest dropped, said in one line), and pushed oldest first when the dashboard takes them again, each
stored at its own time and once; Retry-After is waited out; a refused token is not pushed again. The dashboard is
the real app on a loopback port; the agent's ticks are called directly, on a test clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pg_outage import throwaway_database
from sqlalchemy import select
from typer.testing import CliRunner
from werkzeug.serving import make_server

from app.bench.web import free_port
from app.cli import app as cli
from app.cli.agent import Answer, Pusher, endpoint, send
from collectors.probes import host_snapshot
from pantau.api_tokens import issue_token
from pantau.db import make_engine, session_scope
from pantau.migrate import upgrade
from pantau.models import HostMetric
from pantau.settings import Settings

HOST = "server-pembayaran"
START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)


class Clock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """The agent's `send`, recording each reading pushed and its answer; with `lose_answers`, the reading goes
    but its answer is lost on the way back (the agent hears a reset connection)."""

    def __init__(self) -> None:
        self.sent: list[tuple[datetime, Answer]] = []
        self.lose_answers = False

    def __call__(self, url, token, snapshot) -> Answer:
        answer = send(url, token, snapshot, timeout_s=5)
        self.sent.append((snapshot.taken_at, answer))
        return Answer(False, None, "Connection reset by peer") if self.lose_answers else answer


def readings(count: int) -> list:
    base = host_snapshot(["/"], [], cpu_sample_s=0)
    return [replace(base, hostname=HOST, taken_at=START + timedelta(minutes=n)) for n in range(count)]


def stored(engine) -> list[datetime]:
    with engine.connect() as connection:
        return connection.scalars(select(HostMetric.collected_at).where(HostMetric.host == HOST)
                                  .order_by(HostMetric.id)).all()


def agent_token(engine) -> str:
    with session_scope(engine) as session:
        return issue_token(session, HOST, "agent", actor="test")


@contextmanager
def dashboard_on(port: int, settings: Settings, engine) -> Iterator[str]:
    """The real dashboard on http://127.0.0.1:`port`, in a thread."""
    from dashboard import create_app

    server = make_server("127.0.0.1", port, create_app(settings, engine).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def outage(tmp_path):
    with throwaway_database() as database:
        engine = make_engine(database.url)
        upgrade(engine)
        try:
            yield database, engine, Settings(data_dir=tmp_path, database_url=database.url, language="en")
        finally:
            engine.dispose()


@pytest.mark.postgres
def test_agb001_readings_taken_while_the_store_is_away_arrive_afterwards_in_order_once(outage, capsys):
    database, engine, settings = outage
    token, taken = agent_token(engine), readings(7)
    clock, recorder = Clock(), Recorder()
    with dashboard_on(free_port(), settings, engine) as url:
        pusher = Pusher(endpoint(url), token, 100, interval_s=60, send=recorder, clock=clock, lang="en")
        assert pusher.tick(taken[0])

        database.close()
        clock.now += 60
        assert not pusher.tick(taken[1])
        refused = recorder.sent[-1][1]
        assert (refused.status, refused.transient, refused.retry_after_s) == (503, True, 30)
        clock.now += 20  # a tick before Retry-After is up: nothing is pushed
        assert not pusher.tick(taken[2])
        assert len(recorder.sent) == 2
        clock.now += 60
        assert not pusher.tick(taken[3])
        assert [at for at, _ in recorder.sent[2:]] == [taken[1].taken_at]
        assert [reading.taken_at for reading in pusher.kept] == [r.taken_at for r in taken[1:4]]

        database.reopen()
        clock.now += 60
        assert pusher.tick(taken[4])
        assert [at for at, _ in recorder.sent[3:]] == [r.taken_at for r in taken[1:5]]
        assert not pusher.kept

        # the answer to a stored reading is lost on the way back: the agent pushes it again, it is stored once
        recorder.lose_answers = True
        clock.now += 60
        assert not pusher.tick(taken[5])
        recorder.lose_answers = False
        clock.now += 60
        assert pusher.tick(taken[6])
        assert [(at, answer.status, answer.already_stored) for at, answer in recorder.sent[-2:]] == [
            (taken[5].taken_at, 200, True), (taken[6].taken_at, 201, False)]

    assert stored(engine) == [r.taken_at for r in taken]
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "HTTP 503" in out.err and "3 readings kept" in out.err and "Retry-After" in out.err
    assert f"(with 3 readings kept since {taken[1].taken_at:%Y-%m-%d %H:%M:%S} UTC)" in out.out
    assert "1 already stored" in out.out


def test_agb002_a_full_buffer_drops_the_oldest_and_says_so(engine, make_settings, closed_port, capsys):
    taken = readings(6)
    clock = Clock()
    url = f"http://127.0.0.1:{closed_port}"
    pusher = Pusher(endpoint(url), agent_token(engine), 3, interval_s=60, clock=clock, lang="en")

    for reading in taken[:5]:
        assert not pusher.tick(reading)
    down = capsys.readouterr()
    with dashboard_on(closed_port, make_settings(engine), engine):
        assert pusher.tick(taken[5])

    assert pusher.dropped == 3
    assert stored(engine) == [r.taken_at for r in taken[3:]]
    lines = down.err.splitlines()
    assert len(lines) == 5 + 2, "one line a tick, and one for each reading dropped"
    assert sum("buffer full (3 readings): dropped the oldest 1 reading" in line for line in lines) == 2
    assert [line.count("dropped since the agent started") for line in lines] == [0, 0, 0, 1, 0, 1, 0]
    assert "(1 dropped since" in lines[3] and "(2 dropped since" in lines[5]
    assert all("cannot reach" in line for line in lines if "buffer full" not in line)


def test_agb003_a_refused_token_is_said_once_a_reading_and_not_pushed_again(engine, make_settings, capsys):
    agent_token(engine)
    taken = readings(2)
    recorder = Recorder()
    with dashboard_on(free_port(), make_settings(engine), engine) as url:
        pusher = Pusher(endpoint(url), "not-the-token", 100, interval_s=60, send=recorder, clock=Clock(), lang="en")
        assert not pusher.tick(taken[0])
        assert not pusher.tick(taken[1])

    assert [(at, answer.status) for at, answer in recorder.sent] == [(r.taken_at, 401) for r in taken]
    assert not pusher.kept and stored(engine) == []
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert all(endpoint(url) in line and "HTTP 401" in line and "the token is refused" in line
               and "still running" in line for line in lines)


def test_agb004_once_exits_1_in_one_line_when_the_dashboard_cannot_be_reached(closed_port, monkeypatch):
    monkeypatch.setenv("PANTAU_LANGUAGE", "en")
    result = CliRunner().invoke(cli, ["agent", "--push", f"http://127.0.0.1:{closed_port}", "--token", "t", "--once"])

    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "cannot reach" in result.output and "not delivered" in result.output
    assert "[Errno 111] Connection refused" in result.output, "what the network said, not taken for markup"
    assert "Traceback" not in result.output
