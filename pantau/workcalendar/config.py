"""Configuration of a working calendar: time zone, weekly working hours and the institution's closures."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Interval = tuple[time, time]


class Weekday(StrEnum):
    """A day of the week, in the order of `datetime.weekday()`."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def index(self) -> int:
        """0 for Monday through 6 for Sunday, as `date.weekday()` counts."""
        return list(Weekday).index(self)


_MON_THU = [(time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))]
_FRIDAY = [(time(7, 30), time(11, 30)), (time(13, 0), time(16, 30))]

DEFAULT_WORKING_HOURS: dict[Weekday, list[Interval]] = {
    Weekday.MONDAY: _MON_THU,
    Weekday.TUESDAY: _MON_THU,
    Weekday.WEDNESDAY: _MON_THU,
    Weekday.THURSDAY: _MON_THU,
    Weekday.FRIDAY: _FRIDAY,
}
"""Working hours of Indonesian government offices on the five-day week: 37.5 hours a week.

Monday to Thursday 07:30–16:00 with a break 12:00–13:00 (7.5 hours), Friday 07:30–16:30 with the
Friday-prayer break 11:30–13:00 (7.5 hours); Saturday and Sunday closed. This is the pattern of the
Keppres 68/1995 five-day week that ministries and their polytechnics keep, and totals the 37.5 hours
a week the civil-service rules (Perpres 21/2023) set.
"""


class Closure(BaseModel):
    """A day or an inclusive range of days the institution is closed, beyond national holidays."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date
    end: date | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Closure:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"closure ends {self.end} before it starts {self.start}")
        return self

    @property
    def last(self) -> date:
        """The last closed day (the start for a single-day closure)."""
        return self.end or self.start


def _as_interval(raw: Any) -> Interval:
    if not isinstance(raw, (list, tuple)) or len(raw) != 2:
        raise ValueError(f"an interval is a [start, end] pair of times, got {raw!r}")
    start, end = (time.fromisoformat(v) if isinstance(v, str) else v for v in raw)
    if not (isinstance(start, time) and isinstance(end, time)):
        raise ValueError(f"an interval is a [start, end] pair of times, got {raw!r}")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(f"working hours are local times without a zone, got {raw!r}")
    if not start < end:
        raise ValueError(f"interval {start:%H:%M}–{end:%H:%M} must end after it starts, within one day")
    return start, end


def _as_day_intervals(raw: Any) -> list[Interval]:
    """Accept one [start, end] pair or a list of them; return sorted, non-overlapping intervals."""
    if isinstance(raw, (list, tuple)) and len(raw) == 2 and not isinstance(raw[0], (list, tuple)):
        raw = [raw]
    intervals = sorted(_as_interval(item) for item in raw)
    for (_, end), (start, _) in zip(intervals, intervals[1:]):
        if start < end:
            raise ValueError(f"intervals overlap at {start:%H:%M}")
    return intervals


class CalendarConfig(BaseModel):
    """Settings for a `WorkingCalendar`, embeddable in the application settings.

    `working_hours` maps weekday names ("monday" … "sunday", or 0–6) to one [start, end] pair or a
    list of them; a day left out is closed. `closures` lists the institution's own closed days: a
    date, or a table with `start`, optional `end` (inclusive) and `reason`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Asia/Jakarta"
    working_hours: dict[Weekday, list[Interval]] = Field(
        default_factory=lambda: {day: list(spans) for day, spans in DEFAULT_WORKING_HOURS.items()}
    )
    closures: list[Closure] = Field(default_factory=list)

    @property
    def working_day_s(self) -> int:
        """The length of a working day in seconds: the week's working time over its working days (27,000 s,
        7.5 hours, on the default week); the unit working durations are written in."""
        days = [spans for spans in self.working_hours.values() if spans]
        total = sum((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
                    for spans in days for start, end in spans)
        return round(total / len(days))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Asia/Makassar')") from None
        return value

    @field_validator("working_hours", mode="before")
    @classmethod
    def _parse_week(cls, value: Any) -> dict[Weekday, list[Interval]]:
        if not isinstance(value, dict):
            raise ValueError("working_hours maps weekday names to [start, end] intervals")
        week: dict[Weekday, list[Interval]] = {}
        for day, intervals in value.items():
            weekday = list(Weekday)[day] if isinstance(day, int) and 0 <= day <= 6 else _weekday(day)
            try:
                week[weekday] = _as_day_intervals(intervals)
            except ValueError as error:
                raise ValueError(f"{weekday.value}: {error}") from None
        if not any(week.values()):
            raise ValueError("working_hours has no working time on any day")
        return week

    @field_validator("closures", mode="before")
    @classmethod
    def _parse_closures(cls, value: Any) -> list[Any]:
        if not isinstance(value, (list, tuple)):
            raise ValueError("closures is a list of dates or {start, end, reason} tables")
        return [_as_closure(item) for item in value]


def _weekday(name: Any) -> Weekday:
    try:
        return Weekday(str(name).lower())
    except ValueError:
        raise ValueError(f"unknown weekday {name!r} (use monday … sunday)") from None


def _as_closure(item: Any) -> Any:
    if isinstance(item, date):
        return {"start": item}
    if isinstance(item, (list, tuple)) and len(item) == 2:
        return {"start": item[0], "end": item[1]}
    return item
