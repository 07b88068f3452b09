"""The bill rows each source's latest sync set aside (`pantau sync bills` and the sources page list them)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from pantau.models import BillQuarantine

from .frames import read_frame

COLUMNS = ["source", "query", "row", "source_key", "field", "column", "value", "reason", "first_seen_at",
           "last_seen_at"]


def quarantined(engine: Engine, source: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The rows set aside, by source then row (at most ``limit``)."""
    query = select(*(getattr(BillQuarantine, column) for column in COLUMNS)).order_by(
        BillQuarantine.source, BillQuarantine.id).limit(limit)
    if source is not None:
        query = query.where(BillQuarantine.source == source)
    return read_frame(engine, query, COLUMNS)


def quarantine_counts(engine: Engine) -> dict[str, int]:
    """How many rows each source has set aside."""
    query = select(BillQuarantine.source, func.count()).group_by(BillQuarantine.source)
    with engine.connect() as connection:
        return {source: count for source, count in connection.execute(query)}
