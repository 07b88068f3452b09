"""The tokens page's figure: stock against demand per channel, the forecast cone, and the bendahara's
top-ups and payment-period extensions on the same timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from pantau import formatting
from pantau.tokens import channel_name
from queries.tokens import forecast_cone

from .. import context
from ..components import graph
from ..components.empty import empty_state
from ..theme import COLORWAY, COLOURS


def stock_and_demand(days: pd.DataFrame, status: pd.DataFrame, topups: pd.DataFrame, extensions: pd.DataFrame,
                     wave, today: date, channel_names: Mapping[str, str] | None = None):
    """Lines of stock per channel (by its display name, `pantau.tokens.channel_name`), bars of applicants per day,
    the cone from today, and the events."""
    t, lang = context.t, context.lang()
    if days.empty:
        return empty_state(t("No token movement or applicant for this wave yet."),
                           t("The initial stock, top-ups and tokens issued appear here as they are recorded."),
                           icon="ticket-perforated")
    figure = go.Figure()
    demand = days.groupby("day", as_index=False)["arrivals"].sum()
    figure.add_bar(x=demand["day"], y=demand["arrivals"], name=t("Demand (applicants a day)"),
                   marker_color="#c9d6e3", hovertemplate=t("%{x}: %{y} applicants") + "<extra></extra>")
    for index, (channel, series) in enumerate(days.groupby("channel")):
        colour, name = COLORWAY[index % len(COLORWAY)], channel_name(channel, lang, channel_names)
        figure.add_scatter(x=series["day"], y=series["stock"], mode="lines", name=t("Stock {channel}", channel=name),
                           line={"color": colour, "width": 2},
                           hovertemplate=t("%{x}: %{y} tokens left") + f"<extra>{name}</extra>")
        _cone(figure, status[status["channel"] == channel], today, colour, name)
        _topups(figure, topups[topups["channel"] == channel], series, colour, name)
    for row in extensions.itertuples():
        figure.add_vline(x=_ms(row.new_deadline), line_dash="dot", line_color=COLOURS["warn"],
                         annotation_text=t("Deadline extended to {day}", day=formatting.day(row.new_deadline, lang)),
                         annotation_position="top left")
    figure.add_vline(x=_ms(wave.closes_on), line_dash="dash", line_color=COLOURS["muted"],
                     annotation_text=t("Wave closes"), annotation_position="top right")
    # The stock, its forecast and the top-ups on the overlaying axis, which Plotly draws above the main one's bars
    # (on the main axis, the demand bars hid the lines behind them); the stock axis stays on the left.
    figure.update_traces(yaxis="y2", selector={"type": "scatter"})
    figure.update_layout(
        title=t("Token stock against applicant demand, with the forecast"), height=380, bargap=0.1,
        separators=graph.separators(lang), margin={"l": 56, "r": 56, "t": 56, "b": 40},
        yaxis={"title": {"text": t("Applicants a day")}, "side": "right", "showgrid": False, "rangemode": "tozero",
               **graph.count_ticks(_largest(figure, "y"))},
        # Its own ticks: an overlaying axis otherwise takes the other axis's tick positions (Plotly's "sync"),
        # uneven counts such as 2.54, 5.09 and 7.63, printed 3, 5, 8.
        yaxis2={"title": {"text": t("Tokens in stock")}, "overlaying": "y", "side": "left", "showgrid": True,
                "rangemode": "tozero", "tickmode": "auto", **graph.count_ticks(_largest(figure, "y2"))},
        legend={"orientation": "h", "y": -0.2},
    )
    figure.update_xaxes(**graph.date_axis(lang), title_text=t("Day"))
    return graph.graph(figure)


def _largest(figure: go.Figure, axis: str) -> float:
    """The largest value drawn on the y axis ``axis`` ("y" or "y2"), 0 when none is."""
    tops = [pd.to_numeric(pd.Series(trace.y), errors="coerce").max() for trace in figure.data
            if trace.y is not None and (trace.yaxis or "y") == axis]
    return float(max((top for top in tops if pd.notna(top)), default=0))


def _ms(day: date) -> float:
    """A date as epoch milliseconds, which Plotly's vertical lines on date axes want."""
    return datetime(day.year, day.month, day.day).timestamp() * 1000


def _cone(figure: go.Figure, status: pd.DataFrame, today: date, colour: str, channel: str) -> None:
    if status.empty or status["forecast"].iloc[0].days_left is None:
        return
    cone = forecast_cone(status["forecast"].iloc[0], today)
    t = context.t
    figure.add_scatter(x=list(cone["day"]) + list(cone["day"])[::-1], y=list(cone["upper"]) + list(cone["lower"])[::-1],
                       mode="lines", fill="toself", fillcolor=_transparent(colour), line={"width": 0},
                       hoverinfo="skip", showlegend=False, name=t("Forecast interval"))
    figure.add_scatter(x=cone["day"], y=cone["expected"], mode="lines", line={"color": colour, "dash": "dash"},
                       name=t("Forecast {channel}", channel=channel),
                       hovertemplate=t("%{x}: about %{y:.0f} tokens left") + f"<extra>{channel}</extra>")


def _topups(figure: go.Figure, topups: pd.DataFrame, series: pd.DataFrame, colour: str, channel: str) -> None:
    added = topups[topups["kind"] == "topup"]
    if added.empty:
        return
    t, lang, tz = context.t, context.lang(), context.tz()
    days = [formatting.local(moment.to_pydatetime() if hasattr(moment, "to_pydatetime") else moment, tz).date()
            for moment in added["occurred_at"]]
    level = series.set_index("day")["stock"]
    notes = [t("Top-up of {quantity} by {who}", quantity=formatting.number(q, lang), who=who)
             for q, who in zip(added["quantity"], added["recorded_by"])]
    figure.add_scatter(x=days, y=[level.get(day, 0) for day in days], mode="markers", name=t("Top-ups {channel}",
                       channel=channel), marker={"symbol": "triangle-up", "size": 11, "color": colour,
                                                 "line": {"width": 1, "color": "#212529"}},
                       customdata=notes, hovertemplate="%{x}: %{customdata}<extra></extra>")


def _transparent(colour: str, alpha: float = 0.18) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
