"""Collection by kind group and bill kind as a table: each group's subtotal in bold, its kinds indented under it,
the total last; by name, never by code (the lines come worded from `queries.kind_breakdown.worded`). The
payments page shows every column; the overview's compact card shows billed, collected and the rate."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from .. import context

COLUMNS = (("bills", "Bills"), ("billed", "Billed"), ("paid", "Collected"), ("rate", "Collection rate"),
           ("outstanding", "Outstanding"))
COMPACT = ("billed", "paid", "rate")
ROW_CLASSES = {"group": "kind-group fw-semibold", "kind": "kind-kind", "total": "kind-total fw-bold border-top"}


def kind_table(lines: list[dict], table_id: str, compact: bool = False) -> dbc.Table:
    """The table of `lines` (level, label and formatted figures); `compact` keeps billed, collected and rate."""
    t = context.t
    columns = [(key, title) for key, title in COLUMNS if not compact or key in COMPACT]
    head = html.Thead(html.Tr([html.Th(t("Kind group / bill kind"), scope="col"),
                               *(html.Th(t(title), scope="col", className="text-end") for _, title in columns)]))
    rows = []
    for line in lines:
        label = html.Th(line["label"], scope="row", className="fw-normal ps-4" if line["level"] == "kind" else "")
        rows.append(html.Tr([label, *(html.Td(line[key], className="text-end text-nowrap") for key, _ in columns)],
                            className=ROW_CLASSES[line["level"]]))
    return dbc.Table([head, html.Tbody(rows)], id=table_id, size="sm", hover=True, responsive=True,
                     className="kind-table align-middle mb-1 small" if compact else "kind-table align-middle mb-1")
