"""Host metrics: each host's newest reading, and its history averaged per bucket in SQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, Integer, cast, func, select

from pantau.models import HostMetric, utcnow

from ..frames import read_frame
from .windows import time_range

HOST_COLUMNS = ["host", "collected_at", "cpu_pct", "mem_pct", "load1", "net_rx_bps", "net_tx_bps", "uptime_s",
                "disks", "processes"]


def hosts(engine: Engine, since: timedelta = timedelta(days=30), now: datetime | None = None,
          host: str | None = None) -> pd.DataFrame:
    """The newest reading of every host (or of ``host``) heard from within ``since``, by host name."""
    now = now or utcnow()
    columns = [getattr(HostMetric, column) for column in HOST_COLUMNS]
    recent = HostMetric.collected_at >= now - since
    if host is not None:
        query = (select(*columns).where(HostMetric.host == host, recent)
                 .order_by(HostMetric.collected_at.desc()).limit(1))
    else:
        newest = select(HostMetric.host, func.max(HostMetric.collected_at).label("at")).where(recent)
        newest = newest.group_by(HostMetric.host).subquery()
        query = (
            select(*columns)
            .join(newest, (HostMetric.host == newest.c.host) & (HostMetric.collected_at == newest.c.at))
            .order_by(HostMetric.host)
        )
    with engine.connect() as connection:
        frame = read_frame(connection, query, HOST_COLUMNS)
    frame["collected_at"] = pd.to_datetime(frame["collected_at"], utc=True)
    return frame.drop_duplicates("host").reset_index(drop=True)


HISTORY_COLUMNS = ["at", "readings", "cpu_pct", "cpu_max_pct", "mem_pct", "load1", "net_rx_bps", "net_tx_bps"]


def host_history(engine: Engine, host: str, range_key: str, now: datetime | None = None) -> pd.DataFrame:
    """Averages (and the CPU peak) per bucket of the range's host bucket size, oldest first."""
    picked = time_range(range_key)
    now = now or utcnow()
    bucket = _bucket(engine, picked.host_bucket_s).label("bucket")
    query = (
        select(bucket, func.count(), func.avg(HostMetric.cpu_pct), func.max(HostMetric.cpu_pct),
               func.avg(HostMetric.mem_pct), func.avg(HostMetric.load1), func.avg(HostMetric.net_rx_bps),
               func.avg(HostMetric.net_tx_bps))
        .where(HostMetric.host == host, HostMetric.collected_at >= now - picked.span)
        .group_by(bucket)
        .order_by(bucket)
    )
    with engine.connect() as connection:
        frame = read_frame(connection, query, HISTORY_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"].astype("int64"), unit="s", utc=True)
    for column in HISTORY_COLUMNS[2:]:
        frame[column] = frame[column].astype("float64")
    return frame


def _bucket(engine: Engine, size: int):
    """The start (seconds since 1970, UTC) of the ``size``-second bucket of ``collected_at``, in SQL."""
    if engine.dialect.name == "postgresql":
        return func.floor(func.extract("epoch", HostMetric.collected_at) / size) * size
    return cast(func.strftime("%s", HostMetric.collected_at), Integer) // size * size
