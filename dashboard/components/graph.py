"""Charts in the reader's language: Plotly's month and day names (the `id` locale in
`assets/05-plotly-locale-id.js`) and number separators, with the pages' quiet chrome."""

from __future__ import annotations

from dash import dcc

from .. import context

RUPIAH_TICKS = {"tickformat": ",.0f"}
"""Whole Rupiah on an axis: `100.000.000`, never Plotly's `100M`, which an Indonesian reader takes for miliar."""


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: `1.234,5` in Indonesian, `1,234.5` in English."""
    return ",." if lang == "id" else ".,"


def config() -> dict:
    """The graph options every page uses: no mode bar, resizing with its card, the reader's locale."""
    return {"displayModeBar": False, "responsive": True, "locale": context.lang()}


def graph(figure, **attributes) -> dcc.Graph:
    return dcc.Graph(figure=figure, config=config(), **attributes)
