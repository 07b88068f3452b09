"""The administrator's first-run checklist: what a new installation still lacks, each step ticked once it
works (`queries.first_run`) and linked to the page where that shows."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from queries.first_run import Item, checklist

from .. import context, ids


def first_run_card(owner: str) -> dbc.Card | None:
    """The checklist as a card with ids under `owner` (the page showing it), for administrators only, while
    a step is left; None otherwise."""
    user = context.user()
    if getattr(user, "role", None) != "admin":
        return None
    items = checklist(context.engine(), context.settings())
    if all(item.done for item in items):
        return None
    t = context.t
    done = sum(item.done for item in items)
    return dbc.Card(dbc.CardBody([
        html.Div([
            html.H2(t("First-run checklist"), className="h5 mb-0"),
            html.Span(t("{done} of {total} done", done=done, total=len(items)), className="text-body-secondary small",
                      id=ids.make(owner, "first-run-count")),
        ], className="d-flex flex-wrap justify-content-between align-items-baseline gap-2 mb-2"),
        html.Ul([_row(item, owner) for item in items], className="list-unstyled mb-0"),
    ]), className="mb-3 first-run", id=ids.make(owner, "first-run"))


def _row(item: Item, owner: str) -> html.Li:
    t = context.t
    icon, word, colour = (("check-circle-fill", t("Done"), "text-success") if item.done
                          else ("circle", t("To do"), "text-body-secondary"))
    link = (dcc.Link(t("Go to page"), href=item.link, className="btn btn-sm btn-outline-primary ms-auto",
                     id=ids.make(owner, f"first-run-{item.key}-link")) if item.link else None)
    return html.Li([
        html.I(className=f"bi bi-{icon} {colour} me-2", **{"aria-hidden": "true"}),
        html.Div([
            html.Div([html.Span(t(item.title), className="fw-semibold"),
                      html.Span(f" · {word}", className=f"small {colour}")]),
            html.Div([t(item.detail, **item.values), " · ", t("Where"), ": ", html.Code(t(item.how))],
                     className="small text-body-secondary"),
        ]),
        link,
    ], className="d-flex align-items-start gap-2 py-2 border-bottom", id=ids.make(owner, f"first-run-{item.key}"),
        **{"data-done": "true" if item.done else "false"})
