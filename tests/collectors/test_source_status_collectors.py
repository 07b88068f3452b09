"""Collectors record their sources: the scheduler each collector's runs, the collectors each of their sources
(bill sources, the bank inbox, event sources, monitors), and the push APIs each agent and event source; a
failing source alerts its owner after N failures in a row and recovers with the outage's length; "check now"
requests are run by the active collector and cleared; the collector reports a heartbeat and its stop."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from collectors.bankstore.inbox import BankInboxCollector
from collectors.base import Collector, CollectorResult, SourceFailures
from collectors.bills.collector import BillsCollector
from collectors.monitors.collector import MonitorsCollector
from collectors.registry import register, unregister
from collectors.scheduler import run_collector, run_once, serve
from collectors.workflow.collectors import WorkflowSourcesCollector
from pantau.db import session_scope
from pantau.models import Alert, CollectorRun, SourceStatus
from pantau.settings import Settings
from pantau.sources import SourceRef, request_check

CSV = "source_key;kind;semester;amount;va_number;due_date\nSPM-1;sipenmatu;20271;250000;8808315000001;2026-12-07\n"


def status(engine, kind: str, name: str) -> SourceStatus | None:
    with session_scope(engine) as session:
        row = session.get(SourceStatus, (kind, name))
        session.expunge_all()
        return row


def live_alerts(engine) -> list[tuple[str, str, str]]:
    with session_scope(engine) as session:
        return [tuple(row) for row in session.execute(
            select(Alert.dedup_key, Alert.role, Alert.state).order_by(Alert.id))]


@pytest.fixture
def use_collector():
    names: list[str] = []

    def use(cls):
        names.append(cls.name)
        return register(cls)

    yield use
    for name in names:
        unregister(name)


def test_colsrc001_the_scheduler_records_each_collector_as_a_source_and_source_failures_are_not_its_own(
        engine, tmp_path, use_collector):
    settings = Settings(data_dir=tmp_path)

    @use_collector
    class Broken(Collector):
        name = "test-broken"
        default_interval_s = 30

        def run(self) -> CollectorResult:
            raise ConnectionRefusedError(111, "Connection refused")

    @use_collector
    class Partial(Collector):
        name = "test-partial"

        def run(self) -> CollectorResult:
            raise SourceFailures("keuangan: timed out")

    for _ in range(3):
        run_once(settings, engine, ["test-broken", "test-partial"])

    broken, partial = status(engine, "collector", "test-broken"), status(engine, "collector", "test-partial")
    assert (broken.consecutive_failures, broken.last_error_kind, broken.interval_s) == (3, "unreachable", 30.0)
    assert "Traceback" not in broken.last_error
    assert (partial.consecutive_failures, partial.last_success_at is not None) == (0, True)
    assert partial.last_message == "keuangan: timed out"
    with session_scope(engine) as session:
        assert session.scalars(select(CollectorRun.ok).where(CollectorRun.collector == "test-partial")).all() == \
            [False] * 3, "the run still failed"
    assert live_alerts(engine) == [("source:collector:test-broken:failing", "admin", "open")]


def test_colsrc002_a_bill_source_that_cannot_be_read_fails_alerts_the_bendahara_and_recovers(engine, tmp_path):
    export = tmp_path / "tagihan.csv"
    settings = Settings(data_dir=tmp_path, sources={"bills": {"pmb": {"file": str(export)}}})
    collector = BillsCollector(settings, engine)
    assert collector.sources() == [SourceRef("bill_source", "pmb", 300)]

    for _ in range(3):
        outcome = run_collector(collector)
        assert not outcome.ok

    row = status(engine, "bill_source", "pmb")
    assert (row.consecutive_failures, row.last_error_kind) == (3, "not_found")
    assert live_alerts(engine) == [("source:bill_source:pmb:failing", "bendahara", "open")]
    assert status(engine, "collector", "bills").consecutive_failures == 0

    export.write_text(CSV)
    assert run_collector(collector).ok
    assert status(engine, "bill_source", "pmb").last_message == "pmb: 1 read, 1 written, 0 deleted"
    assert live_alerts(engine) == [("source:bill_source:pmb:failing", "bendahara", "resolved")]


def test_colsrc003_an_inbox_folder_that_disappeared_is_a_failing_bank_inbox(engine, tmp_path):
    inbox = tmp_path / "masuk"
    settings = Settings(data_dir=tmp_path, feeds={"inbox": str(inbox)})
    collector = BankInboxCollector(settings, engine)

    outcome = run_collector(collector)

    row = status(engine, "bank_inbox", str(inbox))
    assert not outcome.ok and (row.last_error_kind, row.consecutive_failures) == ("not_found", 1)
    assert str(inbox) in row.last_error
    inbox.mkdir()
    assert run_collector(collector).ok
    assert status(engine, "bank_inbox", str(inbox)).last_message == "0 files: 0 entries added, 0 files refused"


def test_colsrc004_an_unreachable_event_source_fails_on_its_own_row(engine, tmp_path, unused_tcp_port):
    settings = Settings(data_dir=tmp_path, sops={"sources": [{
        "name": "siakad", "url": f"mysql+pymysql://pantau@127.0.0.1:{unused_tcp_port}/siakad",
        "query": "SELECT 1"}]})
    collector = WorkflowSourcesCollector(settings, engine)

    run_collector(collector)

    row = status(engine, "event_source", "siakad")
    assert (row.last_error_kind, row.consecutive_failures, row.interval_s) == ("unreachable", 1, 300.0)
    assert "Can't connect" in row.last_error and "SELECT" not in row.last_error


def test_colsrc005_each_monitor_is_a_source_and_one_can_be_checked_alone(
        engine, tmp_path, tcp_listener, unused_tcp_port):
    settings = Settings(data_dir=tmp_path, monitors=[
        {"name": "h2h-server", "role": "h2h-server", "check": "tcp", "target": f"127.0.0.1:{tcp_listener}",
         "interval_s": 30, "timeout_s": 2},
        {"name": "bank-link", "role": "bank-link", "check": "tcp", "target": f"127.0.0.1:{unused_tcp_port}",
         "interval_s": 30, "timeout_s": 2},
    ])
    collector = MonitorsCollector(settings, engine)
    assert [ref.name for ref in collector.sources()] == ["h2h-server", "bank-link"]

    run_collector(collector)
    up, down = status(engine, "monitor", "h2h-server"), status(engine, "monitor", "bank-link")
    assert (up.consecutive_failures, up.interval_s, down.consecutive_failures) == (0, 30.0, 1)
    assert down.last_error_kind == "unreachable"

    before = status(engine, "monitor", "h2h-server").last_attempt_at
    collector.check_source("monitor", "h2h-server")
    assert status(engine, "monitor", "h2h-server").last_attempt_at > before
    assert status(engine, "monitor", "bank-link").consecutive_failures == 1, "only the asked monitor was checked"


def test_colsrc006_a_check_request_is_run_by_the_active_collector_then_cleared_and_it_beats_and_says_it_stopped(
        engine, tmp_path, use_collector):
    settings = Settings(data_dir=tmp_path, collector={"lease_s": 2.0, "heartbeat_s": 0.3})
    checked: list[tuple[str, str]] = []

    @use_collector
    class Tagihan(Collector):
        name = "test-tagihan"
        default_interval_s = 3600

        def sources(self):
            return [SourceRef("bill_source", "keuangan", 3600)]

        def run(self) -> CollectorResult:
            return CollectorResult(1, "ran")

        def check_source(self, kind, name) -> CollectorResult:
            checked.append((kind, name))
            from pantau.sources import record_attempt
            with session_scope(self.engine) as session:
                record_attempt(session, self.settings, kind, name, ok=True, message="checked on request")
            return CollectorResult(1, "checked")

    stop = threading.Event()
    server = threading.Thread(target=serve, args=(settings, engine, stop, ["test-tagihan"]))
    server.start()
    try:
        deadline = time.monotonic() + 20
        while status(engine, "bill_source", "keuangan") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        with session_scope(engine) as session:
            request_check(session, "bill_source", "keuangan", by="user.kepala_it")
        while time.monotonic() < deadline and (status(engine, "bill_source", "keuangan").check_requested_at
                                               is not None or not checked):
            time.sleep(0.05)
        beat = status(engine, "process", "collector")
    finally:
        stop.set()
        server.join(timeout=30)

    assert checked == [("bill_source", "keuangan")]
    row = status(engine, "bill_source", "keuangan")
    assert (row.check_requested_at, row.last_message) == (None, "checked on request")
    assert beat.interval_s == 0.3 and beat.last_message.startswith("host ")
    assert status(engine, "process", "collector").last_error_kind == "stopped"


def test_colsrc007_a_request_for_a_source_no_collector_reads_is_answered_with_a_failure(engine, tmp_path,
                                                                                       use_collector):
    from collectors.on_request import CheckRequests

    settings = Settings(data_dir=tmp_path)

    @use_collector
    class Idle(Collector):
        name = "test-idle"

        def run(self) -> CollectorResult:
            return CollectorResult()

    with session_scope(engine) as session:
        from pantau.sources import declare
        declare(session, [SourceRef("monitor", "lama", 60)])
        request_check(session, "monitor", "lama", by="user.admin")
    requests = CheckRequests([Idle(settings, engine)], run_collector)

    assert requests.poll(lambda function, *args: function(*args)) == 1

    row = status(engine, "monitor", "lama")
    assert row.check_requested_at is None and row.last_error == "no running collector reads this source"
