"""A small trend line drawn as an SVG image: no chart library, so a card or a table row shows it as soon as the
page does, and a page with trend lines only never loads Plotly for them."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from dash import html

HEIGHT = 40
WIDTH = 100
PAD = 2
"""Drawn in a 100 x 40 box stretched to the cell's width; the line keeps its width (non-scaling stroke)."""


def points(values: Sequence[float]) -> str:
    """The polyline's points: x spread evenly over the width, y from the lowest (bottom) to the highest (top)
    value; a flat series is a line across the middle."""
    low, high = min(values), max(values)
    span = high - low
    step = WIDTH / (len(values) - 1)
    ys = [HEIGHT / 2 if not span else PAD + (high - v) / span * (HEIGHT - 2 * PAD) for v in values]
    return " ".join(f"{i * step:.2f},{y:.2f}" for i, y in enumerate(ys))


def sparkline(values: Sequence[float], colour: str, component_id: str | None = None) -> html.Img:
    """The trend of `values` (two or more) in `colour`, as a decorative image: the figures it shows are in
    the text beside it."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none">'
           f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round" '
           f'vector-effect="non-scaling-stroke" points="{points([float(v) for v in values])}"/></svg>')
    extra = {"id": component_id} if component_id else {}
    return html.Img(src="data:image/svg+xml," + quote(svg), alt="", className="sparkline",
                    style={"width": "100%", "height": f"{HEIGHT}px", "display": "block"}, **extra)
