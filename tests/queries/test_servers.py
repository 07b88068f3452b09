"""Server health queries on both stores: availability windows from rollups, history by range, incidents,
maintenance, certificates, host metrics and alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.monitors import MonitoringSettings, purge
from collectors.monitors.rollups import record_samples
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import HostMetric, Incident, MaintenanceWindow, Monitor
from queries import servers

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def sample(monitor_id: int, when: datetime, ok: bool, maintenance: bool = False, latency: float = 10.0,
           cert: float | None = None) -> dict:
    return {"monitor_id": monitor_id, "checked_at": when, "ok": ok, "in_maintenance": maintenance,
            "latency_ms": latency if ok else None, "latency_min_ms": latency - 1 if ok else None,
            "latency_max_ms": latency + 1 if ok else None, "loss": 0.0 if ok else 1.0, "jitter_ms": None,
            "status_code": None, "cert_days_left": cert, "message": "ok" if ok else "timed out after 5 s"}


# (when, ok, in maintenance) — which windows each belongs to is worked out by hand beside it
SERIES = [
    (at(2026, 11, 23, 12, 0, 10), False, False),   # running minute: 24h 7d 30d 365d
    (at(2026, 11, 23, 11, 59, 40), True, False),   # 24h 7d 30d 365d
    (at(2026, 11, 23, 6, 15, 0), True, False),     # 24h ...
    (at(2026, 11, 23, 6, 15, 20), True, False),    # 24h ...
    (at(2026, 11, 23, 6, 15, 40), True, False),    # 24h ...
    (at(2026, 11, 22, 12, 1, 0), True, False),     # 24h (its edge, 12:00:30, rounds up to 12:01)
    (at(2026, 11, 22, 12, 0, 0), False, False),    # 7d and longer: before the 24h edge
    (at(2026, 11, 19, 3, 0, 0), False, True),      # maintenance: in 7d 30d 365d, but neither up nor down
    (at(2026, 11, 16, 13, 10, 0), False, False),   # 7d (its edge rounds up to the hour, 13:00)
    (at(2026, 11, 16, 12, 30, 0), True, False),    # 30d and 365d only: before the 7d edge
    (at(2026, 10, 25, 9, 0, 0), True, False),      # 30d 365d
    (at(2026, 3, 1, 0, 0, 0), False, False),       # 365d
    (at(2025, 11, 20, 0, 0, 0), True, False),      # none: older than a year
]
EXPECTED = {  # window: (up, down, maintenance)
    "24h": (5, 1, 0),
    "7d": (5, 3, 1),
    "30d": (7, 3, 1),
    "365d": (7, 4, 1),
}


@pytest.fixture
def monitored(store):
    """Three monitors (bank-link depends on h2h-server) with the series above on h2h-server."""
    with session_scope(store) as session:
        payment = Monitor(name="payment-server", role="payment-server", check="http",
                          target="https://bayar.kampus.ac.id/", status="up", status_since=at(2026, 11, 1))
        h2h = Monitor(name="h2h-server", role="h2h-server", check="tcp", target="10.0.0.5:7001", status="down",
                      status_since=at(2026, 11, 23, 12, 0, 10), consecutive_failures=1)
        session.add_all([payment, h2h])
        session.flush()
        bank = Monitor(name="bank-link", role="bank-link", check="tcp", target="10.9.0.1:443", status="unreachable",
                       parent_id=h2h.id)
        session.add(bank)
        session.flush()
        record_samples(session, [sample(h2h.id, when, ok, maintenance) for when, ok, maintenance in SERIES])
        record_samples(session, [sample(payment.id, NOW - timedelta(minutes=5), True, latency=80.0, cert=40.5),
                                 sample(payment.id, NOW - timedelta(minutes=1), False)])
        return {"payment": payment.id, "h2h": h2h.id, "bank": bank.id}


def test_qs001_availability_windows_match_the_hand_computed_series(store, monitored):
    frame = servers.uptime(store, [monitored["h2h"], monitored["bank"]], now=NOW)

    h2h = frame[frame["monitor_id"] == monitored["h2h"]].set_index("window")
    for window, (up, down, maintenance) in EXPECTED.items():
        assert tuple(h2h.loc[window, ["up", "down", "maintenance"]]) == (up, down, maintenance), window
        assert h2h.loc[window, "availability"] == pytest.approx(up / (up + down)), window
    bank = frame[frame["monitor_id"] == monitored["bank"]]
    assert bank["availability"].isna().all() and (bank["up"] == 0).all()


def test_qs002_availability_is_the_same_after_retention_purged_the_fine_rollups(store, monitored):
    before = servers.uptime(store, [monitored["h2h"]], now=NOW)

    removed = purge(store, MonitoringSettings(), now=NOW)
    after = servers.uptime(store, [monitored["h2h"]], now=NOW)

    assert removed["rollup_minute"] > 0 and removed["probe_samples"] > 0
    assert before.equals(after)


def test_qs003_a_year_costs_a_bounded_number_of_buckets():
    for window, span in servers.WINDOWS.items():
        buckets = sum((hi - lo) / timedelta(seconds={"minute": 60, "hour": 3600, "day": 86_400}[level])
                      for level, lo, hi in servers.pieces(NOW - span, NOW, NOW))
        assert buckets <= 366 + 48 + 120, window
    assert {level for level, _, _ in servers.pieces(NOW - servers.WINDOWS["365d"], NOW, NOW)} == {
        "minute", "hour", "day"}


@pytest.mark.parametrize(("range_key", "rows", "first"), [
    ("1h", 2, at(2026, 11, 23, 11, 59, 40)),
    ("24h", 5, at(2026, 11, 22, 12, 0)),
    ("7d", 7, at(2026, 11, 16, 12)),
    ("30d", 8, at(2026, 10, 25, 9)),
    ("1y", 6, at(2026, 3, 1)),
])
def test_qs004_latency_history_reads_the_level_of_its_range(store, monitored, range_key, rows, first):
    """Every bucket of the range's level that the range touches, the one holding its start included."""
    frame = servers.latency(store, monitored["h2h"], range_key, now=NOW)

    assert len(frame) == rows
    assert frame["at"].iloc[0] == first
    assert frame["count"].sum() == frame["up"].sum() + frame["down"].sum() + frame["maintenance"].sum()


def test_qs005_latency_of_the_running_minute_has_its_band_and_loss(store, monitored):
    frame = servers.latency(store, monitored["h2h"], "24h", now=NOW)

    busy = frame[frame["at"] == at(2026, 11, 23, 6, 15)].iloc[0]
    failed = frame[frame["at"] == at(2026, 11, 23, 12, 0)].iloc[0]
    assert (busy["count"], busy["latency_min_ms"], busy["latency_avg_ms"], busy["latency_max_ms"]) == (
        3, 9.0, 10.0, 11.0)
    assert failed["loss"] == 1.0 and failed["latency_avg_ms"] != failed["latency_avg_ms"]


def test_qs006_incidents_overlapping_the_range_with_durations(store, monitored):
    with session_scope(store) as session:
        session.add_all([
            Incident(monitor_id=monitored["h2h"], kind="down", started_at=at(2026, 11, 23, 12, 0, 10)),
            Incident(monitor_id=monitored["bank"], kind="unreachable", started_at=at(2026, 11, 23, 12, 0, 10)),
            Incident(monitor_id=monitored["h2h"], kind="down", started_at=at(2026, 11, 20, 23, 0),
                     ended_at=at(2026, 11, 21, 1, 30), cause="koneksi ditolak"),
            Incident(monitor_id=monitored["h2h"], kind="down", started_at=at(2026, 9, 1), ended_at=at(2026, 9, 2)),
        ])

    frame = servers.incidents(store, NOW - timedelta(days=7), NOW)

    assert frame[["monitor", "kind", "open", "duration_s"]].values.tolist() == [
        ["bank-link", "unreachable", True, 20.0],
        ["h2h-server", "down", True, 20.0],
        ["h2h-server", "down", False, 9000.0],
    ]
    assert len(servers.incidents(store, at(2026, 9, 1, 12), at(2026, 9, 3), monitor_ids=[monitored["h2h"]])) == 1


def test_qs007_monitors_in_role_order_with_parent_and_newest_check(store, monitored):
    frame = servers.monitors(store)

    assert frame["name"].tolist() == ["payment-server", "h2h-server", "bank-link"]
    h2h = frame.set_index("name").loc["h2h-server"]
    assert (h2h["status"], h2h["checked_at"], bool(h2h["ok"]), h2h["failures"]) == (
        "down", at(2026, 11, 23, 12, 0, 10), False, 1)
    assert frame.set_index("name").loc["bank-link", "parent"] == "h2h-server"
    certificates = servers.certificates(store)
    assert certificates[["monitor", "days_left"]].values.tolist() == [["payment-server", 40.5]]


def test_qs008_maintenance_occurrences_of_weekly_and_one_off_windows(store, monitored):
    with session_scope(store) as session:
        session.add_all([
            MaintenanceWindow(monitor_id=monitored["h2h"], weekly_rule="SUN 01:00-03:00", note="rutin"),
            MaintenanceWindow(monitor_id=monitored["payment"], starts_at=at(2026, 11, 25, 15),
                              ends_at=at(2026, 11, 25, 18), note="migrasi"),
        ])

    frame = servers.maintenance(store, NOW, NOW + timedelta(days=7), "Asia/Jakarta")

    assert frame[["monitor", "starts_at", "ends_at"]].values.tolist() == [
        ["payment-server", at(2026, 11, 25, 15), at(2026, 11, 25, 18)],
        ["h2h-server", at(2026, 11, 28, 18), at(2026, 11, 28, 20)],
    ]
    assert servers.maintenance(store, NOW, NOW + timedelta(days=7), "Asia/Jakarta",
                               monitor_ids=[monitored["payment"]])["monitor"].tolist() == ["payment-server"]


def test_qs009_hosts_newest_reading_and_history_averaged_per_bucket(store):
    start = at(2026, 11, 23, 11, 0)
    with session_scope(store) as session:
        session.add_all(
            HostMetric(host="server-pembayaran", collected_at=start + timedelta(minutes=n), cpu_pct=float(n),
                       mem_pct=50.0, load1=0.5, disks={"/": 40.0 + n}, processes={"php-fpm": True})
            for n in range(10)
        )
        session.add(HostMetric(host="pantau", collected_at=start, cpu_pct=5.0, mem_pct=20.0, disks={}, processes={}))

    newest = servers.hosts(store, now=NOW)
    history = servers.host_history(store, "server-pembayaran", "24h", now=NOW)

    assert newest["host"].tolist() == ["pantau", "server-pembayaran"]
    assert newest.set_index("host").loc["server-pembayaran", "disks"] == {"/": 49.0}
    assert history[["readings", "cpu_pct", "cpu_max_pct"]].values.tolist() == [[5, 2.0, 4.0], [5, 7.0, 9.0]]
    assert history["at"].tolist() == [start, start + timedelta(minutes=5)]


def test_qs010_server_alerts_are_the_live_ones_of_monitors_and_hosts(store):
    with session_scope(store) as session:
        raise_alert(session, dedup_key="monitor:h2h-server:down", source="monitors", role="kepala_it",
                    title="h2h-server is down")
        raise_alert(session, dedup_key="host:pantau:disk:/", source="host-metrics", role="kepala_it",
                    title="Disk / on pantau is 93% full")
        raise_alert(session, dedup_key="recon:overdue", source="recon", role="bendahara", title="overdue")

    assert sorted(servers.server_alerts(store)["title"]) == ["Disk / on pantau is 93% full", "h2h-server is down"]
