"""Measuring one step against its standard time on the working calendar."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pantau.sla.periods import month_of
from pantau.sla.timeline import StepSpan
from pantau.workcalendar import Clock, TimeUnit, WorkingCalendar, within_standard

OPEN = "open"
WAITING = "waiting"
MET = "met"
BREACHED = "breached"
DONE = "done"
AT_RISK = "at_risk"
DATA_ERROR = "data_error"
STORED_STATES = (OPEN, WAITING, MET, BREACHED, DONE, DATA_ERROR)
"""States a step result is stored with. Open steps become at risk or breached by the clock alone,
so queries derive `at_risk` and `breached` for open steps from `risk_at` and `due_at`. A data error (a
step completed before it started, or without a known start) is never measured, counted or met."""


@dataclass(frozen=True)
class Measurement:
    """A step's due time and the moment it becomes at risk (None for a step without a standard time),
    the standard's length and the time used, both in the step's clock and in seconds (the time used
    only once the step is completed), its stored state and the local month it completed in."""

    due_at: datetime | None
    risk_at: datetime | None
    allowed_s: int | None
    elapsed_s: int | None
    state: str
    month: str | None

    @property
    def ratio(self) -> float | None:
        """Time used as a share of the standard (1.0 is exactly the standard)."""
        if self.elapsed_s is None or not self.allowed_s:
            return None
        return self.elapsed_s / self.allowed_s


def measure(span: StepSpan, calendar: WorkingCalendar, at_risk_share: float) -> Measurement:
    """Measure `span` against its step's standard time.

    Completed steps are met when completed at or before the due time ("maksimal" is inclusive),
    breached after it. Open steps are stored as open, or waiting when an outside party does the step;
    a step without a standard time is done once completed. Steps without a standard are measured
    on the wall clock, for the record only. A span with a data error is stored as such, without a month.
    """
    if span.problem is not None:
        return Measurement(None, None, None, None, DATA_ERROR, None)
    standard = span.step.time
    completed = span.completed_at
    month = month_of(completed, calendar.zone) if completed is not None else None
    open_state = WAITING if span.step.outside_party else OPEN
    due = calendar.due_time(span.started_at, standard)
    clock = standard.unit.clock
    if due is None or clock is None:
        elapsed = _seconds(calendar.elapsed(span.started_at, completed, Clock.CALENDAR)) if completed else None
        return Measurement(None, None, None, elapsed, DONE if completed else open_state, month)
    allowed = _allowed(calendar, span.started_at, due, standard.value, standard.unit, clock)
    risk = _risk_at(calendar, span.started_at, due, allowed, clock, at_risk_share)
    if completed is None:
        return Measurement(due, risk, _seconds(allowed), None, open_state, None)
    elapsed = calendar.elapsed(span.started_at, completed, clock)
    state = MET if within_standard(completed, due) else BREACHED
    return Measurement(due, risk, _seconds(allowed), _seconds(elapsed), state, month)


def _allowed(calendar: WorkingCalendar, start: datetime, due: datetime, value: int, unit: TimeUnit,
             clock: Clock) -> timedelta:
    """The standard's length in its clock; working minutes and hours are exactly their amount."""
    if unit is TimeUnit.WORKING_MINUTES:
        return timedelta(minutes=value)
    if unit is TimeUnit.WORKING_HOURS:
        return timedelta(hours=value)
    return calendar.elapsed(start, due, clock)


def _risk_at(
    calendar: WorkingCalendar, start: datetime, due: datetime, allowed: timedelta, clock: Clock, share: float
) -> datetime:
    """The moment `share` of the standard is used: on the wall clock, or in whole working minutes."""
    if clock is Clock.CALENDAR:
        return calendar.local(start.astimezone(UTC) + (due - start) * share)
    minutes = math.floor(allowed.total_seconds() * share / 60)
    return calendar.add(start, minutes, TimeUnit.WORKING_MINUTES)


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())
