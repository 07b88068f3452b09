"""Time ranges and rollup levels: which table answers a range, and how a window splits into buckets.

Rollup buckets are UTC minutes, hours and days. A window ``[start, end)`` is covered by whole days in
the middle, whole hours beside them and minutes at the edges, so a year costs about 365 + 48 + 120 rows
per monitor. Where a finer level has already been purged at the window's far edge, the edge is moved to
the next boundary of the finest level still kept there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SIZES = {"minute": 60, "hour": 3600, "day": 86_400}
LEVELS = tuple(SIZES)
DEFAULT_RETENTION: dict[str, timedelta | None] = {"minute": timedelta(days=7), "hour": timedelta(days=400),
                                                   "day": None}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class TimeRange:
    """A picker choice: how far back, which store level answers it, and its host-metric bucket."""

    span: timedelta
    level: str
    host_bucket_s: int


RANGES: dict[str, TimeRange] = {
    "1h": TimeRange(timedelta(hours=1), "sample", 60),
    "24h": TimeRange(timedelta(hours=24), "minute", 300),
    "7d": TimeRange(timedelta(days=7), "hour", 1800),
    "30d": TimeRange(timedelta(days=30), "hour", 7200),
    "1y": TimeRange(timedelta(days=365), "day", 86_400),
}
WINDOWS: dict[str, timedelta] = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
                                 "365d": timedelta(days=365)}


def time_range(key: str) -> TimeRange:
    try:
        return RANGES[key]
    except KeyError:
        raise ValueError(f"unknown range {key!r}; choose one of {', '.join(RANGES)}") from None


def floor(moment: datetime, seconds: int) -> datetime:
    return _EPOCH + ((moment - _EPOCH) // timedelta(seconds=seconds)) * timedelta(seconds=seconds)


def ceil(moment: datetime, seconds: int) -> datetime:
    down = floor(moment, seconds)
    return down if down == moment else down + timedelta(seconds=seconds)


def pieces(start: datetime, end: datetime, now: datetime,
           retention: dict[str, timedelta | None] | None = None) -> list[tuple[str, datetime, datetime]]:
    """Split ``[start, end)`` into ``(level, from, to)`` bucket ranges, coarsest in the middle.

    ``end`` is rounded up to the minute (the running minute counts); ``start`` is rounded up to the
    finest level whose retention (seen from ``now``) still reaches it.
    """
    kept = retention or DEFAULT_RETENTION
    edge = next((level for level in LEVELS if kept.get(level) is None or now - start < kept[level] - _MARGIN),
                LEVELS[-1])
    lo, hi = ceil(start, SIZES[edge]), ceil(end, SIZES["minute"])
    return _cover(lo, hi, len(LEVELS) - 1)


def _cover(lo: datetime, hi: datetime, top: int) -> list[tuple[str, datetime, datetime]]:
    if lo >= hi:
        return []
    level = LEVELS[top]
    if top == 0:
        return [(level, lo, hi)]
    first, last = ceil(lo, SIZES[level]), floor(hi, SIZES[level])
    if first >= last:
        return _cover(lo, hi, top - 1)
    return _cover(lo, first, top - 1) + [(level, first, last)] + _cover(last, hi, top - 1)
