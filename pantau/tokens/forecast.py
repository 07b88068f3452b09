"""When a wave's payment-token stock runs out, from recent demand, with an interval.

Method (shown on the tokens page as help text): take the applicants who arrived on each of the
last ``window`` full days (fewer if the wave opened later) as independent draws of daily demand,
with mean ``m`` and standard deviation ``s``. After ``d`` days the tokens asked for add up to
about ``m·d``, give or take ``z·s·√d`` (normal approximation; ``z`` = 1.28 for an 80 % interval).
The stock ``S`` runs out when that sum reaches it: the point forecast is ``S / m`` days; the
early bound solves ``m·d + z·s·√d = S`` (demand on the high side) and the late bound
``m·d − z·s·√d = S``. Steady demand gives a narrow interval, erratic demand a wide one; no demand
means no stock-out in sight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev

DEFAULT_LEVEL = 0.8


@dataclass(frozen=True)
class Forecast:
    """Days until the stock reaches zero (``None``: no demand, no stock-out in sight) and the interval."""

    stock: int
    mean_daily: float
    std_daily: float
    days_left: float | None
    low: float | None
    high: float | None
    level: float = DEFAULT_LEVEL

    @property
    def exhausted(self) -> bool:
        return self.stock <= 0


def forecast(stock: int, daily_demand: Sequence[float], level: float = DEFAULT_LEVEL) -> Forecast:
    """The stock-out forecast for ``stock`` tokens given the recent ``daily_demand`` (oldest first)."""
    if not 0 < level < 1:
        raise ValueError(f"interval level must be between 0 and 1, got {level}")
    days = [float(value) for value in daily_demand]
    mean = fmean(days) if days else 0.0
    spread = stdev(days) if len(days) > 1 else 0.0
    if stock <= 0:
        return Forecast(stock, mean, spread, 0.0, 0.0, 0.0, level)
    if mean <= 0:
        return Forecast(stock, mean, spread, None, None, None, level)
    z = NormalDist().inv_cdf((1 + level) / 2)
    return Forecast(
        stock, mean, spread,
        days_left=stock / mean,
        low=_crossing(stock, mean, z * spread),
        high=_crossing(stock, mean, -z * spread),
        level=level,
    )


def _crossing(stock: int, mean: float, margin: float) -> float:
    """The ``d`` where ``mean·d + margin·√d = stock`` (a quadratic in ``√d``)."""
    root = (-margin + math.sqrt(margin * margin + 4 * mean * stock)) / (2 * mean)
    return root * root


def cone(predicted: Forecast, horizon: int = 30) -> list[tuple[int, float, float, float]]:
    """``(day, expected, lower, upper)`` stock for days 0.. until the expected stock is gone (at most
    ``horizon`` days): ``S − m·d``, and ``S − m·d ∓ z·s·√d`` clipped at zero."""
    if predicted.days_left is None or predicted.stock <= 0:
        level = float(max(predicted.stock, 0))
        return [(0, level, level, level)]
    z = NormalDist().inv_cdf((1 + predicted.level) / 2)
    last = min(horizon, math.ceil(predicted.high or predicted.days_left))
    points = []
    for day in range(last + 1):
        expected = predicted.stock - predicted.mean_daily * day
        margin = z * predicted.std_daily * math.sqrt(day)
        points.append((day, max(expected, 0.0), max(expected - margin, 0.0), max(expected + margin, 0.0)))
    return points
