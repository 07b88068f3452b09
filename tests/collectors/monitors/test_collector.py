"""The monitors collector against real loopback servers and namespace hosts: states, incidents, alerts."""

from __future__ import annotations

import socket
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from collectors.monitors import MonitorsCollector
from collectors.registry import build
from collectors.scheduler import run_once
from pantau.models import Alert, AlertDelivery, Incident, Monitor, ProbeSample, RollupMinute


def monitor(name: str, check: str, target: str, **fields) -> dict:
    return {"name": name, "role": fields.pop("role", "other"), "check": check, "target": target,
            "interval_s": 10, "timeout_s": 1.0, "down_after": 3, "up_after": 2, **fields}


def rows(engine, *columns, where=None, order=None) -> list[tuple]:
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query.order_by(*(order or columns[:1])))]


def status(engine, name: str) -> str:
    return rows(engine, Monitor.status, where=Monitor.name == name)[0][0]


def test_mo001_tcp_http_and_icmp_checks_write_samples_and_rollups(engine, make_settings, listening_port,
                                                                    http_base):
    settings = make_settings(engine, [
        monitor("h2h-server", "tcp", f"127.0.0.1:{listening_port}", role="h2h-server"),
        monitor("payment-server", "http", f"{http_base}/ok", role="payment-server", keyword="sehat"),
        monitor("router", "icmp", "127.0.0.1", role="router", count=3),
    ])
    collector = MonitorsCollector(settings, engine)

    report = collector.check()

    assert [item.status for item in report.checked] == ["up", "up", "up"]
    samples = rows(engine, Monitor.name, ProbeSample.ok, ProbeSample.status_code, ProbeSample.loss,
                   where=ProbeSample.monitor_id == Monitor.id, order=[Monitor.name])
    assert samples == [("h2h-server", True, None, 0.0), ("payment-server", True, 200, 0.0), ("router", True, None, 0.0)]
    assert [row[0] for row in rows(engine, RollupMinute.count)] == [1, 1, 1]
    assert report.summary().startswith("3 checked: 3 up. ")


def test_mo002_down_after_n_failed_rounds_with_one_alert_then_recovered_with_the_duration(
        store, make_settings, http_base):
    settings = make_settings(store, [monitor("payment-server", "http", f"{http_base}/error",
                                              role="payment-server")])
    collector = MonitorsCollector(settings, store)

    seen = [collector.check().checked[0].status for _ in range(4)]
    collector.monitors = [m.model_copy(update={"target": f"{http_base}/ok"}) for m in collector.monitors]
    seen += [collector.check().checked[0].status for _ in range(2)]

    assert seen == ["pending", "pending", "down", "down", "down", "up"]
    [(kind, started, ended, cause)] = rows(store, Incident.kind, Incident.started_at, Incident.ended_at,
                                           Incident.cause)
    checks = [row[0] for row in rows(store, ProbeSample.checked_at)]
    assert (kind, started, ended) == ("down", checks[0], checks[4])
    assert cause.endswith("HTTP 500 Internal Server Error, not an expected status")
    [(title, state, note)] = rows(store, Alert.title, Alert.state, Alert.resolution_note)
    assert (title, state) == ("payment-server is down", "resolved")
    assert note.startswith("Recovered after ")
    assert [event for (event,) in rows(store, AlertDelivery.event, order=[AlertDelivery.id])] == ["opened", "resolved"]


def test_mo003_child_of_a_down_parent_is_unreachable_and_raises_no_alert(store, make_settings):
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        parent_port = probe.getsockname()[1]
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        child_port = probe.getsockname()[1]
    settings = make_settings(store, [
        monitor("bank-link", "tcp", f"127.0.0.1:{child_port}", role="bank-link", depends_on="h2h-server"),
        monitor("h2h-server", "tcp", f"127.0.0.1:{parent_port}", role="h2h-server"),
    ])
    collector = MonitorsCollector(settings, store)

    for _ in range(4):
        collector.check()
    during = (status(store, "h2h-server"), status(store, "bank-link"))
    alerts_during = [key for (key,) in rows(store, Alert.dedup_key)]
    with socket.create_server(("127.0.0.1", parent_port)):
        for _ in range(2):
            collector.check()
        after = (status(store, "h2h-server"), status(store, "bank-link"))

    assert during == ("down", "unreachable")
    assert alerts_during == ["monitor:h2h-server:down"]
    assert after == ("up", "down")
    assert sorted(key for (key,) in rows(store, Alert.dedup_key)) == ["monitor:bank-link:down",
                                                                      "monitor:h2h-server:down"]
    incidents = rows(store, Monitor.name, Incident.kind, Incident.ended_at.is_(None),
                     where=Incident.monitor_id == Monitor.id, order=[Incident.id])
    assert incidents == [("h2h-server", "down", False), ("bank-link", "unreachable", False),
                         ("bank-link", "down", True)]


def test_mo004_failures_in_maintenance_are_kept_out_of_uptime_and_alerts(engine, make_settings, closed_port):
    now = datetime.now(UTC)
    window = {"start": now - timedelta(hours=1), "end": now + timedelta(hours=1), "note": "server move"}
    settings = make_settings(engine, [monitor("h2h-server", "tcp", f"127.0.0.1:{closed_port}",
                                              maintenance=[window])])
    collector = MonitorsCollector(settings, engine)

    for _ in range(4):
        collector.check()

    assert status(engine, "h2h-server") == "maintenance"
    assert rows(engine, Alert.id) == [] and rows(engine, Incident.id) == []
    counted = rows(engine, RollupMinute.up, RollupMinute.down, RollupMinute.maintenance)
    assert [sum(column) for column in zip(*counted)] == [0, 0, 4]


def test_mo005_https_certificate_close_to_expiry_raises_an_alert(engine, make_settings, https_server):
    settings = make_settings(engine, [monitor("payment-server", "http", f"{https_server.url}/ok",
                                              verify_tls=False)], cert_alert_days=40)
    MonitorsCollector(settings, engine).check()

    [(key, title, body)] = rows(engine, Alert.dedup_key, Alert.title, Alert.body)
    assert key == "monitor:payment-server:certificate"
    assert title == "TLS certificate of payment-server expires soon"
    assert body.startswith(("29.9 days left, until ", "30.0 days left, until "))


def test_mo006_collect_once_runs_a_round_and_says_what_it_found(engine, make_settings, listening_port, closed_port):
    settings = make_settings(engine, [
        monitor("h2h-server", "tcp", f"127.0.0.1:{listening_port}"),
        monitor("bank-link", "tcp", f"127.0.0.1:{closed_port}"),
    ])

    [outcome] = run_once(settings, engine, names=["monitors"])

    assert outcome.ok and outcome.items == 2
    assert outcome.message.startswith("2 checked: 1 pending, 1 up. bank-link failing 1/3: 127.0.0.1 port ")
    assert "Connection refused" in outcome.message


def test_mo007_bad_configuration_fails_each_run_with_its_message(engine, make_settings):
    settings = make_settings(engine, [monitor("h2h-server", "tcp", "10.0.0.5")])

    [outcome] = run_once(settings, engine, names=["monitors"])

    assert not outcome.ok
    assert "monitor 'h2h-server' field target: '10.0.0.5' is not host:port" in outcome.message


def test_mo008_each_monitor_runs_on_its_own_interval(engine, make_settings, listening_port):
    settings = make_settings(engine, [
        monitor("fast", "tcp", f"127.0.0.1:{listening_port}", interval_s=10),
        monitor("slow", "tcp", f"127.0.0.1:{listening_port}", interval_s=30),
    ])
    [collector] = build(settings, engine, ["monitors"])
    seconds = iter([1000.0, 1000.0, 1010.0, 1020.0, 1030.0])
    collector.clock = lambda: next(seconds)

    checked = [collector.run().items for _ in range(5)]

    assert collector.interval_s == 10
    assert checked == [2, 0, 1, 1, 2]


@pytest.mark.netns
def test_mo009_host_whose_link_goes_down_is_down_after_n_rounds_and_back_after_m(engine, make_settings,
                                                                                test_network):
    host = test_network.add_host()
    settings = make_settings(engine, [monitor("router", "icmp", host.address, count=2, timeout_s=0.5)])
    collector = MonitorsCollector(settings, engine)
    assert collector.check().checked[0].status == "up"

    test_network.set_link(host, up=False)
    falling = [collector.check().checked[0].status for _ in range(3)]
    test_network.set_link(host, up=True)
    rising = []
    for _ in range(10):
        rising.append(collector.check().checked[0])
        if rising[-1].status == "up":
            break

    assert falling == ["up", "up", "down"]
    answered = [item for item in rising if item.result.ok]
    assert [item.status for item in answered] == ["down", "up"]
    [(started, ended)] = rows(engine, Incident.started_at, Incident.ended_at)
    assert ended == answered[0].result.checked_at
    [(state, note)] = rows(engine, Alert.state, Alert.resolution_note)
    assert state == "resolved" and note.startswith("Recovered after ")


def test_mo020_a_monitor_with_a_label_is_named_by_it_in_its_down_alert(engine, make_settings, closed_port):
    settings = make_settings(engine, [monitor("h2h-server", "tcp", f"127.0.0.1:{closed_port}", role="h2h-server",
                                              label="Server H2H Bank BNI")])
    collector = MonitorsCollector(settings, engine)
    for _ in range(3):
        collector.check()
    [(title, key)] = rows(engine, Alert.title, Alert.dedup_key)
    assert (title, key) == ("Server H2H Bank BNI is down", "monitor:h2h-server:down")
