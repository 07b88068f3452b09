"""Host readings, stored as they come: by the ``host-metrics`` collector for its own machine and by the agent
push API for other servers (``pantau agent``). Alerting on them is the collector's (``collectors.monitors.hosts``).
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau.models import HostMetric

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class HostReading(BaseModel):
    """One reading of a host, as the agent pushes it (``collectors.probes.HostSnapshot.to_dict()``); unknown keys
    are ignored."""

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


def store_reading(session: Session, reading: HostReading) -> bool:
    """Add one reading to ``host_metrics``; False when this host's reading of that instant is already there (an
    agent pushing again a reading whose answer it did not get): it is stored once."""
    insert = _INSERTS[session.get_bind().dialect.name](HostMetric)
    result = session.execute(insert.values(
        host=reading.hostname, collected_at=reading.taken_at, cpu_pct=reading.cpu_percent,
        load1=reading.load_1, load5=reading.load_5, load15=reading.load_15, mem_pct=reading.memory_percent,
        net_rx_bps=reading.net_recv_per_s, net_tx_bps=reading.net_sent_per_s, uptime_s=reading.uptime_s,
        disks=reading.disk_percent, processes=reading.processes,
    ).on_conflict_do_nothing(index_elements=["host", "collected_at"]).returning(HostMetric.id))
    return result.scalar() is not None
