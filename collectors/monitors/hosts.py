"""Host metrics: the collector's own machine every ``host_every_s``, and readings pushed by ``pantau agent``.

Both end up as ``host_metrics`` rows; the ``host-metrics`` collector then checks every host's newest
reading for full disks and gone processes, so pushed hosts are alerted on from the collector process.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collectors.base import Collector, CollectorResult
from collectors.probes import HostSnapshot, host_snapshot
from collectors.registry import register
from pantau import formatting
from pantau.db import session_scope
from pantau.models import HostMetric, utcnow

from .alerts import host_alerts
from .settings import monitoring_settings

STALE_AFTER = timedelta(minutes=15)
"""A host whose newest reading is older than this is not alerted on (its readings are shown as old)."""


class HostReading(BaseModel):
    """One reading of a host, as the agent pushes it (``HostSnapshot.to_dict()``); unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    hostname: str = Field(min_length=1, max_length=80)
    taken_at: AwareDatetime
    cpu_percent: float = Field(ge=0, le=100)
    load_1: float | None = Field(None, ge=0)
    load_5: float | None = Field(None, ge=0)
    load_15: float | None = Field(None, ge=0)
    memory_percent: float = Field(ge=0, le=100)
    disk_percent: dict[str, float | None] = Field(default_factory=dict, max_length=64)
    net_sent_per_s: float | None = Field(None, ge=0)
    net_recv_per_s: float | None = Field(None, ge=0)
    processes: dict[str, bool] = Field(default_factory=dict, max_length=64)
    uptime_s: float | None = Field(None, ge=0)

    @classmethod
    def of(cls, snapshot: HostSnapshot) -> HostReading:
        return cls.model_validate(snapshot.to_dict())


def store_reading(session: Session, reading: HostReading) -> HostMetric:
    """Add one reading to ``host_metrics``."""
    row = HostMetric(
        host=reading.hostname, collected_at=reading.taken_at, cpu_pct=reading.cpu_percent,
        load1=reading.load_1, load5=reading.load_5, load15=reading.load_15, mem_pct=reading.memory_percent,
        net_rx_bps=reading.net_recv_per_s, net_tx_bps=reading.net_sent_per_s, uptime_s=reading.uptime_s,
        disks=reading.disk_percent, processes=reading.processes,
    )
    session.add(row)
    return row


def check_hosts(session: Session, *, disk_limit: float, lang: str, now: datetime | None = None) -> list[str]:
    """Raise or resolve the disk and process alerts of every host from its newest recent reading.

    Returns the dedup keys of the conditions that hold.
    """
    now = now or utcnow()
    newest = (
        select(HostMetric.host, func.max(HostMetric.collected_at).label("at"))
        .where(HostMetric.collected_at >= now - STALE_AFTER)
        .group_by(HostMetric.host)
        .subquery()
    )
    rows = session.scalars(
        select(HostMetric).join(newest, (HostMetric.host == newest.c.host) & (HostMetric.collected_at == newest.c.at))
    ).all()
    holding: list[str] = []
    for row in rows:
        holding += host_alerts(session, row.host, row.disks or {}, row.processes or {}, disk_limit=disk_limit,
                               lang=lang, now=now)
    return holding


@register
class HostMetricsCollector(Collector):
    """Reads this machine with psutil (CPU, load, memory, disks, network, watched processes)."""

    name = "host-metrics"

    def __init__(self, settings, engine) -> None:
        super().__init__(settings, engine)
        self._previous: HostSnapshot | None = None

    @property
    def interval_s(self) -> float:
        try:
            return monitoring_settings(self.settings).host_every_s
        except ValueError:
            return self.default_interval_s

    def run(self) -> CollectorResult:
        options = monitoring_settings(self.settings)
        mounts = list(options.host_mounts) if options.host_mounts is not None else None
        snapshot = host_snapshot(mounts, options.host_processes, self._previous)
        self._previous = snapshot
        reading = HostReading.of(snapshot)
        with session_scope(self.engine) as session:
            store_reading(session, reading)
            session.flush()
            holding = check_hosts(session, disk_limit=options.disk_alert_percent, lang=self.settings.language)
        return CollectorResult(1, _describe(reading, holding))


def _describe(reading: HostReading, holding: list[str]) -> str:
    disks = ", ".join(f"{mount} {used:.0f}%" for mount, used in reading.disk_percent.items() if used is not None)
    gone = [name for name, alive in reading.processes.items() if not alive]
    processes = (f"; processes gone: {', '.join(gone)}" if gone else
                 f"; processes running: {', '.join(reading.processes)}" if reading.processes else "")
    alerts = f"; {len(holding)} host alerts hold" if holding else ""
    return (f"{reading.hostname}: CPU {reading.cpu_percent:.0f}%, memory {reading.memory_percent:.0f}%, "
            f"load {formatting.number(reading.load_1 or 0, 'en', 2)}, disk {disks or 'none'}{processes}{alerts}")
