"""A monitor's history over a picked range: latency band and loss per bucket, and the incidents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, Integer, and_, case, cast, literal, or_, select

from pantau.models import Incident, Monitor, ProbeSample, utcnow
from pantau.models.monitoring import monitor_label

from ..frames import read_frame
from .uptime import TABLES
from .windows import SIZES, floor, time_range

SERIES_COLUMNS = ["at", "count", "up", "down", "maintenance", "latency_min_ms", "latency_avg_ms", "latency_max_ms",
                  "loss"]


def latency(engine: Engine, monitor_id: int, range_key: str, now: datetime | None = None) -> pd.DataFrame:
    """One row per bucket of the range's level (raw samples for the last hour), oldest first.

    Latency figures cover the samples that were up; loss averages the up and down ones.
    """
    picked = time_range(range_key)
    now = now or utcnow()
    start = now - picked.span
    if picked.level == "sample":
        counted = ~ProbeSample.in_maintenance
        query = (
            select(ProbeSample.checked_at, literal(1),
                   cast(and_(counted, ProbeSample.ok), Integer), cast(and_(counted, ~ProbeSample.ok), Integer),
                   cast(ProbeSample.in_maintenance, Integer),
                   case((and_(counted, ProbeSample.ok), ProbeSample.latency_min_ms)),
                   case((and_(counted, ProbeSample.ok), ProbeSample.latency_ms)),
                   case((and_(counted, ProbeSample.ok), ProbeSample.latency_max_ms)),
                   case((counted, ProbeSample.loss)))
            .where(ProbeSample.monitor_id == monitor_id, ProbeSample.checked_at >= start)
            .order_by(ProbeSample.checked_at)
        )
    else:
        table = TABLES[picked.level]
        query = (
            select(table.bucket, table.count, table.up, table.down, table.maintenance, table.latency_min_ms,
                   table.latency_avg_ms, table.latency_max_ms, table.loss_avg)
            .where(table.monitor_id == monitor_id, table.bucket >= floor(start, SIZES[picked.level]))
            .order_by(table.bucket)
        )
    with engine.connect() as connection:
        frame = read_frame(connection, query, SERIES_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    for column in SERIES_COLUMNS[5:]:
        frame[column] = frame[column].astype("float64")
    return frame


INCIDENT_COLUMNS = ["id", "monitor_id", "monitor", "kind", "started_at", "ended_at", "cause"]


def incidents(engine: Engine, start: datetime, end: datetime | None = None, *,
              monitor_ids: Iterable[int] | None = None, limit: int = 500) -> pd.DataFrame:
    """Incidents overlapping ``[start, end)``, newest first, with ``duration_s`` (up to now while open)."""
    end = end or utcnow()
    query = (
        select(Incident.id, Incident.monitor_id, monitor_label(), Incident.kind, Incident.started_at,
               Incident.ended_at, Incident.cause)
        .join(Monitor, Monitor.id == Incident.monitor_id)
        .where(Incident.started_at < end, or_(Incident.ended_at.is_(None), Incident.ended_at >= start))
        .order_by(Incident.started_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    if monitor_ids is not None:
        query = query.where(Incident.monitor_id.in_(list(monitor_ids)))
    with engine.connect() as connection:
        frame = read_frame(connection, query, INCIDENT_COLUMNS)
    for column in ("started_at", "ended_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.as_unit("us")  # pandas may infer seconds
    frame["open"] = frame["ended_at"].isna()
    until = frame["ended_at"].fillna(pd.Timestamp(end))
    frame["duration_s"] = (until - frame["started_at"]).dt.total_seconds()
    return frame
