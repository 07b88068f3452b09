"""Figures of the SLA compliance page: the step-by-month heat map and a case's timeline."""

from __future__ import annotations

from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from pantau import formatting
from pantau.sla.periods import month_label

from .. import context
from ..components import graph
from ..theme import COLOURS

STATE_COLOURS = {
    "met": COLOURS["good"], "done": COLOURS["muted"], "open": COLOURS["primary"], "at_risk": COLOURS["warn"],
    "breached": COLOURS["bad"], "waiting": "#56B4E9",
}
SCALE = [[0.0, COLOURS["bad"]], [0.5, COLOURS["warn"]], [1.0, COLOURS["good"]]]


def heat_map(frame: pd.DataFrame, months: list[str], labels: dict[tuple[str, str], str]) -> dict:
    """Share within standard per step (rows, in catalogue order) and month (columns), written in each cell.

    Returned as a plain figure dict with the page template's layout, built without Plotly's validation
    (which costs more than the data behind it).
    """
    t, lang = context.t, context.lang()
    rows = list(labels)
    cells = {(r.sop_code, r.step_key, r.month): r for r in frame.itertuples()}
    z, text, hover = [], [], []
    for key in rows:
        z_row, text_row, hover_row = [], [], []
        for month in months:
            cell = cells.get((*key, month))
            share = None if cell is None or pd.isna(cell.compliance) else float(cell.compliance)
            z_row.append(share)
            text_row.append("" if share is None else formatting.percent(share, lang, 0))
            hover_row.append([labels[key],
                t("No completed steps") if share is None else
                t("{share} within standard ({met} of {measured})", share=formatting.percent(share, lang),
                  met=formatting.number(cell.met, lang), measured=formatting.number(cell.measured, lang))
            ])
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    positions = list(range(len(rows)))
    trace = {
        "type": "heatmap", "z": z, "x": [month_label(month, lang) for month in months], "y": positions,
        "text": text, "texttemplate": "%{text}", "customdata": hover, "zmin": 0, "zmax": 1, "colorscale": SCALE,
        "xgap": 2, "ygap": 2, "hoverongaps": False,
        "hovertemplate": "%{customdata[0]}<br>%{x}: %{customdata[1]}<extra></extra>",
        "colorbar": {"title": {"text": t("Within standard")}, "tickformat": ".0%", "len": 0.8},
    }
    layout = {
        "template": template(), "title": {"text": t("Share of steps within standard, by step and month")},
        "height": max(260, 90 + 26 * len(rows)), "separators": graph.separators(lang),
        "margin": {"l": 8, "r": 8, "t": 48, "b": 48},
        "xaxis": {"title": {"text": t("Month of completion")}, "side": "bottom"},
        "yaxis": {"autorange": "reversed", "automargin": True, "tickmode": "array", "tickvals": positions,
                  "ticktext": [labels[key] for key in rows]},
    }
    return {"data": [trace], "layout": layout}


@cache
def template() -> dict:
    """The installed Plotly template (see `dashboard.theme`), merged once, as plain data."""
    return go.layout.Template(pio.templates[pio.templates.default]).to_plotly_json()


def timeline(steps: pd.DataFrame, names: dict[str, str], title: str, labels: dict[str, str], now) -> go.Figure:
    """One bar per step from its start to its completion (to now while open), coloured by state, with
    the due time marked."""
    t, lang, tz = context.t, context.lang(), context.tz()
    figure = go.Figure()
    now_local = pd.Timestamp(now).tz_convert(tz).tz_localize(None).as_unit("us")
    for state, rows in steps.groupby("state", sort=False):
        start = rows["started_at"].dt.tz_convert(tz).dt.tz_localize(None)
        end = rows["completed_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.as_unit("us").fillna(now_local)
        hover = [
            f"{names.get(row.step_key, row.step_key)}<br>{t('Started')}: {formatting.moment(row.started_at, lang, tz)}"
            f"<br>{t('Completed')}: "
            f"{formatting.moment(row.completed_at, lang, tz) if pd.notna(row.completed_at) else '–'}"
            f"<br>{t('Due')}: {formatting.moment(row.due_at, lang, tz) if pd.notna(row.due_at) else '–'}"
            f"<br>{labels.get(state, state)}"
            for row in rows.itertuples()
        ]
        figure.add_trace(go.Bar(
            base=start, x=(end - start).dt.total_seconds() * 1000, y=[names.get(k, k) for k in rows["step_key"]],
            orientation="h", name=labels.get(state, state), marker_color=STATE_COLOURS.get(state, COLOURS["muted"]),
            hovertext=hover, hoverinfo="text",
        ))
    due = steps.dropna(subset=["due_at"])
    if not due.empty:
        figure.add_trace(go.Scatter(
            x=due["due_at"].dt.tz_convert(tz).dt.tz_localize(None), y=[names.get(k, k) for k in due["step_key"]],
            mode="markers", name=t("Due"), marker={"symbol": "line-ns-open", "size": 18, "color": "#212529",
                                                  "line": {"width": 2}},
            hoverinfo="skip",
        ))
    figure.update_layout(title=title, barmode="overlay", height=max(220, 110 + 34 * steps["step_key"].nunique()),
                         separators=graph.separators(lang), margin={"l": 8, "r": 8, "t": 48, "b": 8},
                         legend=graph.LEGEND_BELOW)
    figure.update_xaxes(**graph.date_axis(lang, hours=True), automargin=True,
                        title_text=t("Time ({zone})", zone=pd.Timestamp(now).tz_convert(tz).tzname()))
    figure.update_yaxes(autorange="reversed", automargin=True,
                        categoryorder="array", categoryarray=[names.get(k, k) for k in steps["step_key"]])
    return figure
