"""Figures of the server health page: latency with its min–max band and loss, incidents, host load."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pantau import formatting

from .. import context
from ..theme import COLOURS

BAND = "rgba(11, 83, 148, 0.18)"
"""The min–max band: the primary colour, faint."""
KIND_COLOURS = {"down": COLOURS["bad"], "unreachable": COLOURS["muted"], "maintenance": COLOURS["primary"]}


def zone_name(tz: str) -> str:
    """The zone's abbreviation now (WIB, WITA, WIT)."""
    return datetime.now(ZoneInfo(tz)).tzname() or tz


def _local(series: pd.Series, tz: str) -> pd.Series:
    return series.dt.tz_convert(tz).dt.tz_localize(None)


def _frame_layout(figure: go.Figure, title: str, lang: str, height: int = 340) -> go.Figure:
    figure.update_layout(title=title, height=height, separators=",." if lang == "id" else ".,",
                         hovermode="x unified", margin={"t": 48, "b": 96},
                         legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0})
    return figure


def latency_figure(series: pd.DataFrame, monitor: str, range_label: str, windows: pd.DataFrame) -> go.Figure:
    """Average latency with the band from the fastest to the slowest answer, and packet loss as bars."""
    t, lang, tz = context.t, context.lang(), context.tz()
    at = _local(series["at"], tz)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    loss = (series["loss"] * 100).round(2)
    figure.add_trace(go.Bar(x=at, y=loss, name=t("Packet loss"), marker_color=COLOURS["bad"], opacity=0.45,
                            hovertemplate="%{y:.1f}%<extra>" + t("Packet loss") + "</extra>"), secondary_y=True)
    figure.add_trace(go.Scatter(x=at, y=series["latency_max_ms"], mode="lines", line={"width": 0},
                                name=t("Slowest"), showlegend=False,
                                hovertemplate="%{y:.1f} ms<extra>" + t("Slowest") + "</extra>"))
    figure.add_trace(go.Scatter(x=at, y=series["latency_min_ms"], mode="lines", line={"width": 0}, fill="tonexty",
                                fillcolor=BAND, name=t("Fastest – slowest"),
                                hovertemplate="%{y:.1f} ms<extra>" + t("Fastest") + "</extra>"))
    figure.add_trace(go.Scatter(x=at, y=series["latency_avg_ms"], mode="lines",
                                line={"width": 2, "color": COLOURS["primary"]},
                                name=t("Average latency"), connectgaps=False,
                                hovertemplate="%{y:.1f} ms<extra>" + t("Average") + "</extra>"))
    for row in windows.itertuples():
        figure.add_vrect(x0=row.starts_at.tz_convert(tz).tz_localize(None),
                         x1=row.ends_at.tz_convert(tz).tz_localize(None),
                         fillcolor=COLOURS["muted"], opacity=0.12, line_width=0, layer="below")
    figure.update_yaxes(title_text=t("Latency (ms)"), rangemode="tozero", secondary_y=False)
    figure.update_yaxes(title_text=t("Packet loss (%)"), range=[0, 100], tickmode="linear", dtick=25, showgrid=False,
                        secondary_y=True)
    figure.update_xaxes(title_text=t("Time ({zone})", zone=zone_name(tz)))
    title = t("Latency of {monitor} over {range}", monitor=monitor, range=range_label)
    return _frame_layout(figure, title, lang)


def incident_figure(incidents: pd.DataFrame, windows: pd.DataFrame, start: datetime, end: datetime,
                    kinds: dict[str, str]) -> go.Figure:
    """One bar per outage and maintenance window, a row per monitor, over the picked range (short ones are
    drawn at least 1/250 of the range wide, so that they can be seen and hovered)."""
    t, lang, tz = context.t, context.lang(), context.tz()
    spans = pd.concat(
        [
            pd.DataFrame({"monitor": incidents["monitor"], "kind": incidents["kind"],
                          "start": incidents["started_at"], "end": incidents["ended_at"].fillna(pd.Timestamp(end)),
                          "cause": incidents["cause"].fillna("")}),
            pd.DataFrame({"monitor": windows["monitor"], "kind": "maintenance", "start": windows["starts_at"],
                          "end": windows["ends_at"], "cause": windows["note"]}),
        ],
        ignore_index=True,
    )
    figure = go.Figure()
    visible_ms = (end - start).total_seconds() * 1000 / 250
    for kind, group in spans.groupby("kind", sort=False):
        shown_start = group["start"].clip(lower=pd.Timestamp(start))
        span_ms = (group["end"] - shown_start).dt.total_seconds() * 1000
        hover = [
            f"{monitor}<br>{kinds.get(kind, kind)}: {formatting.moment(a.to_pydatetime(), lang, tz)} – "
            f"{formatting.moment(b.to_pydatetime(), lang, tz)}<br>{formatting.duration(b - a, lang)}"
            + (f"<br>{cause[:120]}" if cause else "")
            for monitor, a, b, cause in zip(group["monitor"], group["start"], group["end"], group["cause"])
        ]
        figure.add_trace(go.Bar(
            y=group["monitor"], x=span_ms.clip(lower=visible_ms), base=_local(shown_start, tz), orientation="h",
            name=kinds.get(kind, kind), marker_color=KIND_COLOURS.get(kind, COLOURS["warn"]),
            hovertext=hover, hoverinfo="text",
        ))
    figure.update_xaxes(type="date", range=[_naive(start, tz), _naive(end, tz)],
                        title_text=t("Time ({zone})", zone=zone_name(tz)))
    figure.update_yaxes(title_text="", autorange="reversed")
    figure.update_layout(barmode="overlay", hovermode="closest", showlegend=True)
    rows = max(spans["monitor"].nunique(), 1)
    return _frame_layout(figure, t("Incidents and maintenance"), lang, height=160 + 36 * rows)


def _naive(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def host_figure(history: pd.DataFrame, host: str, range_label: str) -> go.Figure:
    """CPU (average and peak) and memory in percent, the 1-minute load on its own axis."""
    t, lang, tz = context.t, context.lang(), context.tz()
    at = _local(history["at"], tz)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(go.Scatter(x=at, y=history["cpu_pct"], mode="lines", name=t("CPU"),
                                hovertemplate="%{y:.1f}%<extra>" + t("CPU") + "</extra>"))
    figure.add_trace(go.Scatter(x=at, y=history["cpu_max_pct"], mode="lines", line={"dash": "dot", "width": 1},
                                name=t("CPU peak"), hovertemplate="%{y:.1f}%<extra>" + t("CPU peak") + "</extra>"))
    figure.add_trace(go.Scatter(x=at, y=history["mem_pct"], mode="lines", name=t("Memory"),
                                hovertemplate="%{y:.1f}%<extra>" + t("Memory") + "</extra>"))
    figure.add_trace(go.Scatter(x=at, y=history["load1"], mode="lines", line={"width": 1}, name=t("Load (1 min)"),
                                hovertemplate="%{y:.2f}<extra>" + t("Load (1 min)") + "</extra>"), secondary_y=True)
    figure.update_yaxes(title_text=t("Use (%)"), range=[0, 100], secondary_y=False)
    figure.update_yaxes(title_text=t("Load (1 min)"), rangemode="tozero", tickmode="auto", showgrid=False,
                        secondary_y=True)
    figure.update_xaxes(title_text=t("Time ({zone})", zone=zone_name(tz)))
    return _frame_layout(figure, t("Load of {host} over {range}", host=host, range=range_label), lang, height=300)
