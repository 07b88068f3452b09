"""The working calendar at its edges: Fridays, weekends, Idul Fitri, closing time, zones, month ends."""

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
import pytest

from pantau.workcalendar import (
    Clock,
    NaiveDatetimeError,
    TimeUnit,
    WorkingCalendar,
    within_standard,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


class Standard(NamedTuple):
    value: int | None
    unit: TimeUnit


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_cal001_friday_afternoon_request_runs_into_monday(cal):
    friday = wib(2026, 3, 6, 15, 0)
    assert cal.add(friday, 1, TimeUnit.WORKING_HOURS) == wib(2026, 3, 6, 16, 0)
    assert cal.add(friday, 2, TimeUnit.WORKING_HOURS) == wib(2026, 3, 9, 8, 0)
    assert cal.add(friday, 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 9, 15, 0)


def test_cal002_friday_after_mondays_closing_is_due_at_mondays_closing(cal):
    assert cal.add(wib(2026, 3, 6, 16, 15), 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 9, 16, 0)


def test_cal003_weekend_is_not_working_time(cal):
    saturday = wib(2026, 3, 7, 10, 0)
    assert not cal.is_working_time(saturday)
    assert cal.closure_reason(saturday.date()) == "weekend"
    assert cal.next_working_time(saturday) == wib(2026, 3, 9, 7, 30)
    assert cal.add(saturday, 30, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 9, 8, 0)
    assert cal.add(saturday, 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 10, 7, 30)
    assert cal.elapsed(saturday, wib(2026, 3, 9, 9, 0)) == timedelta(hours=1, minutes=30)
    assert cal.elapsed(saturday, wib(2026, 3, 9, 9, 0), Clock.CALENDAR) == timedelta(days=1, hours=23)


def test_cal004_idul_fitri_2026_and_its_cuti_bersama_are_closed(cal):
    known = {
        date(2026, 3, 18): "Day of Silence Joint Holiday",
        date(2026, 3, 19): "Day of Silence",
        date(2026, 3, 20): "Eid al-Fitr Joint Holiday",
        date(2026, 3, 21): "Eid al-Fitr",
        date(2026, 3, 22): "Eid al-Fitr Second Day",
        date(2026, 3, 23): "Eid al-Fitr Joint Holiday",
        date(2026, 3, 24): "Eid al-Fitr Joint Holiday",
    }
    national = holidays.country_holidays("ID", categories=("public", "government"), years=2026)
    from_package = {day: name for day, name in national.items() if date(2026, 3, 18) <= day <= date(2026, 3, 24)}
    assert from_package == known
    public_only = holidays.country_holidays("ID", years=2026)
    assert date(2026, 3, 23) not in public_only, "cuti bersama needs the 'government' category"

    first_open = max(from_package) + timedelta(days=1)
    assert first_open == date(2026, 3, 25)
    for day in from_package:
        assert not cal.is_working_day(day)
    assert "Cuti Bersama" in cal.closure_reason(date(2026, 3, 23))

    tuesday = wib(2026, 3, 17, 15, 0)
    assert cal.add(tuesday, 1, TimeUnit.WORKING_DAYS) == datetime.combine(first_open, tuesday.time(), WIB)
    assert cal.add(tuesday, 3, TimeUnit.WORKING_DAYS) == wib(2026, 3, 27, 15, 0)
    assert cal.add(wib(2026, 3, 17, 15, 50), 30, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 25, 7, 50)
    assert cal.elapsed(wib(2026, 3, 17, 12, 0), wib(2026, 3, 25, 12, 0)) == timedelta(hours=7, minutes=30)


def test_cal005_closing_time_itself_is_closed(cal):
    assert cal.is_working_time(wib(2026, 3, 2, 15, 59, 59))
    assert not cal.is_working_time(wib(2026, 3, 2, 16, 0))
    assert cal.is_working_time(wib(2026, 3, 6, 16, 29))
    assert not cal.is_working_time(wib(2026, 3, 6, 16, 30))
    due = cal.add(wib(2026, 3, 2, 15, 50), 10, TimeUnit.WORKING_MINUTES)
    assert due == wib(2026, 3, 2, 16, 0)
    assert within_standard(wib(2026, 3, 2, 16, 0), due)
    assert cal.add(wib(2026, 3, 2, 16, 0), 10, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 3, 7, 40)
    assert cal.add(wib(2026, 3, 2, 16, 0), 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 4, 7, 30)


def test_cal006_request_before_opening_starts_at_opening(cal):
    early = wib(2026, 3, 2, 6, 0)
    assert not cal.is_working_time(early)
    assert cal.add(early, 10, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 2, 7, 40)
    assert cal.add(early, 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 3, 7, 30)
    assert cal.elapsed(early, wib(2026, 3, 2, 8, 0)) == timedelta(minutes=30)


def test_cal007_lunch_and_friday_prayer_breaks_are_skipped(cal):
    assert not cal.is_working_time(wib(2026, 3, 2, 12, 30))
    assert cal.add(wib(2026, 3, 2, 11, 50), 20, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 2, 13, 10)
    assert not cal.is_working_time(wib(2026, 3, 6, 11, 45))
    assert cal.add(wib(2026, 3, 6, 11, 20), 20, TimeUnit.WORKING_MINUTES) == wib(2026, 3, 6, 13, 10)


def test_cal008_wita_and_wib_campuses_differ_for_the_same_instant():
    jakarta, makassar = WorkingCalendar(tz="Asia/Jakarta"), WorkingCalendar(tz="Asia/Makassar")
    morning = datetime(2026, 3, 2, 0, 15, tzinfo=UTC)
    assert not jakarta.is_working_time(morning)
    assert makassar.is_working_time(morning)
    afternoon = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert jakarta.is_working_time(afternoon)
    assert not makassar.is_working_time(afternoon)

    request = datetime(2026, 3, 2, 8, 55, tzinfo=UTC)
    due_wib = jakarta.add(request, 10, TimeUnit.WORKING_MINUTES)
    due_wita = makassar.add(request, 10, TimeUnit.WORKING_MINUTES)
    assert due_wib == wib(2026, 3, 3, 7, 35)
    assert due_wita == datetime(2026, 3, 3, 7, 40, tzinfo=WITA)
    assert due_wita < due_wib
    assert due_wib.tzinfo is WIB and due_wita.tzinfo is WITA
    assert due_wita.tzname() == "WITA"


def test_cal009_results_carry_the_zone_and_abbreviation(cal):
    due = cal.add(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), 1, TimeUnit.CALENDAR_HOURS)
    assert due == wib(2026, 3, 2, 9, 0)
    assert due.tzname() == "WIB"
    assert due.utcoffset() == timedelta(hours=7)
    papua = WorkingCalendar(tz="Asia/Jayapura")
    assert papua.local(due).tzname() == "WIT"
    assert papua.local(due).hour == 11


def test_cal010_naive_datetimes_are_rejected(cal):
    with pytest.raises(NaiveDatetimeError, match="naive datetime 2026-03-02T09:00:00"):
        cal.add(datetime(2026, 3, 2, 9, 0), 1, TimeUnit.WORKING_HOURS)
    with pytest.raises(NaiveDatetimeError):
        cal.is_working_time(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(NaiveDatetimeError):
        cal.elapsed(wib(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 10, 0))


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (wib(2026, 1, 31, 10, 0), 1, wib(2026, 2, 28, 10, 0)),
        (wib(2028, 1, 31, 10, 0), 1, wib(2028, 2, 29, 10, 0)),
        (wib(2026, 3, 31, 10, 0), 1, wib(2026, 4, 30, 10, 0)),
        (wib(2026, 8, 31, 10, 0), 1, wib(2026, 9, 30, 10, 0)),
        (wib(2026, 1, 31, 10, 0), 2, wib(2026, 3, 31, 10, 0)),
        (wib(2026, 12, 15, 9, 0), 1, wib(2027, 1, 15, 9, 0)),
    ],
)
def test_cal011_calendar_months_end_on_the_last_day_of_a_shorter_month(cal, start, months, due):
    assert cal.add(start, months, TimeUnit.CALENDAR_MONTHS) == due


def test_cal012_calendar_days_and_hours_ignore_working_time(cal):
    friday = wib(2026, 3, 6, 15, 0)
    assert cal.add(friday, 3, TimeUnit.CALENDAR_DAYS) == wib(2026, 3, 9, 15, 0)
    assert cal.add(friday, 14, TimeUnit.CALENDAR_DAYS) == wib(2026, 3, 20, 15, 0)
    assert cal.add(friday, 24, TimeUnit.CALENDAR_HOURS) == wib(2026, 3, 7, 15, 0)
    assert cal.add(wib(2026, 3, 6, 23, 50), 20, TimeUnit.CALENDAR_MINUTES) == wib(2026, 3, 7, 0, 10)


def test_cal013_one_working_day_is_not_24_working_hours(cal):
    thursday = wib(2026, 4, 2, 10, 0)
    due = cal.add(thursday, 1, TimeUnit.WORKING_DAYS)
    assert due == wib(2026, 4, 6, 10, 0), "Good Friday 3 April 2026 and the weekend are skipped"
    assert cal.elapsed(thursday, due) == timedelta(hours=7, minutes=30)


def test_cal014_default_week_is_37_and_a_half_hours(cal):
    assert cal.elapsed(wib(2026, 3, 2, 0, 0), wib(2026, 3, 9, 0, 0)) == timedelta(hours=37, minutes=30)


def test_cal015_institution_closures_are_not_working_days():
    campus = WorkingCalendar(closures=[date(2026, 3, 10), (date(2026, 3, 12), date(2026, 3, 13))])
    assert not campus.is_working_day(date(2026, 3, 10))
    assert campus.is_working_day(date(2026, 3, 11))
    assert not campus.is_working_day(date(2026, 3, 13))
    assert campus.closure_reason(date(2026, 3, 12)) == "closed"
    assert campus.add(wib(2026, 3, 9, 10, 0), 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 11, 10, 0)
    assert campus.add(wib(2026, 3, 11, 10, 0), 1, TimeUnit.WORKING_DAYS) == wib(2026, 3, 16, 10, 0)


def test_cal016_custom_hours_open_a_saturday():
    six_day = WorkingCalendar(hours={0: ("08:00", "14:00"), "saturday": [("08:00", "12:00")]})
    saturday = wib(2026, 3, 7, 9, 0)
    assert six_day.is_working_time(saturday)
    assert not six_day.is_working_time(wib(2026, 3, 3, 9, 0)), "Tuesday is left out, so closed"
    assert six_day.closure_reason(date(2026, 3, 3)) == "no working hours"
    assert six_day.add(saturday, 4, TimeUnit.WORKING_HOURS) == wib(2026, 3, 9, 9, 0)


def test_cal017_progress_reaches_the_at_risk_share_across_closing(cal):
    step = Standard(10, TimeUnit.WORKING_MINUTES)
    start = wib(2026, 3, 2, 15, 52)
    assert cal.due_time(start, step) == wib(2026, 3, 3, 7, 32)
    assert cal.progress(start, wib(2026, 3, 2, 16, 0), step) == pytest.approx(0.8)
    assert cal.progress(start, wib(2026, 3, 2, 23, 0), step) == pytest.approx(0.8)
    assert cal.progress(start, wib(2026, 3, 3, 7, 31), step) == pytest.approx(0.9)
    assert cal.progress(start, wib(2026, 3, 3, 8, 0), step) > 1


def test_cal018_steps_without_a_time_have_no_due_time(cal):
    start = wib(2026, 3, 2, 9, 0)
    assert cal.due_time(start, Standard(None, TimeUnit.NONE)) is None
    assert cal.due_time(start, Standard(None, TimeUnit.AS_SCHEDULED)) is None
    assert cal.progress(start, wib(2026, 3, 9, 9, 0), Standard(None, TimeUnit.NONE)) is None
    with pytest.raises(ValueError, match="'none' has no due time"):
        cal.add(start, 1, TimeUnit.NONE)


def test_cal019_elapsed_rejects_an_end_before_the_start(cal):
    with pytest.raises(ValueError, match="before start"):
        cal.elapsed(wib(2026, 3, 2, 10, 0), wib(2026, 3, 2, 9, 0))
