"""The standard time of an SOP row, read from the words of its `Waktu` cell ("10 menit", "1 x 24 jam",
"3 hari kerja", "1 Minggu", "Sesuai jadwal", "-").

Minutes and hours are working time (the office's hours), as the catalogue reads an SOP's desk work; days
are working days; weeks are seven calendar days; months and years are calendar months. "1 x 24 jam hari
kerja" is one working day and "1 x 24 jam" twenty-four hours on the wall clock
(`pantau.workcalendar.units`). A reading the words do not pin down is `uncertain`, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pantau.workcalendar import TimeUnit

_NONE = {"", "-", "–", "—", "--", "0", "tidak ada", "n/a"}
_SCHEDULED = re.compile(r"^(sesuai|menyesuaikan)( dengan)? (jadwal|kebutuhan|agenda|kalender akademik)\b")
_PREFIX = r"(?:(?:maksimal|maks\.?|paling lama|selambat-lambatnya|±|\+/-|kurang lebih)\s*)?"
_TIMES_24 = re.compile(rf"^{_PREFIX}(\d+)\s*x\s*24\s*jam(\s+hari\s+kerja)?$")
_AMOUNT = re.compile(rf"^{_PREFIX}(\d+(?:[.,]\d+)?)(?:\s*-\s*(\d+(?:[.,]\d+)?))?\s*"
                     r"(menit|jam|hari|minggu|pekan|bulan|tahun)(\s+(?:kerja|kalender))?$")
_IN_TEXT = re.compile(r"(maksimal\s+)?\d+\s*x\s*24\s*jam(\s+hari\s+kerja)?", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedTime:
    """A `Waktu` cell read: `value` and `unit` as the catalogue stores them, `written` the cell's own words."""

    written: str
    value: int | None
    unit: TimeUnit
    reasons: tuple[tuple[str, dict], ...] = ()
    """Why the reading needs a person's look, each a text with `{placeholders}` and its values (none when the
    words say it plainly)."""
    understood: bool = True

    @property
    def uncertain(self) -> str | None:
        return "; ".join(text.format(**values) for text, values in self.reasons) or None

    def as_catalogue(self) -> dict:
        """The step's `time` table in the catalogue's format."""
        entry: dict = {"value": self.value} if self.value is not None else {}
        entry["unit"] = self.unit.value
        if self.written:
            entry["written"] = self.written
        return entry


def parse_time(written: str) -> ParsedTime:
    """Read one `Waktu` cell. Words it does not understand give no time, `understood` False."""
    words = " ".join(written.split()).strip()
    text = words.lower().rstrip(".")
    if text in _NONE:
        return ParsedTime(words, None, TimeUnit.NONE)
    if _SCHEDULED.match(text) or text == "terjadwal":
        return ParsedTime(words, None, TimeUnit.AS_SCHEDULED)
    match = _TIMES_24.match(text)
    if match:
        times = int(match[1])
        if match[2]:
            return ParsedTime(words, times, TimeUnit.WORKING_DAYS)
        return ParsedTime(words, 24 * times, TimeUnit.CALENDAR_HOURS, (
            ("without 'hari kerja': read as 24 hours on the wall clock, nights and holidays included", {}),))
    match = _AMOUNT.match(text)
    if match is None:
        return ParsedTime(words, None, TimeUnit.NONE, (("words not understood as a time: no standard time", {}),),
                          understood=False)
    return _amount(words, match)


def _amount(words: str, match: re.Match) -> ParsedTime:
    low, high, unit, clock = match[1], match[2], match[3], (match[4] or "").strip()
    amount = float((high or low).replace(",", "."))
    notes = []
    if high:
        notes.append(("a range: the upper bound {high} is the standard", {"high": high}))
    if re.match(r"^(±|\+/-|kurang lebih)", words.lower()):
        notes.append(("an approximate time, read as an upper bound", {}))
    if unit in ("menit", "jam"):
        minutes = amount * (60 if unit == "jam" else 1)
        calendar = clock == "kalender"
        if unit == "jam" and minutes % 60 == 0:
            value, kind = int(minutes // 60), TimeUnit.CALENDAR_HOURS if calendar else TimeUnit.WORKING_HOURS
        else:
            value, kind = round(minutes), TimeUnit.CALENDAR_MINUTES if calendar else TimeUnit.WORKING_MINUTES
    elif unit == "hari":
        value = max(1, round(amount))
        kind = TimeUnit.CALENDAR_DAYS if clock == "kalender" else TimeUnit.WORKING_DAYS
        if not clock:
            notes.append(("'hari' without 'kerja' or 'kalender': read as working days", {}))
    elif unit in ("minggu", "pekan"):
        value, kind = max(1, round(amount * 7)), TimeUnit.CALENDAR_DAYS
    else:
        value, kind = max(1, round(amount * (12 if unit == "tahun" else 1))), TimeUnit.CALENDAR_MONTHS
    exact = amount * {"menit": 1, "jam": 60}.get(unit, 0) if unit in ("menit", "jam") else None
    if (exact is None and amount != int(amount)) or (exact is not None and exact != int(exact)):
        notes.append(("a fraction, rounded to {value} {unit}", {"value": value, "unit": kind.value}))
    return ParsedTime(words, value, kind, tuple(notes))


def time_mentioned(text: str | None) -> str | None:
    """A "1x24 jam" phrase in other words of the row (the Output or the remarks), as written there."""
    match = _IN_TEXT.search(text or "")
    return match[0] if match else None
