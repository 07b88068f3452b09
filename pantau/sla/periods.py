"""Months ("2026-03") and half-years ("2026-H1"): the periods SLA figures are grouped and judged by.

Permenpan RB 35/2012 asks for SOP monitoring each half-year; a half-year here is January–June
(H1) or July–December (H2) of the campus's local calendar.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

_HALF = re.compile(r"^(\d{4})-H([12])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_LOCALES = {"id": "id_ID", "en": "en"}


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    """The local month of an aware instant, as "YYYY-MM"."""
    return moment.astimezone(zone).strftime("%Y-%m")


def half_of(month: str) -> str:
    """The half-year a month belongs to: "2026-03" -> "2026-H1"."""
    year, number = _parse_month(month)
    return f"{year}-H{1 if number <= 6 else 2}"


def months_of(half: str) -> list[str]:
    """The six months of a half-year, in order."""
    year, part = _parse_half(half)
    first = 1 if part == 1 else 7
    return [f"{year}-{number:02d}" for number in range(first, first + 6)]


def previous_half(half: str) -> str:
    """The half-year before `half`."""
    year, part = _parse_half(half)
    return f"{year}-H1" if part == 2 else f"{year - 1}-H2"


def months_until(last: str, count: int) -> list[str]:
    """`count` consecutive months ending with `last`, oldest first."""
    year, number = _parse_month(last)
    index = year * 12 + number - 1 - count + 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index, index + count)]


def half_label(half: str, lang: str = "id") -> str:
    """`Januari–Juni 2026` / `January–June 2026`."""
    year, part = _parse_half(half)
    names = get_month_names("wide", locale=_LOCALES.get(lang, "id_ID"))
    first = 1 if part == 1 else 7
    return f"{names[first]}–{names[first + 5]} {year}"


def month_label(month: str, lang: str = "id") -> str:
    """`Mar 2026`."""
    year, number = _parse_month(month)
    return f"{get_month_names('abbreviated', locale=_LOCALES.get(lang, 'id_ID'))[number]} {year}"


def is_half(text: str) -> bool:
    """Whether `text` names a half-year such as "2026-H1"."""
    return _HALF.match(text) is not None


def _parse_half(half: str) -> tuple[int, int]:
    match = _HALF.match(half)
    if match is None:
        raise ValueError(f"not a half-year: {half!r} (write it as 2026-H1 or 2026-H2)")
    return int(match[1]), int(match[2])


def _parse_month(month: str) -> tuple[int, int]:
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month: {month!r} (write it as 2026-03)")
    return int(match[1]), int(match[2])
