"""Monitors, raw probe samples, minute/hour/day rollups, incidents, maintenance and host metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime

MONITOR_STATES = ("up", "down", "degraded", "maintenance", "unreachable", "pending")


class Monitor(Base):
    """A configured check and its state: `streak_since` is the first check of the current run of failures or
    successes (the counters say which), so an outage starts at its first failure and ends at its first success."""

    __tablename__ = "monitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(24))
    check: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(255))
    interval_s: Mapped[int] = mapped_column(default=60)
    timeout_s: Mapped[float] = mapped_column(default=5.0)
    down_after: Mapped[int] = mapped_column(default=3)
    up_after: Mapped[int] = mapped_column(default=2)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("monitors.id"))
    enabled: Mapped[bool] = mapped_column(default=True)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    status_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    streak_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    consecutive_successes: Mapped[int] = mapped_column(default=0)

    @property
    def display_name(self) -> str:
        """What people call it: the configured `label` (kept in `options`), else its name."""
        return (self.options or {}).get("label") or self.name


class ProbeSample(Base):
    """One probe round of one monitor; kept for a short time (48 h by default), then rolled up."""

    __tablename__ = "probe_samples"
    __table_args__ = (Index(None, "monitor_id", "checked_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool]
    in_maintenance: Mapped[bool] = mapped_column(default=False)
    latency_ms: Mapped[float | None]
    latency_min_ms: Mapped[float | None]
    latency_max_ms: Mapped[float | None]
    loss: Mapped[float] = mapped_column(default=0.0)
    jitter_ms: Mapped[float | None]
    status_code: Mapped[int | None]
    cert_days_left: Mapped[float | None]
    message: Mapped[str | None] = mapped_column(Text)


class _Rollup:
    """Columns shared by the minute, hour and day rollups (UTC buckets).

    `count` = `up` + `down` + `maintenance`: samples taken in a maintenance window are kept out of up and
    down. Latency figures cover the `up` samples; `loss_avg` averages the loss of the up and down samples.
    """

    monitor_id: Mapped[int] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), primary_key=True
    )
    bucket: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int]
    up: Mapped[int]
    down: Mapped[int]
    maintenance: Mapped[int] = mapped_column(default=0)
    latency_min_ms: Mapped[float | None]
    latency_avg_ms: Mapped[float | None]
    latency_max_ms: Mapped[float | None]
    loss_avg: Mapped[float | None]


class RollupMinute(_Rollup, Base):
    __tablename__ = "rollup_minute"


class RollupHour(_Rollup, Base):
    __tablename__ = "rollup_hour"


class RollupDay(_Rollup, Base):
    __tablename__ = "rollup_day"


class Incident(Base):
    """A spell of a monitor being `down` or `unreachable` (its parent down); open while `ended_at` is None."""

    __tablename__ = "incidents"
    __table_args__ = (Index(None, "monitor_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cause: Mapped[str | None] = mapped_column(Text)


class MaintenanceWindow(Base):
    """A one-off window (starts_at..ends_at) or a recurring one (`weekly_rule`, local time of the campus zone:
    "SUN 01:00-03:00", "MON,THU 22:00-00:30", "DAILY 02:00-02:15")."""

    __tablename__ = "maintenance_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    monitor_id: Mapped[int | None] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    weekly_rule: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class HostMetric(Base):
    """A psutil snapshot of a host: the collector's own, or pushed by `pantau agent`. One per host and instant:
    an agent's reading pushed again (its answer lost on the way back) is the same reading."""

    __tablename__ = "host_metrics"
    __table_args__ = (Index(None, "host", "collected_at", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    host: Mapped[str] = mapped_column(String(80))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cpu_pct: Mapped[float]
    load1: Mapped[float | None]
    load5: Mapped[float | None]
    load15: Mapped[float | None]
    mem_pct: Mapped[float]
    net_rx_bps: Mapped[float | None]
    net_tx_bps: Mapped[float | None]
    uptime_s: Mapped[float | None]
    disks: Mapped[dict] = mapped_column(JSON, default=dict)
    processes: Mapped[dict] = mapped_column(JSON, default=dict)


def monitor_label(monitor=Monitor):
    """SQL for what people call a monitor (of `Monitor` or an alias of it): its configured `label`, kept with its
    check options, else its name (`payment-server` only where nobody named it)."""
    return func.coalesce(monitor.options["label"].as_string(), monitor.name)
