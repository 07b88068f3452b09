"""Rupiah, numbers, percentages, dates, times and durations in the reader's language, through Babel."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_time as _format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

LOCALES = {"id": "id_ID", "en": "en"}
_TIME_PATTERNS = {"id": "HH.mm", "en": "h:mm a"}
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


# Babel takes 20-40 µs a call; a table of a thousand rows formats the same days, times, units and amounts over
# and over, so each text is kept once made (pure functions of their arguments; `typed`: 5 and 5.0 apart).
@lru_cache(maxsize=8192, typed=True)
def _decimal(value: int | float | Decimal, pattern: str, locale: str) -> str:
    return format_decimal(value, pattern, locale=locale)


@lru_cache(maxsize=4096)
def _date(value: date, locale: str) -> str:
    return _format_date(value, "d MMM yyyy", locale=locale)


@lru_cache(maxsize=4096)
def _time(value: time, lang: str) -> str:
    return _format_time(value, _TIME_PATTERNS.get(lang, "HH.mm"), locale=_locale(lang))


@lru_cache(maxsize=2048)
def _unit(count: int, unit: str, locale: str) -> str:
    return format_unit(count, unit, length="long", locale=locale)


def rupiah(amount: int | float | Decimal | None, lang: str = "id") -> str:
    """`Rp 1.500.000` (id) or `Rp 1,500,000` (en); sen are shown only when there are any."""
    if amount is None:
        return "–"
    value = Decimal(str(amount))
    digits = "#,##0.00" if value != value.to_integral_value() else "#,##0"
    pattern = f"'Rp' {digits};-'Rp' {digits}"
    return _minus(_decimal(value, pattern, _locale(lang)))


MINUS = "\u2212"
"""The one minus sign every figure is written with (U+2212, not the hyphen)."""


def _minus(shown: str) -> str:
    """Babel's hyphen-minus as the minus sign, and a value that rounds to zero as a plain zero (never `-0,0`)."""
    if not shown.startswith("-"):
        return shown
    return shown[1:] if not any(digit in "123456789" for digit in shown) else MINUS + shown[1:]


def number(value: int | float | Decimal | None, lang: str = "id", decimals: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _minus(_decimal(value, pattern, _locale(lang)))


def change(value: int | float | Decimal | None, lang: str = "id", decimals: int = 1) -> str:
    """A difference with its sign: `+1,2`, `−0,4`, and `0,0` for what rounds to zero."""
    if value is None:
        return "–"
    shown = number(value, lang, decimals)
    return shown if shown.startswith(MINUS) or not any(d in "123456789" for d in shown) else "+" + shown


def percent(ratio: float | None, lang: str = "id", decimals: int = 1) -> str:
    """A ratio as `98,5%` (id) or `98.5%` (en); a ratio below one never reads 100% (99,99% of uptime is
    floored to `99,9%`, so downtime is never rounded away)."""
    if ratio is None:
        return "–"
    if ratio < 1 and round(float(ratio) * 100, decimals) >= 100:
        ratio = math.floor(float(ratio) * 10 ** (decimals + 2)) / 10 ** (decimals + 2)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return _minus(format_percent(ratio, pattern, locale=_locale(lang)))


def local(moment: datetime, tz: str) -> datetime:
    """An aware instant seen in the campus zone."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: give a time zone")
    return moment.astimezone(ZoneInfo(tz))


def day(value: date | datetime | None, lang: str = "id", tz: str = "Asia/Jakarta") -> str:
    """`22 Nov 2026`."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = local(value, tz).date()
    return _date(value, _locale(lang))


def clock(moment: datetime | None, lang: str = "id", tz: str = "Asia/Jakarta") -> str:
    """`14.05 WIB` (id) or `2:05 PM WIB` (en), with the zone's own abbreviation (WIB, WITA, WIT)."""
    if moment is None:
        return "–"
    seen = local(moment, tz)
    return f"{_time(time(seen.hour, seen.minute), lang)} {seen.tzname()}"


def moment(value: datetime | None, lang: str = "id", tz: str = "Asia/Jakarta") -> str:
    """`22 Nov 2026 14.05 WIB`."""
    if value is None:
        return "–"
    return f"{day(value, lang, tz)} {clock(value, lang, tz)}"


def when(value: datetime | None, lang: str = "id", tz: str = "Asia/Jakarta", now: datetime | None = None) -> str:
    """The time alone on the reader's day (`03.59 WIB`), with the date on another day (`20 Nov 2026 09.59 WIB`)."""
    if value is None:
        return "–"
    now = now or datetime.now(ZoneInfo("UTC"))
    return clock(value, lang, tz) if local(value, tz).date() == local(now, tz).date() else moment(value, lang, tz)


def duration(span: timedelta | float | None, lang: str = "id", parts: int = 2) -> str:
    """A span in words, the largest `parts` units: `2 jam 15 menit`, `3 hari`, `45 detik`."""
    if span is None:
        return "–"
    seconds = int(span.total_seconds() if isinstance(span, timedelta) else span)
    if seconds < 60:
        return _unit(max(seconds, 0), "duration-second", _locale(lang))
    words = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count and len(words) < parts:
            words.append(_unit(count, f"duration-{unit}", _locale(lang)))
        elif words:
            break
    return " ".join(words)


def working_duration(seconds: float | None, day_s: int, lang: str = "id", parts: int = 2) -> str:
    """Working time in working days of `day_s` seconds, then hours and minutes, the largest `parts` that are
    not zero: `3 hari kerja 3 jam`, `1 jam 30 menit kerja` / `3 working days 3 hours`, `1 working hour 30
    minutes`."""
    if seconds is None:
        return "–"
    left, words = max(int(seconds), 0), []
    for unit, size in (("day", day_s), ("hour", 3600), ("minute", 60)):
        count, left = divmod(left, size)
        if count:
            words.append((unit, count))
    words = words[:parts] or [("second", max(int(seconds), 0))]
    shown = [format_unit(count, f"duration-{unit}", length="long", locale=_locale(lang)) for unit, count in words]
    if lang == "id":
        return " ".join(shown[:1] + ["kerja"] + shown[1:]) if words[0][0] == "day" else " ".join(shown + ["kerja"])
    unit, count = words[0]
    return " ".join([f"{number(count, lang)} working {unit}{'s' if count != 1 else ''}"] + shown[1:])


def time_used(seconds: float | None, unit: str, day_s: int, lang: str = "id") -> str:
    """Time a step used, in the clock of its standard's unit (a TimeUnit value): working units in working
    days and hours of the calendar (`working_duration`), any other on the wall clock (`duration`)."""
    if unit in _STANDARD_UNITS and _STANDARD_UNITS[unit][1]:
        return working_duration(seconds, day_s, lang)
    return duration(seconds, lang)


_STANDARD_UNITS = {
    "calendar_minutes": ("minute", False), "working_minutes": ("minute", True),
    "calendar_hours": ("hour", False), "working_hours": ("hour", True),
    "calendar_days": ("day", False), "working_days": ("day", True), "calendar_months": ("month", False),
}


def standard_time(value: int | None, unit: str, lang: str = "id") -> str:
    """A step's standard time from its amount and unit (a :class:`~pantau.workcalendar.units.TimeUnit` value):
    `15 menit`, `2 jam kerja`, `3 hari kerja` / `15 minutes`, `2 working hours`, `as scheduled`; a dash for a
    step without one."""
    if unit == "as_scheduled":
        return "sesuai jadwal" if lang == "id" else "as scheduled"
    if value is None or unit not in _STANDARD_UNITS:
        return "–"
    word, working = _STANDARD_UNITS[unit]
    if lang == "id" or not working:
        text = format_unit(value, f"duration-{word}", length="long", locale=_locale(lang))
        return f"{text} kerja" if working else text
    return f"{number(value, lang)} working {word}{'s' if value != 1 else ''}"


def working_days(count: float, lang: str = "id") -> str:
    """`3 hari kerja` / `3 working days`."""
    shown = number(count, lang, 0 if float(count).is_integer() else 1)
    return f"{shown} hari kerja" if lang == "id" else f"{shown} working day{'s' if count != 1 else ''}"
