"""Calendar settings: the government-office default, TOML input, and clear errors."""

import tomllib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from pantau.workcalendar import CalendarConfig, TimeUnit, Weekday, WorkingCalendar

WITA = ZoneInfo("Asia/Makassar")


def test_cfg001_default_is_jakarta_government_hours():
    config = CalendarConfig()
    assert config.timezone == "Asia/Jakarta"
    assert Weekday.SATURDAY not in config.working_hours and Weekday.SUNDAY not in config.working_hours
    assert config.working_hours[Weekday.MONDAY] == [(time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))]
    assert config.working_hours[Weekday.FRIDAY] == [(time(7, 30), time(11, 30)), (time(13, 0), time(16, 30))]
    spans = [
        datetime.combine(date.min, end) - datetime.combine(date.min, start)
        for intervals in config.working_hours.values()
        for start, end in intervals
    ]
    assert sum(spans, timedelta()) == timedelta(hours=37, minutes=30)


def test_cfg002_settings_file_section_builds_a_calendar():
    section = tomllib.loads(
        """
        timezone = "Asia/Makassar"
        closures = [2026-03-10, { start = 2026-03-12, end = 2026-03-13, reason = "Dies Natalis" }]
        [working_hours]
        monday = ["08:00", "16:00"]
        friday = [["08:00", "11:30"], ["13:30", "16:30"]]
        """
    )
    campus = WorkingCalendar.from_config(CalendarConfig.model_validate(section))
    assert campus.closure_reason(date(2026, 3, 12)) == "Dies Natalis"
    assert not campus.is_working_day(date(2026, 3, 10))
    assert campus.is_working_time(datetime(2026, 3, 9, 12, 30, tzinfo=WITA)), "Monday has no break here"
    assert not campus.is_working_day(date(2026, 3, 11)), "Wednesday is not listed, so closed"
    friday = datetime(2026, 3, 6, 11, 20, tzinfo=WITA)
    assert campus.add(friday, 20, TimeUnit.WORKING_MINUTES) == datetime(2026, 3, 6, 13, 40, tzinfo=WITA)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"timezone": "Asia/Jakartaa"}, "unknown time zone 'Asia/Jakartaa'"),
        ({"working_hours": {"monday": [["07:30", "12:00"], ["11:00", "16:00"]]}}, "monday: intervals overlap at 11:00"),
        ({"working_hours": {"friday": ["16:30", "07:30"]}}, "friday: interval 16:30–07:30 must end after it starts"),
        ({"working_hours": {"senin": ["07:30", "16:00"]}}, "unknown weekday 'senin'"),
        ({"working_hours": {"monday": []}}, "no working time on any day"),
        ({"closures": [{"start": "2026-03-12", "end": "2026-03-10"}]}, "closure ends 2026-03-10 before it starts"),
        ({"closures": [{"start": "2026-03-12", "reson": "typo"}]}, "reson"),
    ],
)
def test_cfg003_bad_settings_name_the_problem(settings, message):
    with pytest.raises(ValidationError) as error:
        CalendarConfig.model_validate(settings)
    assert message in str(error.value)


def test_cfg004_a_working_day_is_the_weeks_working_time_over_its_working_days():
    week = {"monday": ["08:00", "12:00"], "tuesday": [["08:00", "12:00"], ["13:00", "17:00"]]}
    assert CalendarConfig(working_hours=week).working_day_s == (4 + 8) * 3600 / 2
    assert CalendarConfig().working_day_s == 37.5 * 3600 / 5, "the government week: 7.5 hours a day"
