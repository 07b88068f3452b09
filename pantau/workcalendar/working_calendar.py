"""The working calendar: when an office works, and how standard times turn into due times."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from dateutil.relativedelta import relativedelta

from pantau.workcalendar.config import DEFAULT_WORKING_HOURS, CalendarConfig, Closure, Interval
from pantau.workcalendar.units import Clock, TimeUnit

HOLIDAY_CATEGORIES = ("public", "government")
"""National holidays ("public") and cuti bersama ("government") from the `holidays` package."""

_MAX_DAYS_SCANNED = 3 * 366


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where an instant is needed."""


class StandardTimeLike(Protocol):
    """Anything with an amount and a unit, such as a catalogue `StandardTime`."""

    @property
    def value(self) -> int | None: ...

    @property
    def unit(self) -> TimeUnit: ...


class WorkingCalendar:
    """Working hours, national holidays, cuti bersama and closures of one institution, in one zone.

    Datetimes given to its methods must be aware (any zone); datetimes it returns are in the
    calendar's zone. Working intervals are half-open: the office works from opening up to, not
    including, closing time.
    """

    def __init__(
        self,
        tz: str = "Asia/Jakarta",
        hours: Mapping[Any, Any] | None = None,
        closures: Iterable[Any] = (),
        holidays: Mapping[date, str] | None = None,
    ) -> None:
        """Build a calendar.

        `hours` maps weekdays ("monday" or 0 … 6) to one (start, end) pair or a list of them, and
        defaults to `DEFAULT_WORKING_HOURS`. `closures` lists dates or (first, last) date pairs the
        institution is closed. `holidays` defaults to Indonesia's national holidays and cuti bersama
        (`holidays.country_holidays("ID", categories=("public", "government"))`, loaded per year as
        needed).
        """
        config = CalendarConfig(
            timezone=tz,
            working_hours=DEFAULT_WORKING_HOURS if hours is None else dict(hours),
            closures=list(closures),
        )
        self._setup(config, holidays)

    @classmethod
    def from_config(cls, config: CalendarConfig, holidays: Mapping[date, str] | None = None) -> WorkingCalendar:
        """Build a calendar from validated settings."""
        calendar = cls.__new__(cls)
        calendar._setup(config, holidays)
        return calendar

    def _setup(self, config: CalendarConfig, holidays: Mapping[date, str] | None) -> None:
        self.config = config
        self.zone = ZoneInfo(config.timezone)
        self._hours: dict[int, list[Interval]] = {day.index: spans for day, spans in config.working_hours.items()}
        self._closures: tuple[Closure, ...] = tuple(config.closures)
        if holidays is None:
            holidays = holidays_lib.country_holidays("ID", categories=HOLIDAY_CATEGORIES, language="id")
        self._holidays = holidays
        self._day_cache: dict[date, tuple[tuple[datetime, datetime], ...]] = {}

    def local(self, dt: datetime) -> datetime:
        """Return aware `dt` in the calendar's zone; reject a naive datetime."""
        if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
            raise NaiveDatetimeError(
                f"naive datetime {dt.isoformat()}: give an aware datetime, "
                f"e.g. datetime(..., tzinfo=ZoneInfo({self.config.timezone!r}))"
            )
        return dt.astimezone(self.zone)

    def closure_reason(self, day: date) -> str | None:
        """Why `day` is not a working day (holiday name, closure reason, "weekend"), or None."""
        if day in self._holidays:
            return self._holidays[day]
        for closure in self._closures:
            if closure.start <= day <= closure.last:
                return closure.reason or "closed"
        if not self._hours.get(day.weekday()):
            return "weekend" if day.weekday() >= 5 else "no working hours"
        return None

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on `day` at all."""
        return self.closure_reason(day) is None

    def working_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of `day` as aware datetimes in the calendar's zone (empty if closed)."""
        if day not in self._day_cache:
            spans: tuple[tuple[datetime, datetime], ...] = ()
            if self.is_working_day(day):
                spans = tuple(
                    (datetime.combine(day, start, self.zone), datetime.combine(day, end, self.zone))
                    for start, end in self._hours[day.weekday()]
                )
            self._day_cache[day] = spans
        return self._day_cache[day]

    def is_working_time(self, dt: datetime) -> bool:
        """Whether the office is working at instant `dt` (closing time itself is not working time)."""
        moment = self.local(dt)
        return any(start <= moment < end for start, end in self.working_intervals(moment.date()))

    def next_working_time(self, dt: datetime) -> datetime:
        """`dt` itself if it is working time, otherwise the next opening."""
        return next(self._periods_from(self.local(dt)))[0]

    def _periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals from `moment` on, the first clipped to start at `moment`.

        Raises ValueError after `_MAX_DAYS_SCANNED` days in a row without working time.
        """
        day, closed_days = moment.date(), 0
        while closed_days < _MAX_DAYS_SCANNED:
            spans = [(max(start, moment), end) for start, end in self.working_intervals(day) if end > moment]
            closed_days = 0 if spans else closed_days + 1
            yield from spans
            day += timedelta(days=1)
        first_closed = day - timedelta(days=_MAX_DAYS_SCANNED)
        raise ValueError(f"no working time in the {_MAX_DAYS_SCANNED} days from {first_closed.isoformat()}")

    def add(self, start: datetime, amount: int, unit: TimeUnit | str) -> datetime:
        """The due time of a standard time of `amount` `unit` that starts at `start`.

        Calendar minutes and hours run on the wall clock. Working minutes and hours count only
        working time: a step that needs exactly the time left before closing is due at closing.
        Working days follow `SATU_KALI_24_JAM_HARI_KERJA`: from the next moment the office is open,
        the same clock time `amount` working days later, kept within that day's opening hours.
        Calendar days and months keep the local clock time; a month-end start ends on the last day
        of a shorter month (31 January + 1 month = 28 or 29 February).
        """
        unit = TimeUnit(unit)
        if amount < 0:
            raise ValueError(f"amount must not be negative, got {amount}")
        moment = self.local(start)
        if unit is TimeUnit.CALENDAR_MINUTES:
            return _shift(moment, timedelta(minutes=amount), self.zone)
        if unit is TimeUnit.CALENDAR_HOURS:
            return _shift(moment, timedelta(hours=amount), self.zone)
        if unit is TimeUnit.WORKING_MINUTES:
            return self._add_working(moment, timedelta(minutes=amount))
        if unit is TimeUnit.WORKING_HOURS:
            return self._add_working(moment, timedelta(hours=amount))
        if unit is TimeUnit.WORKING_DAYS:
            return self._add_working_days(moment, amount)
        if unit is TimeUnit.CALENDAR_DAYS:
            return _wall(moment.date() + timedelta(days=amount), moment.time(), self.zone)
        if unit is TimeUnit.CALENDAR_MONTHS:
            shifted = moment.replace(tzinfo=None) + relativedelta(months=amount)
            return _wall(shifted.date(), shifted.time(), self.zone)
        raise ValueError(f"unit {unit.value!r} has no due time")

    def _add_working(self, moment: datetime, amount: timedelta) -> datetime:
        periods = self._periods_from(moment)
        remaining = amount
        while True:
            start, end = next(periods)
            span = _between(start, end)
            if remaining <= span:
                return _shift(start, remaining, self.zone)
            remaining -= span

    def _add_working_days(self, moment: datetime, amount: int) -> datetime:
        opened = self.next_working_time(moment)
        day, clock = opened.date(), opened.time()
        for _ in range(amount):
            day = self._next_working_day(day)
        intervals = self.working_intervals(day)
        first_open, last_close = intervals[0][0].time(), intervals[-1][1].time()
        return _wall(day, min(max(clock, first_open), last_close), self.zone)

    def _next_working_day(self, day: date) -> date:
        for _ in range(_MAX_DAYS_SCANNED):
            day += timedelta(days=1)
            if self.working_intervals(day):
                return day
        raise ValueError(f"no working day within {_MAX_DAYS_SCANNED} days after {day.isoformat()}")

    def due_time(self, start: datetime, standard: StandardTimeLike) -> datetime | None:
        """The due time of a step that starts at `start`, or None for a step without a time."""
        if not standard.unit.measurable or standard.value is None:
            return None
        return self.add(start, standard.value, standard.unit)

    def elapsed(self, start: datetime, end: datetime, clock: Clock | str = Clock.WORKING) -> timedelta:
        """Time from `start` to `end` on `clock`: all of it, or only working time."""
        first, last = self.local(start), self.local(end)
        if last < first:
            raise ValueError(f"end {last.isoformat()} is before start {first.isoformat()}")
        if Clock(clock) is Clock.CALENDAR:
            return _between(first, last)
        total, day = timedelta(), first.date()
        while day <= last.date():
            for period_start, period_end in self.working_intervals(day):
                overlap_start, overlap_end = max(period_start, first), min(period_end, last)
                if overlap_end > overlap_start:
                    total += _between(overlap_start, overlap_end)
            day += timedelta(days=1)
        return total

    def progress(self, start: datetime, at: datetime, standard: StandardTimeLike) -> float | None:
        """The share of the standard time used by `at` (1.0 at the due time), measured on the unit's clock.

        None for a step without a time.
        """
        first, moment = self.local(start), self.local(at)
        due = self.due_time(first, standard)
        clock = standard.unit.clock
        if due is None or clock is None:
            return None
        allowed = self.elapsed(first, due, clock)
        if allowed == timedelta():
            return 1.0
        return self.elapsed(first, max(moment, first), clock) / allowed


def _between(start: datetime, end: datetime) -> timedelta:
    """Absolute time between two aware datetimes (correct across offset changes)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _shift(moment: datetime, delta: timedelta, zone: ZoneInfo) -> datetime:
    return (moment.astimezone(UTC) + delta).astimezone(zone)


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone)
