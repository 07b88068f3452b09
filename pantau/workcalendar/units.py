"""Units of standard time, and the SOP phrases "1x24 jam hari kerja" and "maksimal".

Every SOP step states its standard time ("Mutu Baku — Waktu") in one explicit unit. Minutes and hours
come in two clocks: calendar time (the wall clock runs on nights, weekends and holidays) and working
time (only the office's working hours count). Days come as working days or calendar days, and months
as calendar months. Steps with no time ("-" in the SOP) or a time fixed by a schedule ("Sesuai
jadwal") have no due time.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum


class Clock(StrEnum):
    """The clock a unit is measured in."""

    CALENDAR = "calendar"
    WORKING = "working"


class TimeUnit(StrEnum):
    """The unit of a standard time."""

    CALENDAR_MINUTES = "calendar_minutes"
    CALENDAR_HOURS = "calendar_hours"
    WORKING_MINUTES = "working_minutes"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"
    AS_SCHEDULED = "as_scheduled"
    NONE = "none"

    @property
    def clock(self) -> Clock | None:
        """The clock elapsed time is measured in, or None for a unit without a due time."""
        if self in (TimeUnit.AS_SCHEDULED, TimeUnit.NONE):
            return None
        return Clock.WORKING if self.value.startswith("working_") else Clock.CALENDAR

    @property
    def measurable(self) -> bool:
        """Whether an amount of this unit gives a due time."""
        return self.clock is not None


class UnknownTermError(ValueError):
    """A standard-time phrase that is not defined here."""


MAKSIMAL = "maksimal"
"""An SOP's "maksimal X" means X is an upper bound, which is how Pantau reads every standard time.

The due time is the start plus X in X's clock, and a step completed at or before its due time is
within standard (see `within_standard`). "maksimal 1x24 jam" therefore means the same as "1x24 jam":
the word adds no time and removes none.
"""

SATU_KALI_24_JAM_HARI_KERJA = (1, TimeUnit.WORKING_DAYS)
""""1x24 jam hari kerja": one working day, as Indonesian government offices use the phrase.

The twenty-four hours are counted only across working days: from the moment the office is open
(a request outside working hours starts when the office next opens) to the same clock time on the
next working day. A request at Friday 10:00 is due Monday 10:00; one at Friday 16:15, after
Monday's 16:00 closing, is due at Monday's closing. It is not 24 hours of working time, which would
be more than three working days.
"""

SATU_KALI_24_JAM = (24, TimeUnit.CALENDAR_HOURS)
""""1x24 jam" without "hari kerja": twenty-four hours on the wall clock, nights and holidays included."""

TERMS: dict[str, tuple[int, TimeUnit]] = {
    "1x24 jam hari kerja": SATU_KALI_24_JAM_HARI_KERJA,
    "1x24 jam": SATU_KALI_24_JAM,
}
"""Phrases an SOP file may name instead of a value and a unit, each optionally prefixed "maksimal"."""


def normalise_term(text: str) -> str:
    """Lower-case `text`, collapse spaces, and write "1 x 24" as "1x24"."""
    text = " ".join(text.lower().split())
    return re.sub(r"(\d)\s*x\s*(\d)", r"\1x\2", text)


def resolve_term(text: str) -> tuple[int, TimeUnit]:
    """Return the (amount, unit) a phrase such as "maksimal 1 x 24 jam hari kerja" stands for.

    Raises `UnknownTermError` for a phrase not in `TERMS`.
    """
    term = normalise_term(text)
    if term.startswith(MAKSIMAL + " "):
        term = term[len(MAKSIMAL) + 1 :]
    if term not in TERMS:
        known = ", ".join(repr(name) for name in TERMS)
        raise UnknownTermError(f"unknown term {text!r}; known terms: {known} (optionally 'maksimal ...')")
    return TERMS[term]


def within_standard(completed: datetime, due: datetime) -> bool:
    """Whether a step completed at `completed` met a standard (a "maksimal") due at `due`.

    The bound is inclusive: completing exactly at the due time is within standard.
    """
    return completed <= due
