"""Retention: raw samples, fine rollups and host readings are dropped once older than configured.

Deletes go per monitor (or host) and in slices of time, each slice its own short transaction, so the
collector writing probe rounds never waits long for the store, even after a long pause.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau.db import session_scope
from pantau.models import HostMetric, ProbeSample, utcnow

from .rollups import LEVELS
from .settings import MonitoringSettings, monitoring_settings


def purge(engine: Engine, options: MonitoringSettings, now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention; return the rows removed per table."""
    now = now or utcnow()
    removed = {
        "probe_samples": _purge(engine, ProbeSample.__table__.c.monitor_id, ProbeSample.__table__.c.checked_at,
                                now - options.raw_retention, timedelta(hours=1)),
    }
    slices = {"minute": timedelta(hours=6), "hour": timedelta(days=7), "day": timedelta(days=90)}
    for level, keep in options.rollup_retention().items():
        table = LEVELS[level][0].__table__
        removed[table.name] = 0 if keep is None else _purge(engine, table.c.monitor_id, table.c.bucket,
                                                            now - keep, slices[level])
    host_table = HostMetric.__table__
    removed["host_metrics"] = _purge(engine, host_table.c.host, host_table.c.collected_at,
                                     now - timedelta(days=options.host_retention_days), timedelta(hours=6))
    return removed


def _purge(engine: Engine, key, moment, cutoff: datetime, step: timedelta) -> int:
    total = 0
    for owner, oldest in _oldest(engine, key, moment, cutoff):
        start = oldest
        while start < cutoff:
            end = min(start + step, cutoff)
            with session_scope(engine) as session:
                total += session.execute(
                    delete(key.table).where(key == owner, moment < end)
                ).rowcount
            start = end
    return total


def _oldest(engine: Engine, key, moment, cutoff: datetime) -> list[tuple[object, datetime]]:
    """Each monitor (or host) with rows older than ``cutoff``, and its oldest row's time."""
    with engine.connect() as connection:
        owners = connection.execute(select(key).distinct()).scalars().all()
        oldest = {owner: connection.scalar(select(func.min(moment)).where(key == owner)) for owner in owners}
    return [(owner, first) for owner, first in oldest.items() if first is not None and first < cutoff]


@register
class RetentionCollector(Collector):
    """Runs :func:`purge` every ``retention_every_s`` seconds, in its own thread beside the probing."""

    name = "monitor-retention"

    @property
    def interval_s(self) -> float:
        try:
            return monitoring_settings(self.settings).retention_every_s
        except ValueError:
            return 3600

    def run(self) -> CollectorResult:
        removed = purge(self.engine, monitoring_settings(self.settings))
        detail = ", ".join(f"{count:,} {table}" for table, count in removed.items())
        return CollectorResult(sum(removed.values()), f"removed {detail}")
