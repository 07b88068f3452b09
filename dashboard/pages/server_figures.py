"""Figures of the server health page: latency with its min–max band and loss, incidents, host load.

Figures are plain Plotly figure dicts carrying the installed template: building ``go.Figure`` objects
merged the template anew for every figure, which cost more than reading a year of rollups.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.io as pio

from .. import context
from ..components import graph
from ..theme import COLOURS
from .server_blocks import duration_text, moment_text

BAND = "rgba(11, 83, 148, 0.18)"
"""The min–max band: the primary colour, faint."""
KIND_COLOURS = {"down": COLOURS["bad"], "unreachable": COLOURS["muted"], "maintenance": COLOURS["primary"]}
Figure = dict


@cache
def _template(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def zone_name(tz: str) -> str:
    """The zone's abbreviation now (WIB, WITA, WIT)."""
    return datetime.now(ZoneInfo(tz)).tzname() or tz


def _local(series: pd.Series, tz: str) -> list[str]:
    return series.dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M:%S").tolist()


def _values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(value) else float(value) for value in series]


def _figure(data: list[dict], title: str, height: int, **layout) -> Figure:
    t, lang, tz = context.t, context.lang(), context.tz()
    base = {
        "template": _template(pio.templates.default), "title": {"text": title}, "height": height,
        "separators": graph.separators(lang), "hovermode": "x unified", "margin": {"t": 48, "b": 96},
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        "xaxis": {**graph.date_axis(lang, hours=True), "title": {"text": t("Time ({zone})", zone=zone_name(tz))}},
    }
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) else value
    return {"data": data, "layout": base}


def _hover(name: str, number: str) -> str:
    return f"{number}<extra>{name}</extra>"


GAP_LABEL_SHARE = 0.04
"""A gap is labelled when it is at least this share of the chart's range wide."""


def gaps(series: pd.DataFrame, step_s: float, end: datetime) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Spans without data: between points more than two steps apart, and from the last point to `end`."""
    if series.empty or not step_s:
        return []
    step = pd.Timedelta(seconds=step_s)
    at = series["at"].reset_index(drop=True)
    found = [(before + step, after) for before, after in zip(at[:-1], at[1:]) if after - before > 2 * step]
    last = at.iloc[-1]
    if pd.Timestamp(end) - last > 2 * step:
        found.append((last + step, pd.Timestamp(end)))
    return found


def _broken(series: pd.DataFrame, spans: list) -> pd.DataFrame:
    """The series with an empty row at the start of each gap, so that lines break there."""
    if not spans:
        return series
    holes = pd.DataFrame({"at": [start for start, _ in spans]})
    return pd.concat([series, holes], ignore_index=True).sort_values("at", kind="stable").reset_index(drop=True)


def latency_figure(series: pd.DataFrame, monitor: str, range_label: str, windows: pd.DataFrame,
                   step_s: float | None = None, end: datetime | None = None) -> Figure:
    """Average latency with the band from the fastest to the slowest answer, packet loss as bars on the
    right axis, maintenance windows shaded, and time without checks (gaps of more than two steps of
    `step_s` seconds, up to `end`) shaded and labelled as having no data, the lines broken there."""
    t, tz = context.t, context.tz()
    spans = gaps(series, step_s or 0, end) if end is not None else []
    series = _broken(series, spans)
    at = _local(series["at"], tz)
    lossy = series[series["loss"] > 0]  # a bar of no loss draws nothing, yet a day of them cost the browser 0.3 s
    data = [
        {"type": "bar", "x": _local(lossy["at"], tz), "y": _values(lossy["loss"] * 100), "name": t("Packet loss"),
         "yaxis": "y2",
         "marker": {"color": COLOURS["bad"]}, "opacity": 0.45, "hovertemplate": _hover(t("Packet loss"), "%{y:.1f}%")},
        {"type": "scatter", "mode": "lines", "x": at, "y": _values(series["latency_max_ms"]), "name": t("Slowest"),
         "line": {"width": 0}, "showlegend": False, "hovertemplate": _hover(t("Slowest"), "%{y:.1f} ms")},
        {"type": "scatter", "mode": "lines", "x": at, "y": _values(series["latency_min_ms"]),
         "name": t("Fastest – slowest"), "line": {"width": 0}, "fill": "tonexty", "fillcolor": BAND,
         "hovertemplate": _hover(t("Fastest"), "%{y:.1f} ms")},
        {"type": "scatter", "mode": "lines", "x": at, "y": _values(series["latency_avg_ms"]),
         "name": t("Average latency"), "line": {"width": 2, "color": COLOURS["primary"]},
         "hovertemplate": _hover(t("Average"), "%{y:.1f} ms")},
    ]
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": opens, "x1": closes, "y0": 0, "y1": 1,
         "fillcolor": COLOURS["muted"], "opacity": 0.12, "line": {"width": 0}, "layer": "below"}
        for opens, closes in zip(_local(windows["starts_at"], tz), _local(windows["ends_at"], tz))
    ]
    shapes += [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": _naive(a, tz), "x1": _naive(b, tz), "y0": 0, "y1": 1,
         "fillcolor": COLOURS["muted"], "opacity": 0.22, "line": {"width": 0}, "layer": "below",
         "name": "no-data"}
        for a, b in spans
    ]
    whole = (pd.Timestamp(end) - series["at"].min()) if end is not None and not series.empty else pd.Timedelta(0)
    notes = [
        {"xref": "x", "yref": "paper", "x": _naive(a + (b - a) / 2, tz), "y": 1, "yanchor": "bottom",
         "showarrow": False, "text": t("No data"), "font": {"size": 11, "color": COLOURS["muted"]}}
        for a, b in spans if whole > pd.Timedelta(0) and (b - a) >= whole * GAP_LABEL_SHARE
    ]
    return _figure(
        data, t("Latency of {monitor} over {range}", monitor=monitor, range=range_label), 340, shapes=shapes,
        annotations=notes,
        yaxis={"title": {"text": t("Latency (ms)")}, "rangemode": "tozero"},
        yaxis2={"title": {"text": t("Packet loss (%)")}, "overlaying": "y", "side": "right", "range": [0, 100],
                "tickmode": "linear", "dtick": 25, "showgrid": False},
    )


def incident_figure(incidents: pd.DataFrame, windows: pd.DataFrame, start: datetime, end: datetime,
                    kinds: dict[str, str]) -> Figure:
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
    visible_ms = (end - start).total_seconds() * 1000 / 250
    data = []
    for kind, group in spans.groupby("kind", sort=False):
        shown_start = group["start"].clip(lower=pd.Timestamp(start))
        span_ms = ((group["end"] - shown_start).dt.total_seconds() * 1000).clip(lower=visible_ms)
        hover = [
            f"{monitor}<br>{kinds.get(kind, kind)}: {moment_text(a.to_pydatetime(), lang, tz)} – "
            f"{moment_text(b.to_pydatetime(), lang, tz)}<br>{duration_text(int((b - a).total_seconds()), lang)}"
            + (f"<br>{cause[:120]}" if cause else "")
            for monitor, a, b, cause in zip(group["monitor"], group["start"], group["end"], group["cause"])
        ]
        data.append({"type": "bar", "orientation": "h", "y": group["monitor"].tolist(), "x": span_ms.tolist(),
                     "base": _local(shown_start, tz), "name": kinds.get(kind, kind), "hovertext": hover,
                     "hoverinfo": "text", "marker": {"color": KIND_COLOURS.get(kind, COLOURS["warn"])}})
    rows = max(spans["monitor"].nunique(), 1)
    window = [_naive(start, tz), _naive(end, tz)]
    return _figure(data, t("Incidents and maintenance"), 160 + 36 * rows, barmode="overlay", hovermode="closest",
                   xaxis={"range": window}, yaxis={"autorange": "reversed"})


def _naive(moment: datetime, tz: str) -> str:
    return pd.Timestamp(moment).to_pydatetime().astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def host_figure(history: pd.DataFrame, host: str, range_label: str) -> Figure:
    """CPU (average and peak) and memory in percent, the 1-minute load on its own axis."""
    t, tz = context.t, context.tz()
    at = _local(history["at"], tz)

    def line(column: str, name: str, number: str, **extra) -> dict:
        return {"type": "scatter", "mode": "lines", "x": at, "y": _values(history[column]), "name": name,
                "hovertemplate": _hover(name, number), **extra}

    data = [
        line("cpu_pct", t("CPU"), "%{y:.1f}%"),
        line("cpu_max_pct", t("CPU peak"), "%{y:.1f}%", line={"dash": "dot", "width": 1}),
        line("mem_pct", t("Memory"), "%{y:.1f}%"),
        line("load1", t("Load (1 min)"), "%{y:.2f}", line={"width": 1}, yaxis="y2"),
    ]
    return _figure(
        data, t("Load of {host} over {range}", host=host, range=range_label), 300,
        yaxis={"title": {"text": t("Use (%)")}, "range": [0, 100]},
        yaxis2={"title": {"text": t("Load (1 min)")}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "tickmode": "auto", "showgrid": False},
    )
