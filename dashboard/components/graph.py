"""Charts in the reader's language: Plotly's month and day names (the `id` locale in
`assets/05-plotly-locale-id.js`) and number separators, with the pages' quiet chrome."""

from __future__ import annotations

import re

import numpy as np
from dash import dcc

from .. import context

RUPIAH_TICKS = {"tickformat": ",.0f"}
"""Whole Rupiah on an axis: `100.000.000`, never Plotly's `100M`, which an Indonesian reader takes for miliar."""

COUNT_TICKS = {"tickformat": ",d"}
"""Whole counts on an axis (bills, tokens, applicants, requests): `10.000` in Indonesian and `10,000` in English
through the figure's `separators`, never Plotly's `10k`, which an Indonesian reader writes `10 rb`."""

FEW = 10
"""Below this many, Plotly would step a count axis by 0.5 or 0.2, which whole numbers print as `0, 1, 1, 2`."""


def count_ticks(largest: float | None = None) -> dict:
    """The axis options of a count axis whose largest value is ``largest``: :data:`COUNT_TICKS`, with a tick at
    every whole number when the counts are few."""
    if largest is not None and largest < FEW:
        return {**COUNT_TICKS, "tick0": 0, "dtick": 1}
    return dict(COUNT_TICKS)


DAY_MS = 86_400_000


def date_axis(lang: str, *, hours: bool = False) -> dict:
    """A time axis in the pages' formats at every zoom: `22 Nov` (the day first, as Indonesians write it, where
    Plotly would print `Nov 22`), `Nov 2026` for months, times as `14.05` (`2:05 PM` in English); the hover
    names the full day, and the time on an axis of ``hours``."""
    clock = "%H.%M" if lang == "id" else "%-I:%M %p"
    stops = [  # Plotly takes the first stop whose range holds the tick step, ends included: widest first
        {"dtickrange": ["M12", None], "value": "%Y"},
        {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
        {"dtickrange": [DAY_MS, "M1"], "value": "%-d %b"},
        {"dtickrange": [None, DAY_MS], "value": f"{clock}<br>%-d %b"},
    ]
    return {"type": "date", "tickformatstops": stops, "hoverformat": f"%-d %b %Y, {clock}" if hours else "%-d %b %Y"}


LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
"""A legend in rows along the figure's foot: Plotly reserves its height below the axis' labels and title (a
legend placed at a fraction of the plot's height below it lay over labels turned to fit a narrow card)."""


def wrap(text: str, width: int = 30) -> str:
    """`text` in lines of at most `width` characters where it has spaces (`<br>` between them), for an axis
    title longer than the axis it stands beside."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: `1.234,5` in Indonesian, `1,234.5` in English."""
    return ",." if lang == "id" else ".,"


def config() -> dict:
    """The graph options every page uses: no mode bar, resizing with its card, the reader's locale."""
    return {"displayModeBar": False, "responsive": True, "locale": context.lang()}


MARKUP = re.compile(r"<(?!(?:br\s*/?|extra|/extra)>)", re.IGNORECASE)
"""A `<` that does not open the only markup the pages write into figures: `<br>` and hover's `<extra>`."""


def plain(text: str) -> str:
    """Text shown as written: Plotly reads a subset of HTML in titles, hover text, tick labels and
    annotations (`<a href>` becomes a link), so every other `<` is written as `&lt;`, which Plotly shows
    as `<` without reading a tag."""
    return MARKUP.sub("&lt;", text)


def _plain(value):
    if isinstance(value, str):
        return plain(value) if "<" in value else value
    if isinstance(value, dict):
        return {key: (item if key == "template" else _plain(item)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_plain(item) for item in value.tolist()], dtype=object).reshape(value.shape)
    return value


def safe_figure(figure) -> dict:
    """The figure as plain data with every text value made `plain`: names of steps, hosts, waves, payers or
    case references that came from users or source systems never become markup, wherever a figure puts them."""
    data = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
    return _plain(data)


def graph(figure, *, wide: bool = False, **attributes) -> dcc.Graph:
    """The chart; ``wide`` for one that names steps along its side, which a phone shows wider (scrolling
    sideways in its card) than the rest (`assets/10-pantau.css`)."""
    if wide:
        attributes["className"] = f"{attributes.get('className', '')} chart-wide".strip()
    return dcc.Graph(figure=safe_figure(figure), config=config(), **attributes)
