"""The SLA page's data-error panel: steps the engine could not measure (completed before they started, or
with no known start), listed for the roles that see their SOP and never counted as met."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau.sla.context import SlaContext
from pantau.sops.names import sop_label

from .. import context
from . import sla_blocks as blocks

PROBLEMS = {
    "before_start": "Completed before it started",
    "no_start": "Completed with no known start",
}


def panel(frame: pd.DataFrame, total: int, ctx: SlaContext, panel_id: str) -> dbc.Card | None:
    """A small card listing the data errors in `frame` (of `total`), or None when there are none."""
    if frame.empty:
        return None
    t, lang = context.t, context.lang()
    zone = ctx.calendar.zone.key
    names = blocks.step_names(ctx)
    head = html.Thead(html.Tr([html.Th(t(text)) for text in ("SOP", "Case", "Step", "Problem", "Completed")]))
    body = html.Tbody([
        html.Tr([html.Td(sop_label(row.sop_code, ctx.catalogue)), html.Td(row.case_ref),
                 html.Td(names.get((row.sop_code, row.step_key), row.step_key)),
                 html.Td(t(PROBLEMS.get(row.problem, "Data error"))),
                 html.Td(blocks.moment(row.completed_at, lang, zone))])
        for row in frame.itertuples()
    ])
    more = [html.P(t("Showing the latest {shown} of {total}.", shown=len(frame), total=total),
                   className="small text-body-secondary mb-0")] if total > len(frame) else []
    return dbc.Card(dbc.CardBody([
        html.H2([html.I(className="bi bi-exclamation-diamond me-2", **{"aria-hidden": "true"}),
                 t("Data errors: steps not counted ({total})", total=total)], className="h6 mb-2"),
        html.P(t("These steps are not counted in compliance. Send the right start or completion (a correction) "
                 "and they are measured again."), className="small mb-2"),
        dbc.Table([head, body], size="sm", bordered=False, striped=True, responsive=True, className="mb-1"),
        *more,
    ]), id=panel_id, className="mb-3 border-warning")
