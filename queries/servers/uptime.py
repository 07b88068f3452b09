"""Availability per monitor over the last 24 hours, 7, 30 and 365 days, from the rollups alone.

Availability = up ÷ (up + down): samples taken in maintenance are neither, so maintenance is excluded
from the time observed. The cost is a few hundred rollup rows per monitor, whatever the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, func, literal, select, union_all

from pantau.models import RollupDay, RollupHour, RollupMinute, utcnow

from ..frames import read_frame
from .windows import WINDOWS, pieces

TABLES = {"minute": RollupMinute, "hour": RollupHour, "day": RollupDay}
COLUMNS = ["monitor_id", "window", "up", "down", "maintenance", "availability"]


def uptime(engine: Engine, monitor_ids: Iterable[int], *, windows: Iterable[str] = tuple(WINDOWS),
           now: datetime | None = None, retention: dict[str, timedelta | None] | None = None) -> pd.DataFrame:
    """One row per monitor and window: sample counts and availability (NaN when nothing was observed)."""
    ids = list(monitor_ids)
    chosen = list(windows)
    now = now or utcnow()
    parts = []
    for window in chosen:
        for level, lo, hi in pieces(now - WINDOWS[window], now, now, retention):
            table = TABLES[level]
            parts.append(
                select(table.monitor_id, literal(window).label("window"), table.up, table.down, table.maintenance)
                .where(table.monitor_id.in_(ids), table.bucket >= lo, table.bucket < hi)
            )
    frame = pd.DataFrame(columns=COLUMNS)
    if ids and parts:
        combined = union_all(*parts).subquery()
        query = (
            select(combined.c.monitor_id, combined.c.window, func.sum(combined.c.up), func.sum(combined.c.down),
                   func.sum(combined.c.maintenance))
            .group_by(combined.c.monitor_id, combined.c.window)
        )
        with engine.connect() as connection:
            frame = read_frame(connection, query, COLUMNS[:-1])
    full = pd.MultiIndex.from_product([ids, chosen], names=["monitor_id", "window"]).to_frame(index=False)
    frame = full.merge(frame, on=["monitor_id", "window"], how="left")
    for column in ("up", "down", "maintenance"):
        frame[column] = frame[column].fillna(0).astype("int64")
    observed = frame["up"] + frame["down"]
    frame["availability"] = (frame["up"] / observed.where(observed > 0)).astype("float64")
    return frame[COLUMNS]
