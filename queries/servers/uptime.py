"""Availability per monitor over the last 24 hours, 7, 30 and 365 days, from the rollups alone.

Availability = up ÷ (up + down): samples taken in maintenance are neither, so maintenance is excluded
from the time observed. Time without checks is neither up nor down either: it is reported as unknown
(`unknown_s`: from the window's start, or the monitor's first check if later, to now, less the time its
checks cover), so a gap shows as a gap and never as time up. Where the window's far edge falls in a bucket
whose finer rows are purged, the window is measured from that bucket's end, as its rows are (`windows.pieces`).
The cost is a few hundred rollup rows per monitor, whatever the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, func, literal, select, union_all

from pantau.models import Monitor, ProbeSample, RollupDay, RollupHour, RollupMinute, utcnow

from ..frames import read_frame
from .windows import WINDOWS, pieces

TABLES = {"minute": RollupMinute, "hour": RollupHour, "day": RollupDay}
COLUMNS = ["monitor_id", "window", "up", "down", "maintenance", "availability", "span_s", "observed_s", "unknown_s"]


def uptime(engine: Engine, monitor_ids: Iterable[int], *, windows: Iterable[str] = tuple(WINDOWS),
           now: datetime | None = None, retention: dict[str, timedelta | None] | None = None) -> pd.DataFrame:
    """One row per monitor and window: sample counts, availability (NaN when nothing was observed), and the
    window's seconds (`span_s`, from the monitor's first check if that came later), those its checks cover
    (`observed_s`, each check standing for the monitor's interval) and those unknown (`unknown_s`)."""
    ids = list(monitor_ids)
    chosen = list(windows)
    now = now or utcnow()
    parts, starts = [], {}
    for window in chosen:
        covered = pieces(now - WINDOWS[window], now, now, retention)
        starts[window] = min((lo for _, lo, _ in covered), default=now - WINDOWS[window])
        for level, lo, hi in covered:
            table = TABLES[level]
            parts.append(
                select(table.monitor_id, literal(window).label("window"), table.up, table.down, table.maintenance)
                .where(table.monitor_id.in_(ids), table.bucket >= lo, table.bucket < hi)
            )
    frame = pd.DataFrame(columns=COLUMNS[:5])
    intervals: dict[int, float] = {}
    first_checks: dict[int, datetime] = {}
    if ids:
        with engine.connect() as connection:
            intervals = dict(connection.execute(
                select(Monitor.id, Monitor.interval_s).where(Monitor.id.in_(ids))).all())
            first_checks = _first_checks(connection, ids)
            if parts:
                combined = union_all(*parts).subquery()
                query = (
                    select(combined.c.monitor_id, combined.c.window, func.sum(combined.c.up),
                           func.sum(combined.c.down), func.sum(combined.c.maintenance))
                    .group_by(combined.c.monitor_id, combined.c.window)
                )
                frame = read_frame(connection, query, COLUMNS[:5])
    full = pd.MultiIndex.from_product([ids, chosen], names=["monitor_id", "window"]).to_frame(index=False)
    frame = full.merge(frame, on=["monitor_id", "window"], how="left")
    for column in ("up", "down", "maintenance"):
        frame[column] = frame[column].fillna(0).astype("int64")
    observed = frame["up"] + frame["down"]
    frame["availability"] = (frame["up"] / observed.where(observed > 0)).astype("float64")
    _coverage(frame, intervals, first_checks, starts, now)
    return frame[COLUMNS]


def _first_checks(connection, ids: list[int]) -> dict[int, datetime]:
    """When each monitor was first checked, as far as the store remembers: its oldest rollup bucket (a day's
    bucket once the finer ones are purged), or its oldest raw check when that lies within a day after it (a
    monitor added an hour ago has an hour to account for, not its bucket's whole day).

    One statement: per monitor and table, the first entry of its (monitor, time) index, whatever the history."""
    tables = (*TABLES.values(), ProbeSample)
    firsts = [select(func.min(table.checked_at if table is ProbeSample else table.bucket))
              .where(table.monitor_id == Monitor.id).correlate(Monitor).scalar_subquery() for table in tables]
    rows = connection.execute(select(Monitor.id, *firsts).where(Monitor.id.in_(ids))).all()
    found: dict[int, datetime] = {}
    for monitor_id, *per_table in rows:
        for table, first in zip(tables, per_table, strict=True):
            if first is None:
                continue
            first = pd.Timestamp(first)
            first = first.tz_localize("UTC") if first.tzinfo is None else first
            if table is ProbeSample:
                coarse = found.get(monitor_id)
                if coarse is None or coarse <= first <= coarse + pd.Timedelta(days=1):
                    found[monitor_id] = first
            elif monitor_id not in found or first < found[monitor_id]:
                found[monitor_id] = first
    return found


def _coverage(frame: pd.DataFrame, intervals: dict[int, float], first_checks: dict[int, datetime],
              starts: dict[str, datetime], now: datetime) -> None:
    """A window's span runs from where its buckets start, or the monitor's first check when that came later, to
    now."""
    window_s = frame["window"].map(lambda key: (now - starts[key]).total_seconds()).astype("float64")
    first = pd.to_datetime(frame["monitor_id"].map(first_checks), utc=True)
    since_first = (pd.Timestamp(now) - first).dt.total_seconds()
    frame["span_s"] = since_first.clip(upper=window_s).fillna(window_s).clip(lower=0.0)
    every = frame["monitor_id"].map(intervals).astype("float64").fillna(60.0)
    checks = frame["up"] + frame["down"] + frame["maintenance"]
    frame["observed_s"] = (checks * every).clip(upper=frame["span_s"]).astype("float64")
    frame["unknown_s"] = (frame["span_s"] - frame["observed_s"]).clip(lower=0.0)
