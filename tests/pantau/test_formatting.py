"""Rupiah, percentages, dates, times and durations as UI.md spells them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pantau import formatting as fmt

MOMENT = datetime(2026, 11, 22, 7, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "lang", "shown"),
    [(1500000, "id", "Rp 1.500.000"), (1500000, "en", "Rp 1,500,000"), ("1500000.50", "id", "Rp 1.500.000,50"),
     (-250000, "id", "\u2212Rp 250.000"), (None, "id", "–")],
)
def test_fmt001_rupiah_without_decimals_unless_there_are_sen(amount, lang, shown):
    assert fmt.rupiah(amount, lang) == shown


def test_fmt002_percentages():
    assert fmt.percent(0.985, "id") == "98,5%"
    assert fmt.percent(0.985, "en") == "98.5%"


def test_fmt003_dates_and_times_in_the_campus_zone_with_its_abbreviation():
    assert fmt.day(MOMENT, "id") == "22 Nov 2026"
    assert fmt.clock(MOMENT, "id") == "14.05 WIB"
    assert fmt.clock(MOMENT, "en") == "2:05 PM WIB"
    assert fmt.clock(MOMENT, "id", "Asia/Makassar") == "15.05 WITA"
    assert fmt.clock(MOMENT, "id", "Asia/Jayapura") == "16.05 WIT"
    assert fmt.day(date(2026, 8, 17), "id") == "17 Agu 2026"


def test_fmt004_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        fmt.clock(datetime(2026, 11, 22, 7, 5))


def test_fmt005_durations_in_words():
    assert fmt.duration(timedelta(hours=2, minutes=15), "id") == "2 jam 15 menit"
    assert fmt.duration(timedelta(hours=2, minutes=15), "en") == "2 hours 15 minutes"
    assert fmt.duration(timedelta(days=3), "id") == "3 hari"
    assert fmt.duration(45, "id") == "45 detik"
    assert fmt.working_days(3, "id") == "3 hari kerja"
    assert fmt.working_days(1, "en") == "1 working day"


@pytest.mark.parametrize(("value", "unit", "indonesian", "english"), [
    (15, "calendar_minutes", "15 menit", "15 minutes"),
    (2, "working_hours", "2 jam kerja", "2 working hours"),
    (1, "working_days", "1 hari kerja", "1 working day"),
    (3, "calendar_months", "3 bulan", "3 months"),
    (None, "as_scheduled", "sesuai jadwal", "as scheduled"),
    (None, "none", "–", "–"),
])
def test_fmt006_standard_times_in_either_language(value, unit, indonesian, english):
    assert fmt.standard_time(value, unit, "id") == indonesian
    assert fmt.standard_time(value, unit, "en") == english


@pytest.mark.parametrize("shown, expected", [
    (lambda: fmt.number(-0.04, "id", 1), "0,0"),
    (lambda: fmt.number(-15.6, "id", 1), "\u221215,6"),
    (lambda: fmt.percent(-0.0001, "id"), "0,0%"),
    (lambda: fmt.rupiah(-1500, "id"), "\u2212Rp 1.500"),
    (lambda: fmt.change(-0.04, "id", 1), "0,0"),
    (lambda: fmt.change(2.5, "en", 1), "+2.5"),
    (lambda: fmt.change(-2.5, "en", 1), "\u22122.5"),
    (lambda: fmt.change(0, "id", 0), "0"),
])
def test_fmt007_one_minus_sign_and_a_zero_is_a_zero(shown, expected):
    assert shown() == expected


DAY = 7.5 * 3600
"""A working day of the default calendar (37.5 hours over five days)."""


@pytest.mark.parametrize("seconds, unit, indonesian, english", [
    (3 * DAY + 3.4 * 3600, "working_days", "3 hari kerja 3 jam", "3 working days 3 hours"),
    (DAY, "working_days", "1 hari kerja", "1 working day"),
    (3 * DAY + 41 * 60, "working_days", "3 hari kerja 41 menit", "3 working days 41 minutes"),
    (5400, "working_hours", "1 jam 30 menit kerja", "1 working hour 30 minutes"),
    (25.9 * 3600, "calendar_days", "1 hari 1 jam", "1 day 1 hour"),
    (30, "working_minutes", "30 detik kerja", "30 working seconds"),
])
def test_fmt008_time_used_is_written_in_the_clock_of_its_standard(seconds, unit, indonesian, english):
    """Working time is cut into working days of the calendar, never into 24-hour days: 25.9 working hours
    against '3 hari kerja' read as three working days and some hours."""
    assert fmt.time_used(seconds, unit, int(DAY), "id") == indonesian
    assert fmt.time_used(seconds, unit, int(DAY), "en") == english


@pytest.mark.parametrize("ratio, decimals, shown", [
    (0.99996, 1, "99,9%"), (0.99996, 2, "99,99%"), (0.999999, 2, "99,99%"), (1.0, 1, "100,0%"), (0.9994, 1, "99,9%"),
])
def test_fmt009_a_share_below_one_never_reads_a_hundred_percent(ratio, decimals, shown):
    """Availability with any downtime is floored, never rounded up to 100%."""
    assert fmt.percent(ratio, "id", decimals) == shown
