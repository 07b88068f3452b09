"""Maintenance windows: weekly rules in local time, across midnight, and one-off spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pantau.monitoring.maintenance import Window, active_window, parse_rule

WIB = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


def test_mw001_rules_read_days_ranges_and_daily():
    assert str(parse_rule("sun 1:00-3:00")) == "SUN 01:00-03:00"
    assert str(parse_rule("MON-FRI 22:00-23:30")) == "MON,TUE,WED,THU,FRI 22:00-23:30"
    assert str(parse_rule("FRI-MON 00:00-01:00")) == "MON,FRI,SAT,SUN 00:00-01:00"
    assert str(parse_rule("DAILY 02:00-02:15")) == "DAILY 02:00-02:15"
    assert parse_rule("SAT 23:00-01:00").length == timedelta(hours=2)


@pytest.mark.parametrize("text", ["SUN", "SUN 25:00-26:00", "FUNDAY 01:00-02:00", "SUN 01:00-01:00", ""])
def test_mw002_bad_rules_say_what_is_wrong(text):
    with pytest.raises(ValueError):
        parse_rule(text)


def test_mw003_weekly_window_covers_its_local_hours_only():
    window = Window(rule=parse_rule("SUN 01:00-03:00"))

    assert window.covers(wib(2026, 11, 29, 1, 0), WIB)
    assert window.covers(wib(2026, 11, 29, 2, 59), WIB)
    assert not window.covers(wib(2026, 11, 29, 3, 0), WIB)
    assert not window.covers(wib(2026, 11, 28, 1, 30), WIB)
    assert window.covers(datetime(2026, 11, 28, 18, 30, tzinfo=UTC), WIB)


def test_mw004_window_past_midnight_belongs_to_the_day_it_starts():
    window = Window(rule=parse_rule("SAT 23:00-01:00"))

    assert window.covers(wib(2026, 11, 28, 23, 30), WIB)
    assert window.covers(wib(2026, 11, 29, 0, 30), WIB)
    assert not window.covers(wib(2026, 11, 30, 0, 30), WIB)


def test_mw005_occurrences_in_a_range_and_one_off_spans():
    weekly = Window(rule=parse_rule("SUN 01:00-03:00"))
    one_off = Window(wib(2026, 12, 1, 22, 0), wib(2026, 12, 2, 1, 0), note="migration")

    spans = weekly.spans(wib(2026, 11, 1), wib(2026, 12, 1), WIB)

    assert [opens.day for opens, _ in spans] == [1, 8, 15, 22, 29]
    assert one_off.spans(wib(2026, 12, 2), wib(2026, 12, 3), WIB) == [(wib(2026, 12, 1, 22, 0), wib(2026, 12, 2, 1, 0))]
    assert active_window([weekly, one_off], wib(2026, 12, 1, 23, 0), WIB) is one_off
    assert active_window([weekly, one_off], wib(2026, 12, 2, 1, 0), WIB) is None
