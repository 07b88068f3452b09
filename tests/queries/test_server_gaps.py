"""Availability never counts time without checks as up: each window says how much of it its checks cover and
how much is unknown, from the monitor's first check (exactly, while raw checks are kept) to now. Both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.monitors.rollups import record_samples
from pantau.db import session_scope
from pantau.models import Monitor
from queries import servers

NOW = datetime(2026, 12, 7, 3, 59, 30, tzinfo=UTC)


def sample(monitor_id: int, when: datetime, ok: bool = True) -> dict:
    return {"monitor_id": monitor_id, "checked_at": when, "ok": ok, "in_maintenance": False,
            "latency_ms": 10.0 if ok else None, "latency_min_ms": None, "latency_max_ms": None,
            "loss": 0.0 if ok else 1.0, "jitter_ms": None, "status_code": None, "cert_days_left": None,
            "message": "ok"}


def test_gap001_a_monitor_whose_checks_stopped_hours_ago_is_all_up_but_hours_unknown(store):
    with session_scope(store) as session:
        monitor = Monitor(name="payment-server", role="payment-server", check="tcp", target="10.0.0.5:443",
                          interval_s=60, status="up")
        session.add(monitor)
        session.flush()
        last = NOW - timedelta(hours=5)
        record_samples(session, [sample(monitor.id, last - timedelta(minutes=m)) for m in range(0, 30 * 60)])
        monitor_id = monitor.id

    frame = servers.uptime(store, [monitor_id], now=NOW).set_index("window")

    day = frame.loc["24h"]
    assert day["availability"] == 1.0, "the checks that happened were all up"
    # measured from the first whole minute of the window (NOW is half a minute past one), as its buckets are
    assert day["span_s"] == 24 * 3600 - 30 and day["observed_s"] == 19 * 3600
    assert day["unknown_s"] == 5 * 3600 - 30, "the five hours since the last check are unknown, not up"


def test_gap002_a_gap_in_the_middle_is_unknown_and_a_new_monitor_owes_nothing_before_its_first_check(store):
    with session_scope(store) as session:
        monitor = Monitor(name="h2h-server", role="h2h-server", check="tcp", target="10.0.0.6:7001", interval_s=30,
                          status="up")
        session.add(monitor)
        session.flush()
        first = NOW - timedelta(hours=3, seconds=15)
        checks = [first + timedelta(seconds=30 * n) for n in range(3 * 120 + 1)]
        gap = (NOW - timedelta(hours=2), NOW - timedelta(hours=1, minutes=20))
        record_samples(session, [sample(monitor.id, when, ok=when.minute % 7 != 0) for when in checks
                                 if not gap[0] <= when < gap[1]])
        monitor_id = monitor.id

    day = servers.uptime(store, [monitor_id], now=NOW).set_index("window").loc["24h"]

    assert day["span_s"] == (NOW - first).total_seconds()
    assert abs(day["unknown_s"] - 40 * 60) <= 60, "the 40-minute gap, give or take a check"
    assert 0 < day["availability"] < 1 and day["up"] + day["down"] == 3 * 120 + 1 - 80


def test_gap003_a_monitor_checked_every_minute_all_week_has_nothing_unknown_at_any_minute_of_the_hour(store):
    """The week's far edge falls inside an hour whose minutes are no longer kept: the window is measured from the
    next whole hour (as its buckets are), so the minutes before it are neither counted nor called unknown."""
    with session_scope(store) as session:
        monitor = Monitor(name="router", role="router", check="icmp", target="10.0.0.1", interval_s=60, status="up")
        session.add(monitor)
        session.flush()
        start = NOW - timedelta(days=8)
        record_samples(session, [sample(monitor.id, start + timedelta(minutes=m)) for m in range(8 * 24 * 60 + 1)])
        monitor_id = monitor.id

    for past in (0, 15, 44):
        frame = servers.uptime(store, [monitor_id], now=NOW - timedelta(minutes=past)).set_index("window")
        for window in ("24h", "7d"):
            assert frame.loc[window, "unknown_s"] <= 60, (past, window, frame.loc[window, "unknown_s"])
        assert frame.loc["7d", "availability"] == 1.0
