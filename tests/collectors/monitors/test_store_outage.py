"""Probe rounds while the store cannot be reached: kept in memory, bounded, and written in order when it
returns, so the monitor's state, incident and samples follow what was observed (PostgreSQL)."""

from __future__ import annotations

import pytest
from pg_outage import throwaway_database
from sqlalchemy import select

from collectors.monitors import MonitorsCollector
from collectors.monitors import collector as monitors_collector
from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.models import Incident, Monitor, ProbeSample

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
    assert collector.dropped == 3, "the round taken on return also pushed out the oldest one kept"
    with engine.connect() as connection:
        assert len(connection.scalars(select(ProbeSample.id)).all()) == 2, "only the newest two rounds"
