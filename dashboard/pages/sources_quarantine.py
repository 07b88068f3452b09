"""The sources page's list of bill rows set aside by their source's latest sync: source, row, column, value and
reason, so the bendahara's IT colleague can fix them at the source (the other rows were synced)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from pantau.billrows import place_words, reason_words
from queries.bill_quarantine import quarantine_counts, quarantined

from .. import context, ids

KEY = "sources"
QUARANTINE = ids.make(KEY, "quarantine")
SHOWN = 50


def quarantine_block() -> html.Div:
    """The list's place on the page, filled by the page's refresh tick."""
    return html.Div(id=QUARANTINE)


def quarantine_card():
    """Nothing when no row is set aside; else a card with each source's count and its first rows."""
    t, lang = context.t, context.lang()
    engine = context.engine()
    counts = quarantine_counts(engine)
    if not counts:
        return None
    frame = quarantined(engine, limit=SHOWN)
    totals = ", ".join(f"{source}: {count}" for source, count in sorted(counts.items()))
    header = html.Thead(html.Tr([html.Th(t(text)) for text in ("Source", "Row", "Column", "Value", "Reason")]))
    rows = [html.Tr([html.Td(row.source, className="font-monospace small"),
                     html.Td(place_words(row.row, lang), className="small"),
                     html.Td(row.column, className="font-monospace small"),
                     html.Td(row.value if isinstance(row.value, str) else "–", className="small"),
                     html.Td(reason_words(row.reason, lang), className="small")]) for row in frame.itertuples()]
    return dbc.Card(dbc.CardBody([
        html.H2(t("Bill rows set aside"), className="h6"),
        html.P(t("The latest sync of these bill sources set these rows aside and synced the others; fix them at "
                 "the source and the next sync takes them in ({totals}).", totals=totals),
               className="small text-body-secondary"),
        dbc.Table([header, html.Tbody(rows)], size="sm", responsive=True, className="mb-0",
                  id=ids.make(KEY, "quarantine-list")),
    ]), className="mb-3")
