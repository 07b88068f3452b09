"""Indonesian working calendar: working hours, holidays and cuti bersama, and SOP standard-time units."""

from pantau.workcalendar.config import DEFAULT_WORKING_HOURS, CalendarConfig, Closure, Weekday
from pantau.workcalendar.units import (
    MAKSIMAL,
    SATU_KALI_24_JAM,
    SATU_KALI_24_JAM_HARI_KERJA,
    TERMS,
    Clock,
    TimeUnit,
    UnknownTermError,
    resolve_term,
    within_standard,
)
from pantau.workcalendar.working_calendar import (
    HOLIDAY_CATEGORIES,
    NaiveDatetimeError,
    StandardTimeLike,
    WorkingCalendar,
)

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "HOLIDAY_CATEGORIES",
    "MAKSIMAL",
    "SATU_KALI_24_JAM",
    "SATU_KALI_24_JAM_HARI_KERJA",
    "TERMS",
    "CalendarConfig",
    "Clock",
    "Closure",
    "NaiveDatetimeError",
    "StandardTimeLike",
    "TimeUnit",
    "UnknownTermError",
    "Weekday",
    "WorkingCalendar",
    "resolve_term",
    "within_standard",
]
