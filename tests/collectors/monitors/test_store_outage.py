"""Probe rounds while the store cannot be reached: kept in memory, bounded, and written in order when it
returns, so the monitor's state, incident and samples follow what was observed (PostgreSQL). The collector
process's own loop probes on through an outage many lease periods long, and alerts once the store is back."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC

import pytest
from pg_outage import LoopbackRelay, throwaway_database
from sqlalchemy import select
from sqlalchemy.engine import make_url

from collectors import scheduler
from collectors.monitors import MonitorsCollector
from collectors.monitors import collector as monitors_collector
from dashboard import create_app
from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.models import CollectorRun, Incident, Monitor, ProbeSample, utcnow
from pantau.settings import Settings

pytestmark = pytest.mark.postgres


def monitor(target: str) -> dict:
    return {"name": "h2h-server", "role": "h2h-server", "check": "tcp", "target": target, "interval_s": 10,
            "timeout_s": 1.0, "down_after": 2, "up_after": 1}


@pytest.fixture
def outage():
    with throwaway_database() as database:
        engine = make_engine(database.url)
        upgrade(engine)
        try:
            yield database, engine
        finally:
            engine.dispose()


def test_out001_rounds_observed_while_the_store_is_down_are_written_in_order_when_it_returns(
        outage, make_settings, closed_port):
    database, engine = outage
    down = MonitorsCollector(make_settings(engine, [monitor(f"127.0.0.1:{closed_port}")]), engine)
    assert len(down.check().checked) == 1, "the first round is written while the store is up"
    database.close()
    for _ in range(3):
        assert down.check().checked == [], "nothing written while the store is away"
    assert len(down.backlog) == 3
    result = down.run()
    assert "4 rounds kept in memory" in result.message
    database.reopen()
    report = down.check()
    assert len(down.backlog) == 0 and report.checked[0].status == "down"
    with engine.connect() as connection:
        samples = connection.scalars(select(ProbeSample.checked_at).order_by(ProbeSample.id)).all()
        incidents = connection.execute(select(Incident.started_at)).all()
        state = connection.scalar(select(Monitor.status))
    assert len(samples) == 6 and samples == sorted(samples), "every round, in the order observed"
    assert state == "down" and len(incidents) == 1
    assert incidents[0].started_at <= samples[2], "the incident began while the store was away"


def test_out002_the_backlog_is_bounded_dropping_the_oldest_rounds(outage, make_settings, closed_port, monkeypatch):
    database, engine = outage
    monkeypatch.setattr(monitors_collector, "BACKLOG_ROUNDS", 2)
    collector = MonitorsCollector(make_settings(engine, [monitor(f"127.0.0.1:{closed_port}")]), engine)
    database.close()
    for _ in range(4):
        collector.check()
    assert len(collector.backlog) == 2 and collector.dropped == 2
    database.reopen()
    collector.check()
    assert collector.dropped == 2, "on return the kept rounds are written before the new one is added"
    with engine.connect() as connection:
        assert len(connection.scalars(select(ProbeSample.id)).all()) == 3, "the newest two rounds and the new one"


def _wait(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def _samples(engine) -> list:
    with engine.connect() as connection:
        return [moment.astimezone(UTC) for moment in connection.scalars(select(ProbeSample.checked_at))]


LEASE_S = 2.0
OUTAGE_S = 8.0
"""The store is away four lease periods: the lease can no longer be confirmed after 0.7 of one."""


def test_out003_the_collector_loop_probes_through_a_long_outage_keeps_the_newest_rounds_and_alerts_on_return(
        outage, closed_port, smtp_server, tmp_path, monkeypatch, caplog):
    database, direct = outage
    server = make_url(database.url)
    relay = LoopbackRelay((server.host or "127.0.0.1", server.port or 5432))
    relay.restore()
    url = server.set(port=relay.port).render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, language="en",
                        monitors=[monitor(f"127.0.0.1:{closed_port}") | {"down_after": 3}],
                        collector={"lease_s": LEASE_S, "heartbeat_s": 0.5},
                        alerts={"channels": [{"url": smtp_server.mailto("it@kampus.ac.id")}], "deliver_every_s": 3600})
    engine = make_engine(url)
    web = create_app(settings, engine).server.test_client()
    # A monitor is checked every 5 s at the least: its clock runs 25 times fast, and the scheduler ticks at 0.2 s.
    monkeypatch.setattr(monitors_collector, "BACKLOG_ROUNDS", 8)
    monkeypatch.setattr(MonitorsCollector, "interval_s", property(lambda self: 0.2))
    built: list[MonitorsCollector] = []
    real_build = scheduler.build

    def build(*args, **kwargs):
        collectors = real_build(*args, **kwargs)
        for collector in collectors:
            if isinstance(collector, MonitorsCollector):
                collector.clock = lambda: time.monotonic() * 25
                built.append(collector)
        return collectors

    probed: list = []
    real_round = monitors_collector.run_round

    def round_seen(*args, **kwargs):
        results = real_round(*args, **kwargs)
        probed.extend(result.checked_at.astimezone(UTC) for result in results.values())
        return results

    monkeypatch.setattr(scheduler, "build", build)
    monkeypatch.setattr(monitors_collector, "run_round", round_seen)
    caplog.set_level(logging.INFO)
    stop = threading.Event()
    loop = threading.Thread(target=scheduler.serve, args=(settings, engine, stop, ["monitors", "alerts"]),
                            daemon=True)
    loop.start()
    try:
        _wait(lambda: len(_samples(direct)) >= 1, "the first round written")
        relay.cut()
        cut_at = utcnow()
        assert web.get("/api/v1/health").status_code == 503
        time.sleep(OUTAGE_S)
        assert smtp_server.messages == [], "nothing can be raised or sent while the store is away"
        returned_at = utcnow()
        relay.restore()
        _wait(lambda: not built[0].backlog and any(moment > returned_at for moment in _samples(direct)),
              "the kept rounds written after the return")
        _wait(lambda: smtp_server.messages, "the alert mailed")
        health = web.get("/api/v1/health")
    finally:
        stop.set()
        loop.join(timeout=30)
        relay.cut()
        engine.dispose()
    assert not loop.is_alive()
    away = [moment for moment in probed if cut_at < moment < returned_at]
    assert max(away).timestamp() > cut_at.timestamp() + 3 * LEASE_S, "the loop stopped probing during the outage"
    written = set(_samples(direct))
    lost = sorted(set(probed) - written)
    collector = built[0]
    assert len(lost) == collector.dropped > 0, "only the rounds dropped at the bound are missing"
    assert max(lost) < min(moment for moment in written if moment > cut_at), "the oldest were dropped, no other"
    assert len([moment for moment in written if moment > cut_at]) >= 8, "the newest 8 rounds kept, and those after"
    assert any("dropped the oldest" in record.getMessage() for record in caplog.records)
    with direct.connect() as connection:
        started = connection.scalar(select(Incident.started_at)).astimezone(UTC)
        messages = connection.scalars(select(CollectorRun.message).where(CollectorRun.collector == "monitors")
                                      .order_by(CollectorRun.id)).all()
    assert started == min(written) < returned_at, "the outage began at its first failure, seen before the return"
    assert any(message.endswith("oldest rounds dropped (BACKLOG_ROUNDS).") and "The store is back: wrote 8 rounds"
               in message for message in messages), messages
    assert health.status_code == 200
