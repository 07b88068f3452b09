"""Units and the SOP phrases "1x24 jam hari kerja" and "maksimal", each defined once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pantau.workcalendar import (
    SATU_KALI_24_JAM_HARI_KERJA,
    Clock,
    TimeUnit,
    UnknownTermError,
    WorkingCalendar,
    resolve_term,
    within_standard,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    "phrase",
    ["1x24 jam hari kerja", "1 x 24 jam hari kerja", "maksimal 1x24 jam hari kerja", "Maksimal  1 X 24 Jam Hari Kerja"],
)
def test_unit001_spellings_of_1x24_jam_hari_kerja_mean_one_working_day(phrase):
    assert resolve_term(phrase) == SATU_KALI_24_JAM_HARI_KERJA == (1, TimeUnit.WORKING_DAYS)


def test_unit002_without_hari_kerja_it_is_24_wall_clock_hours():
    calendar = WorkingCalendar()
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=WIB)
    assert calendar.add(friday, *resolve_term("maksimal 1x24 jam")) == datetime(2026, 3, 7, 15, 0, tzinfo=WIB)
    assert calendar.add(friday, *resolve_term("1x24 jam hari kerja")) == datetime(2026, 3, 9, 15, 0, tzinfo=WIB)


def test_unit003_unknown_phrases_list_the_known_ones():
    with pytest.raises(UnknownTermError, match="unknown term '2x24 jam'; known terms: '1x24 jam hari kerja'"):
        resolve_term("2x24 jam")


def test_unit004_maksimal_bound_is_inclusive():
    due = datetime(2026, 3, 9, 15, 0, tzinfo=WIB)
    assert within_standard(due, due)
    assert not within_standard(due.replace(second=1), due)


def test_unit005_each_unit_has_its_clock():
    assert {unit for unit in TimeUnit if unit.clock is Clock.WORKING} == {
        TimeUnit.WORKING_MINUTES,
        TimeUnit.WORKING_HOURS,
        TimeUnit.WORKING_DAYS,
    }
    assert TimeUnit.CALENDAR_MONTHS.clock is Clock.CALENDAR
    assert not TimeUnit.AS_SCHEDULED.measurable and not TimeUnit.NONE.measurable
