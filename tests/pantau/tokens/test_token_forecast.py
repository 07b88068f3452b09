"""The stock-out forecast on known demand series."""

from __future__ import annotations

import math

import pytest

from pantau.tokens import forecast
from pantau.tokens.forecast import cone


def test_tf001_steady_demand_runs_out_on_the_day_with_no_spread():
    predicted = forecast(100, [10] * 14)
    assert predicted.days_left == pytest.approx(10)
    assert predicted.low == pytest.approx(10) and predicted.high == pytest.approx(10)


def test_tf002_erratic_demand_widens_the_interval_around_the_same_point():
    predicted = forecast(100, [5, 15] * 7)
    z = 1.2815515655446004
    sd = math.sqrt(sum((v - 10) ** 2 for v in [5, 15] * 7) / 13)
    assert predicted.days_left == pytest.approx(10)
    assert 10 * predicted.low + z * sd * math.sqrt(predicted.low) == pytest.approx(100)
    assert 10 * predicted.high - z * sd * math.sqrt(predicted.high) == pytest.approx(100)
    assert predicted.low < 10 < predicted.high


def test_tf003_a_wider_level_gives_a_wider_interval():
    narrow, wide = forecast(200, [8, 12, 9, 11, 10], 0.5), forecast(200, [8, 12, 9, 11, 10], 0.95)
    assert wide.low < narrow.low < narrow.days_left < narrow.high < wide.high


def test_tf004_no_stock_is_zero_days_and_no_demand_is_no_stockout():
    assert forecast(0, [3, 4]).days_left == 0
    assert forecast(-5, [3]).exhausted
    quiet = forecast(50, [0, 0, 0])
    assert (quiet.days_left, quiet.low, quiet.high) == (None, None, None)
    assert forecast(50, []).days_left is None


def test_tf005_the_level_must_be_a_share():
    with pytest.raises(ValueError, match="between 0 and 1"):
        forecast(10, [1], level=1.5)


def test_tf006_the_cone_starts_at_the_stock_and_reaches_zero():
    points = cone(forecast(40, [10, 10, 10]))
    assert points[0] == (0, 40.0, 40.0, 40.0)
    assert points[-1][1] == 0.0 and [day for day, *_ in points] == list(range(len(points)))
    assert cone(forecast(40, [0, 0])) == [(0, 40.0, 40.0, 40.0)]
