"""Retention: raw samples, fine rollups and host readings are dropped once older than configured, and
host readings older than ``host_full_hours`` are thinned to the first of each ``host_thin_s`` span.

Deletes go per monitor (or host) in batches of its oldest rows (or a day at a time when thinning), each
batch its own short transaction, so the collector writing probe rounds never waits long for the store,
even after a long pause.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, Integer, cast, delete, func, select

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau.db import session_scope
from pantau.models import HostMetric, ProbeSample, utcnow
from pantau.monitoring.settings import MonitoringSettings, monitoring_settings

from .rollups import LEVELS

BATCH_ROWS = 5000
"""Rows deleted per transaction at most (plus any sharing the last one's time)."""


def purge(engine: Engine, options: MonitoringSettings, now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention; return the rows removed per table."""
    now = now or utcnow()
    samples = ProbeSample.__table__
    removed = {"probe_samples": _purge(engine, samples.c.monitor_id, samples.c.checked_at, now - options.raw_retention)}
    for level, keep in options.rollup_retention().items():
        table = LEVELS[level][0].__table__
        removed[table.name] = 0 if keep is None else _purge(engine, table.c.monitor_id, table.c.bucket, now - keep)
    hosts = HostMetric.__table__
    removed["host_metrics"] = _purge(engine, hosts.c.host, hosts.c.collected_at,
                                     now - timedelta(days=options.host_retention_days))
    removed["host_metrics"] += thin_host_readings(engine, options, now)
    return removed


def thin_host_readings(engine: Engine, options: MonitoringSettings, now: datetime | None = None) -> int:
    """Keep only the first reading of each ``host_thin_s`` span among readings older than ``host_full_hours``.

    Returns how many readings were removed; a second run removes none.
    """
    table = HostMetric.__table__
    step = timedelta(seconds=options.host_thin_s)
    cutoff = _floor(((now or utcnow()) - timedelta(hours=options.host_full_hours)), step)
    bucket = _bucket(engine, table.c.collected_at, options.host_thin_s)
    with engine.connect() as connection:
        oldest = dict(connection.execute(
            select(table.c.host, func.min(table.c.collected_at)).where(table.c.collected_at < cutoff)
            .group_by(table.c.host)
        ).all())
    removed = 0
    for host, first in oldest.items():
        start = _floor(first, timedelta(days=1))
        while start < cutoff:
            end = min(start + timedelta(days=1), cutoff)
            span = (table.c.host == host) & (table.c.collected_at >= start) & (table.c.collected_at < end)
            kept = select(func.min(table.c.id)).where(span).group_by(bucket)
            with session_scope(engine) as session:
                removed += session.execute(delete(table).where(span, table.c.id.not_in(kept))).rowcount
            start = end
    return removed


def _floor(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=moment.tzinfo)
    return epoch + (moment - epoch) // step * step


def _bucket(engine: Engine, column, seconds: int):
    if engine.dialect.name == "postgresql":
        return func.floor(func.extract("epoch", column) / seconds)
    return cast(func.strftime("%s", column), Integer) // seconds


def _purge(engine: Engine, key, moment, cutoff: datetime) -> int:
    """Delete rows older than ``cutoff``, one owner (monitor or host) and one batch of its oldest at a time."""
    with engine.connect() as connection:
        owners = connection.execute(select(key).where(moment < cutoff).distinct()).scalars().all()
    total = 0
    for owner in owners:
        while True:
            with session_scope(engine) as session:
                edge = session.scalar(select(moment).where(key == owner, moment < cutoff).order_by(moment)
                                      .offset(BATCH_ROWS - 1).limit(1))
                condition = moment < cutoff if edge is None else moment <= edge
                total += session.execute(delete(key.table).where(key == owner, condition)).rowcount
            if edge is None:
                break
    return total


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
