"""Blocks of the overview beside its KPI cards: collection by kind group and bill kind over the collection rate
card's semester (no queries here: each takes what the page read)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from pantau import semesters
from queries import kind_breakdown
from queries.overview import KindCollection
from queries.sources import Freshness

from .. import access, context
from ..components import freshness as age
from ..components.kind_table import kind_table


def kind_card(found: KindCollection, fresh: Freshness | None, card_id: str, table_id: str) -> dbc.Card:
    """A compact card: each kind group's billed, collected and rate with its kinds under it, the semester it
    counts (the collection rate card's), how old the bills are, and a link to the payments page's semester."""
    t, lang = context.t, context.lang()
    lines = kind_breakdown.worded(found.frames[lang], lang)
    spec = access.PAGES.get("payments")
    body = [
        html.H3(t("Collection by kind group and bill kind"), className="kpi-title h6 mb-1"),
        html.Div(t("semester {semester}", semester=semesters.label(found.semester, lang)),
                 className="kpi-scope small text-body-secondary mb-2"),
        kind_table(lines, table_id, compact=True) if lines else html.P(
            t("No bill of these filters has come due yet."), className="small text-body-secondary"),
        age.line(fresh, className="small text-body-secondary kpi-fresh") if fresh else None,
    ]
    if spec:
        body.append(dcc.Link([t("Details"), html.I(className="bi bi-arrow-right ms-1")],
                             href=f"{spec.path}?semester={found.semester}", className="small kpi-link"))
    return dbc.Card(dbc.CardBody(body), id=card_id, className="kind-card h-100")
