"""A monitoring history of any length, shaped exactly as the collector and retention would leave it.

Every 30-second sample of the whole span is simulated (with numpy, per monitor) and rolled up into
minutes, hours and days; then only what the default retention keeps is written: raw samples of the
last 48 hours, minute rollups of the last 7 days, hour rollups of the last 400 days and every day
rollup, plus 30 days of host readings of two hosts (every minute for 48 hours, then one per 5 minutes).
Used to measure store size and page cost against history length.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, insert

from pantau.models import HostMetric, Incident, Monitor, ProbeSample, RollupDay, RollupHour, RollupMinute
from pantau.monitoring.settings import MonitoringSettings

ROLES = ("payment-server", "h2h-server", "bank-link", "router", "other")
LEVELS = ((RollupMinute, 60), (RollupHour, 3600), (RollupDay, 86_400))


def write_history(engine: Engine, *, monitors: int = 10, days: int = 365, interval_s: int = 30,
                  now: datetime | None = None, seed: int = 7) -> dict[str, int]:
    """Write ``monitors`` monitors with ``days`` of history ending at ``now``; return rows per table."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    keep = MonitoringSettings()
    start = now - timedelta(days=days)
    per_day = 86_400 // interval_s
    counts: dict[str, int] = {}
    rng = np.random.default_rng(seed)
    with engine.begin() as connection:
        ids = []
        for index in range(monitors):
            ids.append(connection.execute(insert(Monitor).values(
                name=f"monitor-{index:02d}", role=ROLES[index % len(ROLES)], check="tcp",
                target=f"10.0.{index}.1:443", status="up", status_since=start, options={},
            ).returning(Monitor.id)).scalar_one())
        first = np.datetime64(start.replace(tzinfo=None), "s")
        for monitor_id in ids:
            times = first + np.arange(days * per_day) * np.timedelta64(interval_s, "s")
            ok, latency, incidents = _simulate(rng, days * per_day, interval_s)
            for table, rows in _rows(monitor_id, times, ok, latency, interval_s, now, keep):
                if rows:
                    connection.execute(insert(table), rows)
                counts[table.__tablename__] = counts.get(table.__tablename__, 0) + len(rows)
            incident_rows = [{"monitor_id": monitor_id, "kind": "down", "cause": "timed out after 5 s",
                              "started_at": _aware(times[first]), "ended_at": _aware(times[last])}
                             for first, last in incidents]
            if incident_rows:
                connection.execute(insert(Incident), incident_rows)
            counts["incidents"] = counts.get("incidents", 0) + len(incident_rows)
        readings = _host_rows(rng, now, min(days, int(keep.host_retention_days)), keep)
        connection.execute(insert(HostMetric), readings)
        counts["host_metrics"] = len(readings)
    return counts


def _simulate(rng: np.random.Generator, size: int, interval_s: int):
    """Latencies around 40 ms with a daily swell, and a few outages of minutes to an hour."""
    phase = np.arange(size) * interval_s / 86_400 * 2 * np.pi
    latency = rng.lognormal(np.log(40), 0.25, size) * (1 + 0.3 * np.sin(phase))
    ok = np.ones(size, dtype=bool)
    incidents = []
    for first in rng.choice(size, size=max(size // 50_000, 1), replace=False):
        length = int(rng.integers(4, 120))
        ok[first:first + length] = False
        incidents.append((int(first), int(min(first + length, size - 1))))
    return ok, latency, sorted(incidents)


def _aware(moment: np.datetime64) -> datetime:
    return moment.astype("datetime64[us]").astype(datetime).replace(tzinfo=UTC)


def _rows(monitor_id: int, times: np.ndarray, ok: np.ndarray, latency: np.ndarray, interval_s: int,
          now: datetime, keep: MonitoringSettings):
    recent = times >= np.datetime64((now - keep.raw_retention).replace(tzinfo=None))
    yield ProbeSample, [
        {"monitor_id": monitor_id, "checked_at": _aware(at), "ok": bool(good), "in_maintenance": False,
         "latency_ms": float(ms) if good else None, "latency_min_ms": float(ms) if good else None,
         "latency_max_ms": float(ms) if good else None, "loss": 0.0 if good else 1.0,
         "message": "connected" if good else "timed out after 5 s"}
        for at, good, ms in zip(times[recent], ok[recent], latency[recent])
    ]
    retention = keep.rollup_retention()
    for (table, seconds), level in zip(LEVELS, ("minute", "hour", "day")):
        width = seconds // interval_s
        buckets = len(times) // width
        shaped = slice(0, buckets * width)
        good = ok[shaped].reshape(buckets, width)
        values = np.where(good, latency[shaped].reshape(buckets, width), np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, mean, high = np.nanmin(values, 1), np.nanmean(values, 1), np.nanmax(values, 1)
        up = good.sum(1)
        starts = times[shaped][::width]
        kept = np.ones(buckets, dtype=bool) if retention[level] is None else (
            starts >= np.datetime64((now - retention[level]).replace(tzinfo=None)))
        yield table, [
            {"monitor_id": monitor_id, "bucket": _aware(at), "count": width, "up": int(n), "down": int(width - n),
             "maintenance": 0, "latency_min_ms": _number(a), "latency_avg_ms": _number(b),
             "latency_max_ms": _number(c), "loss_avg": float((width - n) / width)}
            for at, n, a, b, c in zip(starts[kept], up[kept], low[kept], mean[kept], high[kept])
        ]


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _host_rows(rng: np.random.Generator, now: datetime, days: int, keep: MonitoringSettings) -> list[dict]:
    """A reading a minute for ``host_full_hours``, then one per ``host_thin_s``, as retention thins them."""
    full = int(keep.host_full_hours * 60)
    every = keep.host_thin_s // 60
    minutes = [m for m in range(days * 1440) if m < full or m % every == 0]
    rows = []
    for host in ("server-pembayaran", "server-h2h"):
        for minute in minutes:
            load = float(rng.uniform(0.1, 2.0))
            rows.append({"host": host, "collected_at": now - timedelta(minutes=minute), "cpu_pct": load * 30,
                         "load1": load, "load5": load, "load15": load, "mem_pct": float(rng.uniform(40, 70)),
                         "net_rx_bps": 2e5, "net_tx_bps": 1e5, "uptime_s": 864_000.0,
                         "disks": {"/": 61.0, "/var": 72.0}, "processes": {"php-fpm": True, "mariadbd": True}})
    return rows
