"""When did data last arrive? The newest successful collector run."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from pantau.models import CollectorRun


def last_update(engine: Engine, collector: str | None = None) -> datetime | None:
    """The finish time of the latest successful run (of one collector, or of any)."""
    query = select(func.max(CollectorRun.finished_at)).where(CollectorRun.ok.is_(True))
    if collector:
        query = query.where(CollectorRun.collector == collector)
    with engine.connect() as connection:
        value = connection.scalar(query)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value
