"""Host metrics: the collector's own machine every ``host_every_s``, and readings pushed by ``pantau agent``.

Both end up as ``host_metrics`` rows; the ``host-metrics`` collector then checks every host's newest
reading for full disks and gone processes, so pushed hosts are alerted on from the collector process.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collectors.base import Collector, CollectorResult
from collectors.probes import HostSnapshot, host_snapshot
from collectors.registry import register
from pantau import formatting
from pantau.db import session_scope
from pantau.models import HostMetric, utcnow
from pantau.monitoring.readings import HostReading, store_reading
from pantau.monitoring.settings import monitoring_settings

from .alerts import host_alerts

STALE_AFTER = timedelta(minutes=15)
"""A host whose newest reading is older than this is not alerted on (its readings are shown as old)."""


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
        reading = HostReading.model_validate(snapshot.to_dict())
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
