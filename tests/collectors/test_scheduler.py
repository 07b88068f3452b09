"""Collectors run once or on their intervals; every run is recorded and a failing or slow one harms no other."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from sqlalchemy import select

from collectors.base import Collector, CollectorResult
from collectors.registry import build, register, registered, unregister
from collectors.scheduler import run_once, serve
from pantau.db import session_scope
from pantau.models import CollectorRun
from pantau.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def use_collector():
    """Register collector classes for one test only."""
    names: list[str] = []

    def use(cls: type[Collector]) -> type[Collector]:
        names.append(cls.name)
        return register(cls)

    yield use
    for name in names:
        unregister(name)


def runs(engine) -> list[tuple[str, bool, int, str]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(CollectorRun.collector, CollectorRun.ok, CollectorRun.items, CollectorRun.message).order_by(
                CollectorRun.id
            )
        )
        return [tuple(row) for row in rows]


def test_sched001_run_once_records_every_run_and_a_failure_stops_no_other(settings, engine, use_collector):
    @use_collector
    class Broken(Collector):
        name = "test-broken"

        def run(self) -> CollectorResult:
            raise ConnectionError("bank tidak menjawab")

    @use_collector
    class Tagihan(Collector):
        name = "test-tagihan"

        def run(self) -> CollectorResult:
            return CollectorResult(items=3, message="3 tagihan baru")

    outcomes = run_once(settings, engine, names=["test-broken", "test-tagihan"])

    assert [(o.collector, o.ok, o.items, o.message) for o in outcomes] == runs(engine) == [
        ("test-broken", False, 0, "ConnectionError: bank tidak menjawab"),
        ("test-tagihan", True, 3, "3 tagihan baru"),
    ]
    assert all(o.started_at <= o.finished_at for o in outcomes)


def test_sched002_the_registry_refuses_unknown_nameless_and_clashing_collectors(settings, engine, use_collector):
    with pytest.raises(ValueError, match=r"unknown collector 'ktm'; known: .*alerts"):
        build(settings, engine, names=["ktm"])

    class Nameless(Collector):
        def run(self) -> CollectorResult:
            return CollectorResult()

    with pytest.raises(TypeError, match="Nameless has no `name`"):
        register(Nameless)

    class Impostor(Collector):
        name = "alerts"

        def run(self) -> CollectorResult:
            return CollectorResult()

    with pytest.raises(ValueError, match="collector name 'alerts' is already taken by collectors.alert_delivery"):
        register(Impostor)
    assert "alerts" in registered() and registered()["alerts"] is not Impostor


def test_sched003_serve_repeats_each_collector_and_a_slow_one_never_blocks_the_others(
    settings, engine, use_collector
):
    release, ticked_three_times, stop = threading.Event(), threading.Event(), threading.Event()
    ticks: list[int] = []

    @use_collector
    class Slow(Collector):
        name = "test-slow"
        default_interval_s = 0.05

        def run(self) -> CollectorResult:
            release.wait(timeout=30)
            return CollectorResult(message="akhirnya")

    @use_collector
    class Ticker(Collector):
        name = "test-ticker"
        default_interval_s = 0.05

        def run(self) -> CollectorResult:
            ticks.append(len(ticks) + 1)
            if len(ticks) == 3:
                ticked_three_times.set()
            return CollectorResult(items=1)

    server = threading.Thread(target=serve, args=(settings, engine, stop, ["test-slow", "test-ticker"]))
    server.start()
    try:
        assert ticked_three_times.wait(timeout=30), "the ticker did not run three times while the slow one hung"
    finally:
        release.set()
        stop.set()
        server.join(timeout=30)
    assert not server.is_alive()
    recorded = runs(engine)
    assert sum(1 for run in recorded if run[0] == "test-ticker") == len(ticks) >= 3
    assert ("test-slow", True, 0, "akhirnya") in recorded


def test_sched004_serve_stops_cleanly_on_sigterm(settings, engine, use_collector):
    @use_collector
    class Terminator(Collector):
        name = "test-sigterm"

        def run(self) -> CollectorResult:
            os.kill(os.getpid(), signal.SIGTERM)
            return CollectorResult(message="SIGTERM sent")

    before = signal.getsignal(signal.SIGTERM)
    serve(settings, engine, names=["test-sigterm"])

    assert signal.getsignal(signal.SIGTERM) is before
    assert runs(engine) == [("test-sigterm", True, 0, "SIGTERM sent")]
