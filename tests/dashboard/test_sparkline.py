"""The trend line of KPI cards and the SLA table: an SVG image that shows the series' shape at any width."""

from __future__ import annotations

from urllib.parse import unquote

from dashboard.components.sparkline import HEIGHT, PAD, WIDTH, points, sparkline


def _xy(drawn: str) -> list[tuple[float, float]]:
    return [tuple(map(float, point.split(","))) for point in drawn.split()]


def test_spark001_the_highest_value_is_at_the_top_the_lowest_at_the_bottom_spread_over_the_width():
    drawn = _xy(points([3, 9, 6]))
    assert [x for x, _ in drawn] == [0, WIDTH / 2, WIDTH]
    assert drawn[1][1] == PAD and drawn[0][1] == HEIGHT - PAD and PAD < drawn[2][1] < HEIGHT - PAD


def test_spark002_a_flat_series_is_a_line_across_the_middle():
    assert {y for _, y in _xy(points([90.0, 90.0, 90.0]))} == {HEIGHT / 2}


def test_spark003_the_image_is_decorative_and_draws_in_the_given_colour():
    image = sparkline([1, 2], "#1a7f37", component_id="trend")
    svg = unquote(image.src.removeprefix("data:image/svg+xml,"))
    assert image.alt == "" and image.className == "sparkline" and image.id == "trend"
    assert 'stroke="#1a7f37"' in svg and "<polyline" in svg and "<script" not in svg
