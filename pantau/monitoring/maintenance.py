"""Maintenance windows: one-off spans and recurring weekly rules in the campus's local time.

A rule reads ``DAYS HH:MM-HH:MM``: ``DAYS`` is ``DAILY``, or day names (``MON`` .. ``SUN``) separated by
commas, with ranges such as ``MON-FRI``. A window whose end is not after its start runs past midnight
(``SAT 23:00-01:00`` ends on Sunday at 01:00); ``24:00`` ends at midnight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_RULE = re.compile(r"^\s*(?P<days>[A-Za-z,\-\s]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class WeeklyRule:
    """Days of the week (0 = Monday) and a local start time and length."""

    days: frozenset[int]
    start: time
    length: timedelta

    def __str__(self) -> str:
        days = "DAILY" if len(self.days) == 7 else ",".join(DAY_NAMES[d] for d in sorted(self.days))
        end = (datetime.combine(date.min, self.start) + self.length).time()
        return f"{days} {self.start:%H:%M}-{end:%H:%M}"


def parse_rule(text: str) -> WeeklyRule:
    """Read a rule such as ``SUN 01:00-03:00``; ValueError says what is wrong with it."""
    match = _RULE.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a rule like 'SUN 01:00-03:00' or 'DAILY 22:00-23:30'")
    days = _days(match["days"])
    start, end = _clock(match["start"]), _clock(match["end"])
    length = (end - start) % timedelta(days=1) or timedelta(days=1)
    if end == start:
        raise ValueError(f"{text!r}: the window has no length")
    return WeeklyRule(days, (datetime.min + start).time(), length)


def _days(text: str) -> frozenset[int]:
    text = text.strip().upper()
    if text == "DAILY":
        return frozenset(range(7))
    chosen: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        first, _, last = part.partition("-")
        try:
            a = DAY_NAMES.index(first.strip())
            b = DAY_NAMES.index(last.strip()) if last else a
        except ValueError:
            raise ValueError(f"unknown day {part!r}; use {', '.join(DAY_NAMES)} or DAILY") from None
        chosen.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(chosen)


def _clock(text: str) -> timedelta:
    hours, minutes = map(int, text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day")
    return timedelta(hours=hours, minutes=minutes)


@dataclass(frozen=True)
class Window:
    """One maintenance window: either a one-off span (aware instants) or a weekly rule."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    rule: WeeklyRule | None = None
    note: str = ""

    def spans(self, start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The window's occurrences that overlap ``[start, end)``, as aware UTC-comparable pairs."""
        if self.rule is None:
            if self.starts_at is None or self.ends_at is None:
                return []
            return [(self.starts_at, self.ends_at)] if self.starts_at < end and self.ends_at > start else []
        first = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date()
        found = []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if day.weekday() not in self.rule.days:
                continue
            opens = datetime.combine(day, self.rule.start, tzinfo=zone)
            closes = opens + self.rule.length
            if opens < end and closes > start:
                found.append((opens, closes))
        return found

    def covers(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Is ``moment`` (aware) inside this window?"""
        return bool(self.spans(moment, moment + timedelta(microseconds=1), zone))


def active_window(windows: Iterable[Window], moment: datetime, zone: ZoneInfo) -> Window | None:
    """The first of ``windows`` covering ``moment``, if any."""
    return next((window for window in windows if window.covers(moment, zone)), None)
