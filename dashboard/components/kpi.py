"""A KPI card: value, change against the previous period, a small trend line in the status colour, a worded
status, a link."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from queries.sources import Freshness

from .. import context
from ..theme import COLORWAY, COLOURS
from . import freshness as age
from . import status
from .sparkline import sparkline

LINE_COLOURS = {"good": COLOURS["good"], "warn": COLOURS["warn"], "bad": COLOURS["bad"]}
"""The trend line takes the card's status colour; without a status, the first colour of the theme."""


def kpi_card(
    title: str,
    value: str,
    grade: str,
    *,
    change: str | None = None,
    trend: Sequence[float] = (),
    href: str | None = None,
    note: str | None = None,
    card_id: str | None = None,
    fresh: Freshness | None = None,
    scope: str | None = None,
) -> dbc.Card:
    """`grade` is good / warn / bad / none; the card always pairs it with a word and an icon. With `fresh`, the
    card says how old its data is; once a source behind it has had nothing for two of its intervals it says
    since when instead, in a neutral colour, and shows no grade. `scope` says over what the figure is counted
    ("semua semester", "unit: UPT TIK"), under the title."""
    stale = fresh is not None and fresh.stale
    grade = "none" if stale else grade
    body = [
        html.Div([html.Span(title, className="kpi-title"), status.badge("stale" if stale else grade)],
                 className="kpi-head d-flex justify-content-between align-items-start gap-2"),
        html.Div(scope, className="kpi-scope small text-body-secondary") if scope else None,
        html.Div(value, className="kpi-value"),
        html.Div(change, className="kpi-change small text-body-secondary") if change else None,
        sparkline(trend, LINE_COLOURS.get(grade, COLORWAY[0])) if len(trend) > 1 else None,
        html.Div(note, className="small text-body-secondary") if note else None,
        age.line(fresh, className="small text-body-secondary kpi-fresh") if fresh and not stale else None,
        age.stale_line(fresh.since, className="small fw-semibold text-secondary-emphasis kpi-stale-line")
        if stale else None,
    ]
    if href:
        body.append(dcc.Link([context.t("Details"), html.I(className="bi bi-arrow-right ms-1")], href=href,
                             className="small stretched-link kpi-link"))
    extra = {"id": card_id} if card_id else {}
    return dbc.Card(dbc.CardBody(body), className=f"kpi-card kpi-{grade} h-100", **extra)
