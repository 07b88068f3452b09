"""Retention: raw samples, minute and hour rollups and host readings go once they are old enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from collectors.monitors import MonitoringSettings, purge, retention
from collectors.monitors.rollups import record_samples
from pantau.db import session_scope
from pantau.models import HostMetric, Monitor, ProbeSample, RollupDay, RollupHour, RollupMinute

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def test_rt001_old_rows_go_and_recent_ones_stay(store):
    ages = [timedelta(hours=1), timedelta(hours=47), timedelta(hours=49), timedelta(days=8), timedelta(days=500)]
    with session_scope(store) as session:
        monitor = Monitor(name="h2h-server", role="h2h-server", check="tcp", target="10.0.0.5:7001")
        session.add(monitor)
        session.flush()
        record_samples(session, [
            {"monitor_id": monitor.id, "checked_at": NOW - age, "ok": True, "in_maintenance": False,
             "latency_ms": 5.0, "latency_min_ms": 5.0, "latency_max_ms": 5.0, "loss": 0.0, "jitter_ms": None,
             "status_code": None, "cert_days_left": None, "message": "ok"}
            for age in ages
        ])
        session.add_all(HostMetric(host="pantau", collected_at=NOW - age, cpu_pct=1.0, mem_pct=2.0, disks={},
                                   processes={}) for age in ages)

    removed = purge(store, MonitoringSettings(), now=NOW)

    assert removed == {"probe_samples": 3, "rollup_minute": 2, "rollup_hour": 1, "rollup_day": 0, "host_metrics": 1}
    assert (count(store, ProbeSample), count(store, RollupMinute), count(store, RollupHour),
            count(store, RollupDay), count(store, HostMetric)) == (2, 3, 4, 4, 4)
    assert purge(store, MonitoringSettings(), now=NOW) == dict.fromkeys(removed, 0)


def test_rt002_many_old_rows_go_in_batches(engine, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_ROWS", 2)
    with session_scope(engine) as session:
        session.add_all(HostMetric(host=f"host-{n % 2}", collected_at=NOW - timedelta(days=40, minutes=n), cpu_pct=1.0,
                                   mem_pct=2.0, disks={}, processes={}) for n in range(7))
        session.add(HostMetric(host="host-0", collected_at=NOW, cpu_pct=1.0, mem_pct=2.0, disks={}, processes={}))

    removed = purge(engine, MonitoringSettings(), now=NOW)

    assert removed["host_metrics"] == 7 and count(engine, HostMetric) == 1


def test_rt003_old_host_readings_are_thinned_to_one_per_span(store):
    with session_scope(store) as session:
        session.add_all(HostMetric(host="server-pembayaran", collected_at=NOW - timedelta(minutes=n, seconds=7),
                                   cpu_pct=float(n), mem_pct=2.0, disks={}, processes={}) for n in range(72 * 60))

    removed = purge(store, MonitoringSettings(host_full_hours=48, host_thin_s=300), now=NOW)

    with store.connect() as connection:
        kept = connection.execute(select(HostMetric.collected_at).order_by(HostMetric.collected_at)).scalars().all()
    old = [moment for moment in kept if moment < NOW - timedelta(hours=48)]
    assert len(kept) == 48 * 60 + len(old) and removed["host_metrics"] == 72 * 60 - len(kept)
    assert len(old) == 24 * 12
    assert all((moment.minute % 5, moment.second) == (4, 53) for moment in old)
    assert purge(store, MonitoringSettings(), now=NOW)["host_metrics"] == 0
