"""Figures of the KSO / SKP page: the lead time from request to activity, and a request's steps beside their
standard times."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from pantau import formatting

from .. import context
from ..components import graph
from ..components.empty import empty_state
from ..components.status import label
from ..theme import COLOURS

STATE_COLOURS = {"met": COLOURS["good"], "breached": COLOURS["bad"], "at_risk": COLOURS["warn"],
                 "open": COLOURS["primary"], "waiting": "#56B4E9", "done": COLOURS["muted"]}


def lead_figure(leads: pd.DataFrame):
    """Requests in bins of seven days from request to activity, the median marked; an empty state when none."""
    t, lang = context.t, context.lang()
    if leads.empty:
        return empty_state(t("No activity has started for the requests of this period."), icon="calendar-event")
    days = leads["lead_s"] / 86_400
    start = math.floor(days.min() / 7) * 7
    tallest = float(((days - start) // 7).value_counts().max())
    figure = go.Figure(go.Histogram(x=days, xbins={"start": start, "size": 7}, marker_color=COLOURS["primary"],
                                    hovertemplate=t("%{x} days: %{y} requests") + "<extra></extra>"))
    figure.add_vline(x=float(days.median()), line_dash="dash", line_color=COLOURS["muted"],
                     annotation_text=t("Median"), annotation_position="top")
    figure.update_layout(title=t("Requests by days from request to activity"), height=300, bargap=0.05,
                         separators=graph.separators(lang), margin={"l": 48, "r": 8, "t": 48, "b": 48})
    figure.update_xaxes(title_text=t("Days from request to activity"))
    figure.update_yaxes(title_text=t("Requests"), **graph.count_ticks(tallest))
    return graph.graph(figure)


def gantt(steps: pd.DataFrame, names: dict[str, str], now: datetime) -> go.Figure:
    """Per step two bars from its start: its standard time (grey) and the time it took (by state; to now while
    open); the kolegium's wait is hatched and marked as an outside party's."""
    t, lang, tz = context.t, context.lang(), context.tz()
    local = lambda column: steps[column].dt.tz_convert(tz).dt.tz_localize(None).dt.as_unit("us")  # noqa: E731
    start, due = local("started_at"), local("due_at")
    end = local("completed_at").fillna(pd.Timestamp(now).tz_convert(tz).tz_localize(None).as_unit("us"))
    rows = [names.get(k, k) + (f" ({t('outside party')})" if outside else "")
            for k, outside in zip(steps["step_key"], steps["outside_party"])]
    standard = (due - start).dt.total_seconds() * 1000
    figure = go.Figure()
    figure.add_trace(go.Bar(
        y=rows, base=start, x=standard, orientation="h", name=t("Standard time"), marker_color="#ced4da",
        hovertext=[f"{row}<br>{t('Standard time')}: {formatting.duration(s / 1000, lang) if pd.notna(s) else '–'}"
                   for row, s in zip(rows, standard)], hoverinfo="text"))
    figure.add_trace(go.Bar(
        y=rows, base=start, x=(end - start).dt.total_seconds() * 1000, orientation="h", name=t("Time taken"),
        marker={"color": [STATE_COLOURS.get(s, COLOURS["muted"]) for s in steps["state"]],
                "pattern": {"shape": ["/" if o else "" for o in steps["outside_party"]]}},
        hovertext=[f"{row}<br>{t('Started')}: {formatting.moment(a.to_pydatetime(), lang, tz)}<br>{t('Time taken')}: "
                   f"{formatting.duration((b - a).total_seconds(), lang)}"
                   f"<br>{label(s if s != 'open' else 'in_progress')}"
                   for row, a, b, s in zip(rows, steps["started_at"], end.dt.tz_localize(tz), steps["state"])],
        hoverinfo="text"))
    figure.update_layout(title=t("Steps of the request: standard time beside the time taken"), barmode="group",
                         height=max(260, 110 + 48 * len(rows)), bargap=0.25, separators=graph.separators(lang),
                         margin={"l": 8, "r": 8, "t": 48, "b": 8}, legend=graph.LEGEND_BELOW)
    figure.update_xaxes(**graph.date_axis(lang, hours=True), automargin=True,
                        title_text=t("Date ({zone})", zone=pd.Timestamp(now).tz_convert(tz).tzname()))
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure
