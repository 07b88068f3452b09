"""Figures and word lists of the payments page (no queries here: each takes a frame and returns a figure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from pantau import formatting, semesters
from pantau.recon.words import STATE_WORDS

from .. import context
from ..components import graph
from ..components.empty import empty_state
from ..theme import COLOURS

APP_STATES = {"paid": ("Paid", COLOURS["good"]), "partial": ("Partly paid", COLOURS["warn"]),
              "unpaid": ("Unpaid", COLOURS["bad"])}
RECON_STATES = STATE_WORDS
AGE_LABELS = {"not_due": "Not yet due", "1-30": "1–30 days late", "31-60": "31–60 days late",
              "61-90": "61–90 days late", "90+": "Over 90 days late"}
GROUP_TITLES = {"kind": "Bill kind", "kind_group": "Kind group", "prodi": "Study programme",
                "angkatan": "Intake year", "semester": "Semester"}


def semester_label(code: str | None) -> str:
    """``20251`` as ``2025/2026 ganjil`` in the reader's language."""
    return semesters.label(code, context.lang())


def recon_label(state: str | None) -> str:
    return context.t(RECON_STATES.get(state or "", state or "–"))


def _layout(figure: go.Figure, title: str, height: int = 320) -> go.Figure:
    figure.update_layout(title=title, height=height, separators=graph.separators(context.lang()),
                         margin={"l": 64, "r": 8, "t": 48, "b": 8}, legend=graph.LEGEND_BELOW)
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def paid_unpaid(frame: pd.DataFrame, by: str, measure: str):
    """Stacked bars of paid, partly paid and unpaid bills per group, in count or Rupiah."""
    t, lang = context.t, context.lang()
    if frame.empty:
        return empty_state(t("No bills match these filters."), t("Bills arrive from the payment application's "
                                                                   "database or export (sources.bills)."),
                                                                   icon="receipt")
    groups = frame["group"].map(semester_label) if by == "semester" else frame["label"]
    figure = go.Figure()
    for state, (name, colour) in APP_STATES.items():
        part = frame[frame["app_state"] == state]
        values = part["bills"] if measure == "count" else part["billed"].map(float)
        shown = [formatting.number(v, lang) if measure == "count" else formatting.rupiah(v, lang)
                 for v in (part["bills"] if measure == "count" else part["billed"])]
        figure.add_bar(x=groups[part.index], y=values, name=t(name), marker_color=colour, customdata=shown,
                       hovertemplate="%{x}: %{customdata}<extra>" + t(name) + "</extra>")
    unit = t("Bills") if measure == "count" else t("Billed (Rp)")
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title_text=t(GROUP_TITLES[by]), type="category")
    tallest = float(frame.groupby(groups, dropna=False)["bills"].sum().max())
    figure.update_yaxes(title_text=unit, **(graph.RUPIAH_TICKS if measure == "rupiah" else graph.count_ticks(tallest)))
    title = t("Paid and unpaid bills by {group}", group=t(GROUP_TITLES[by]).lower())
    return graph.graph(_layout(figure, title))


def collection_curve(frame: pd.DataFrame, names: dict[str, str]):
    """Share of the billed Rupiah in bills paid in full by each day before or after the due date, per kind (by
    its name); partly paid bills count only once paid in full, and the words say so."""
    t = context.t
    if frame.empty:
        return empty_state(t("No bill of these filters has been paid yet."), icon="graph-up")
    figure = go.Figure()
    for kind, part in frame.groupby("kind"):
        part = part[(part["offset"] >= -90) & (part["offset"] <= 60)]
        name = names.get(kind, kind)
        figure.add_scatter(x=part["offset"], y=part["share"], mode="lines", name=name, line_shape="hv",
                           hovertemplate=t("Day %{x} from the due date: %{y:.1%} of the Rupiah billed in fully "
                                           "paid bills") + "<extra>" + name + "</extra>")
    figure.add_vline(x=0, line_dash="dash", line_color=COLOURS["muted"], annotation_text=t("Due date"),
                     annotation_position="top left")
    figure.update_xaxes(title_text=t("Days from the due date"))
    figure.update_yaxes(title_text=graph.wrap(t("Fully paid bills (share of Rp billed)"), 24), tickformat=".0%",
                        range=[0, 1.02])
    return graph.graph(_layout(figure, t("Bills paid in full against the deadline"), height=380))


def ageing(frame: pd.DataFrame, matched: int):
    """Outstanding Rupiah of unpaid bills by how late they are; `matched` bills of the filters in all."""
    t, lang = context.t, context.lang()
    if not matched:
        return empty_state(t("No bills match these filters."), t("Choose another semester, bill kind, study "
                                                                   "programme or intake year."), icon="search")
    if frame["bills"].sum() == 0:
        return empty_state(t("Every bill of these filters is paid."), icon="check2-circle")
    colours = [COLOURS["muted"], COLOURS["warn"], COLOURS["warn"], COLOURS["bad"], COLOURS["bad"]]
    labels = [t(AGE_LABELS[bucket]) for bucket in frame["bucket"]]
    notes = [t("{bills} bills, {amount}", bills=formatting.number(b, lang), amount=formatting.rupiah(a, lang))
             for b, a in zip(frame["bills"], frame["outstanding"])]
    figure = go.Figure(go.Bar(y=labels, x=frame["outstanding"].map(float), orientation="h", marker_color=colours,
                              customdata=notes, hovertemplate="%{y}: %{customdata}<extra></extra>"))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text=t("Outstanding (Rp)"), nticks=4, **graph.RUPIAH_TICKS)
    return html.Div([graph.graph(_layout(figure, t("Ageing of unpaid bills"))),
                     html.P(t("Bills without a due date are counted from their issue date."),
                            className="text-muted small mb-0")])
