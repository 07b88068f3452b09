"""The demo campus live (`pantau run` on the demo): its monitors become the collector's configuration, loopback
services answer them, and one collector round probes each one for real without leaving 127.0.0.0/8."""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from app.demo.live import CERTIFICATE_DAYS, DemoServices, certificate_expiries, demo_monitors
from app.demo.monitoring import DOWN_AFTER, MONITORS, TIMEOUT, UP_AFTER
from collectors.scheduler import run_once
from pantau.models import MaintenanceWindow, Monitor, ProbeSample
from pantau.monitoring.config import parse_monitors
from pantau.settings import Settings

SPECS = {spec.name: spec for spec in MONITORS}


def test_live001_the_demo_monitors_become_the_configuration_with_their_targets_windows_and_parents(campus):
    engine, _ = campus
    with engine.connect() as connection:
        entries = demo_monitors(connection)
        stored = connection.execute(select(Monitor.name, Monitor.interval_s).order_by(Monitor.id)).all()
        windows = connection.scalar(select(func.count()).select_from(MaintenanceWindow))

    assert [(entry["name"], entry["interval_s"]) for entry in entries] == [tuple(row) for row in stored]
    assert [entry["target"] for entry in entries] == [SPECS[name].target for name, _ in stored]
    assert all(ipaddress.ip_address(_host(entry)).is_loopback for entry in entries)
    assert all(1024 <= _port(spec.target) for spec in MONITORS if spec.check != "icmp")  # no root needed
    by_name = {entry["name"]: entry for entry in entries}
    assert by_name["payment-server"]["keyword"] == "OK"
    assert by_name["payment-server"]["label"] == "Server pembayaran"
    assert by_name["bank-link"]["depends_on"] == "h2h-server"
    assert sum(len(entry["maintenance"]) for entry in entries) == windows > 0
    configs = parse_monitors(entries)
    assert {config.name: len(config.windows()) for config in configs}["payment-server"] == 2


def test_live002_not_the_demo_when_the_store_has_a_monitor_of_its_own(campus):
    engine, _ = campus
    with engine.connect() as connection:
        connection.execute(insert(Monitor), [{"name": "mail-server", "role": "other", "check": "tcp",
                                              "target": "127.0.0.1:25", "interval_s": 60, "timeout_s": 5.0,
                                              "down_after": 3, "up_after": 2, "enabled": True, "options": {},
                                              "status": "pending"}])
        try:
            assert demo_monitors(connection) == []
        finally:
            connection.rollback()
        assert demo_monitors(connection) != []


def test_live003_one_round_probes_every_demo_monitor_for_real_up_and_only_on_loopback(campus, tmp_path,
                                                                                      monkeypatch):
    engine, _ = campus
    _add_the_other_demo_monitors(engine)
    with engine.connect() as connection:
        entries = [_on_a_free_port(entry) for entry in demo_monitors(connection)]  # beside a running demo
        expiries = certificate_expiries(connection)
    assert sorted(expiries) == ["payment-server"]  # the small campus's only certificate has a history
    assert sorted(entry["name"] for entry in entries) == sorted(SPECS)
    sent: list[str] = []
    _record_destinations(monkeypatch, sent)
    settings = Settings(data_dir=tmp_path, database_url=engine.url.render_as_string(hide_password=False),
                        monitors=entries, language="en")
    started = datetime.now(UTC)

    with DemoServices(entries, expiries) as services:
        [outcome] = run_once(settings, engine, names=["monitors"])

    assert services.problems == []
    assert outcome.ok, outcome.message
    with engine.connect() as connection:
        fresh = connection.execute(
            select(Monitor.name, ProbeSample.ok, ProbeSample.in_maintenance, Monitor.status, Monitor.target,
                   ProbeSample.cert_days_left, ProbeSample.checked_at)
            .join(ProbeSample, ProbeSample.monitor_id == Monitor.id).where(ProbeSample.checked_at >= started)
        ).all()
    assert sorted(row.name for row in fresh) == sorted(SPECS)
    assert [row.name for row in fresh if not row.ok] == []
    assert {row.name: row.status for row in fresh if not row.in_maintenance} == {
        row.name: "up" for row in fresh if not row.in_maintenance}
    assert {row.name: row.target for row in fresh} == {entry["name"]: entry["target"] for entry in entries}
    assert {spec.check for spec in MONITORS} <= {SPECS[row.name].check for row in fresh}
    days_left = {row.name: row.cert_days_left for row in fresh if row.cert_days_left is not None}
    assert sorted(days_left) == sorted(name for name, spec in SPECS.items() if spec.target.startswith("https:"))
    [payment] = [row for row in fresh if row.name == "payment-server"]
    expected = (expiries["payment-server"] - payment.checked_at.replace(tzinfo=UTC)).total_seconds() / 86_400
    assert abs(days_left["payment-server"] - expected) < 1e-3
    assert abs(days_left["siakad"] - CERTIFICATE_DAYS) < 0.01
    assert sent and [address for address in sent if not ipaddress.ip_address(address).is_loopback] == []
    assert {address for address in sent} >= {_host(entry) for entry in entries}


def _host(entry: dict) -> str:
    if entry["check"] == "http":
        return entry["target"].split("//")[1].split(":")[0].split("/")[0]
    return entry["target"].rpartition(":")[0] if entry["check"] == "tcp" else entry["target"]


def _port(target: str) -> int:
    return int(target.split("//")[-1].split("/")[0].rpartition(":")[2])


def _on_a_free_port(entry: dict) -> dict:
    """The entry at a free port of its own loopback address, so a `pantau run` of the demo may run meanwhile."""
    if entry["check"] == "icmp":
        return entry
    with socket.socket() as probe:
        probe.bind((_host(entry), 0))
        port = probe.getsockname()[1]
    return {**entry, "target": entry["target"].replace(f":{_port(entry['target'])}", f":{port}", 1)}


def _add_the_other_demo_monitors(engine) -> None:
    """Give the small campus the rest of the demo's monitors, as a large one has them."""
    with engine.begin() as connection:
        ids = dict(connection.execute(select(Monitor.name, Monitor.id)).all())
        interval = connection.scalar(select(Monitor.interval_s).limit(1))
        for spec in MONITORS:
            if spec.name in ids:
                continue
            ids[spec.name] = connection.execute(insert(Monitor).values(
                name=spec.name, role=spec.role, check=spec.check, target=spec.target, interval_s=interval,
                timeout_s=TIMEOUT[spec.check], down_after=DOWN_AFTER, up_after=UP_AFTER,
                parent_id=ids.get(spec.parent), enabled=True, options=spec.options, status="pending",
                consecutive_failures=0, consecutive_successes=0)).inserted_primary_key[0]


def _record_destinations(monkeypatch, sent: list[str]) -> None:
    """Note the address of every connection opened and datagram sent by this process's sockets."""
    for name, position in (("connect", 0), ("connect_ex", 0), ("sendto", -1)):
        original = getattr(socket.socket, name)

        def wrapper(sock, *args, _original=original, _position=position):
            address = args[_position]
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                sent.append(str(address[0]).split("%")[0])
            return _original(sock, *args)

        monkeypatch.setattr(socket.socket, name, wrapper)
