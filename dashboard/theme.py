"""One Plotly template for every figure, set once when the app is made."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "pantau"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
COLOURS = {
    "good": "#1a7f4b",
    "warn": "#9c5d00",  # amber, 5.3:1 on white: readable as text (WCAG AA)
    "bad": "#c0392b",
    "muted": "#6c757d",
    "primary": "#0b5394",
}
# Okabe–Ito, readable for colour-blind readers.
COLORWAY = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


def install() -> None:
    """Register the Pantau template, merged once with plotly_white, as the default of every figure."""
    own = go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": "#212529"},
            colorway=COLORWAY,
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            margin={"l": 56, "r": 16, "t": 48, "b": 48},
            title={"x": 0, "xanchor": "left", "font": {"size": 15}},
            xaxis={"gridcolor": "#e9ecef", "zeroline": False, "linecolor": "#ced4da"},
            yaxis={"gridcolor": "#e9ecef", "zeroline": False, "linecolor": "#ced4da"},
            legend={"orientation": "h", "y": -0.2},
            hoverlabel={"font": {"family": FONT}},
        )
    )
    pio.templates[TEMPLATE] = pio.templates.merge_templates(pio.templates["plotly_white"], own)
    pio.templates.default = TEMPLATE
