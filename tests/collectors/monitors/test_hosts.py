"""Host metrics: the collector reads its own machine; full disks and gone processes raise alerts."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

import psutil
from sqlalchemy import select

from collectors.monitors import HostMetricsCollector, HostReading, check_hosts, store_reading
from pantau.db import session_scope
from pantau.models import Alert, HostMetric


def reading(host: str, *, disk: float = 40.0, alive: bool = True, at: datetime | None = None) -> HostReading:
    return HostReading(hostname=host, taken_at=at or datetime.now(UTC), cpu_percent=12.5, load_1=0.4,
                       memory_percent=55.0, disk_percent={"/": disk, "/var": None},
                       processes={"php-fpm": alive, "mariadbd": True})


def live_alerts(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(Alert.dedup_key, Alert.state).order_by(Alert.dedup_key))]


def test_hm001_collector_stores_a_reading_of_this_machine(engine, make_settings):
    me = psutil.Process(os.getpid()).name()
    settings = make_settings(engine, host_processes=[me, "no-such-daemon"], host_mounts=["/"])

    result = HostMetricsCollector(settings, engine).run()

    with engine.connect() as connection:
        [row] = connection.execute(
            select(HostMetric.host, HostMetric.processes, HostMetric.disks, HostMetric.mem_pct)).all()
    assert row.host == socket.gethostname()
    assert row.processes == {me: True, "no-such-daemon": False}
    assert set(row.disks) == {"/"} and 0 < row.mem_pct <= 100
    assert result.message.startswith(f"{socket.gethostname()}: CPU ")
    assert "processes gone: no-such-daemon" in result.message
    assert live_alerts(engine) == [(f"host:{socket.gethostname()}:process:no-such-daemon", "open")]


def test_hm002_disk_above_the_limit_and_a_gone_process_alert_once_and_clear(store):
    with session_scope(store) as session:
        store_reading(session, reading("server-pembayaran", disk=93.0, alive=False))
    for _ in range(2):
        with session_scope(store) as session:
            check_hosts(session, disk_limit=90, lang="en")

    raised = live_alerts(store)
    with session_scope(store) as session:
        store_reading(session, reading("server-pembayaran", disk=70.0, alive=True,
                                       at=datetime.now(UTC) + timedelta(seconds=1)))
    with session_scope(store) as session:
        check_hosts(session, disk_limit=90, lang="en", now=datetime.now(UTC) + timedelta(seconds=2))

    assert raised == [("host:server-pembayaran:disk:/", "open"), ("host:server-pembayaran:process:php-fpm", "open")]
    assert live_alerts(store) == [("host:server-pembayaran:disk:/", "resolved"),
                                  ("host:server-pembayaran:process:php-fpm", "resolved")]


def test_hm003_silent_host_is_not_alerted_on(engine):
    with session_scope(engine) as session:
        store_reading(session, reading("old-server", disk=99.0, at=datetime.now(UTC) - timedelta(hours=2)))
    with session_scope(engine) as session:
        assert check_hosts(session, disk_limit=90, lang="en") == []
