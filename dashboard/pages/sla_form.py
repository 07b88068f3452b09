"""The SLA compliance page's form for a step done by WhatsApp, e-mail or letter: its fields, the steps an
SOP offers the reader, and a refused entry's reason in the reader's words. The form's ids are made here
and the page's callbacks (which store the step) read them from this module."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from pantau.sla.context import SlaContext
from pantau.sla.scope import Scope
from pantau.workflow.records import EventProblem
from pantau.workflow.store import EventConflict, EventOutOfOrder

from .. import context, ids

KEY = "sla"
F_SOP, F_CASE, F_STEP = ids.make(KEY, "form-sop"), ids.make(KEY, "form-case"), ids.make(KEY, "form-step")
F_CHANNEL, F_STARTED = ids.make(KEY, "form-channel"), ids.make(KEY, "form-started")
F_COMPLETED, F_OUTCOME = ids.make(KEY, "form-completed"), ids.make(KEY, "form-outcome")
F_SAVE, F_FEEDBACK = ids.make(KEY, "form-save"), ids.make(KEY, "form-feedback")
CHANNELS = {"whatsapp": "WhatsApp", "email": "E-mail", "letter": "Letter"}
FIELD_LABELS = {"sop": "SOP", "case_ref": "Case number", "step": "Step", "started_at": "Started",
                "completed_at": "Completed", "outcome": "Outcome", "channel": "Channel"}


def form(ctx: SlaContext, scope: Scope, codes: list[str]) -> html.Div:
    t = context.t
    field = lambda text, component, width=6: dbc.Col([dbc.Label(text, html_for=component.id, className="small mb-1"),  # noqa: E731
                                                       component], md=width, className="mb-2")
    return html.Div([
        dbc.Row([
            field(t("SOP"), dcc.Dropdown(id=F_SOP, clearable=False, value=codes[0],
                                         options=[{"label": code, "value": code} for code in codes]), 3),
            field(t("Case number"), dbc.Input(id=F_CASE, maxLength=64), 3),
            field(t("Step"), dcc.Dropdown(id=F_STEP, options=step_options(ctx, scope, codes[0])), 6),
        ]),
        dbc.Row([
            field(t("Channel"), dbc.RadioItems(id=F_CHANNEL, value="whatsapp", inline=True,
                                               options=[{"label": t(name), "value": key}
                                                        for key, name in CHANNELS.items()]), 3),
            field(t("Started (optional)"), dbc.Input(id=F_STARTED, type="datetime-local"), 3),
            field(t("Completed"), dbc.Input(id=F_COMPLETED, type="datetime-local"), 3),
            field(t("Outcome"), dcc.Dropdown(id=F_OUTCOME, disabled=True), 3),
        ]),
        dbc.Button([html.I(className="bi bi-check2-circle me-1"), t("Record step")], id=F_SAVE, color="primary"),
        html.Div(id=F_FEEDBACK, className="mt-2", role="status"),
    ])


def step_options(ctx: SlaContext, scope: Scope, code: str | None) -> list[dict]:
    sop = ctx.catalogue.get(code or "")
    if sop is None or (scope is not None and code not in scope):
        return []
    keys = None if scope is None else scope[code]
    return [{"label": f"{step.number}. {step.name[:70]}" + (f" ({step.flow})" if step.flow else ""), "value": step.key}
            for step in sop.steps if keys is None or step.key in keys]


def problem_text(problem: EventProblem | EventConflict) -> str:
    """What is wrong with the form, in the reader's words: the field's label on the form and the reason (the
    reasons the form can meet are translated; the event parser writes them for the CLI and the API)."""
    if isinstance(problem, EventOutOfOrder):
        reason = ("before the step's recorded start" if problem.field == "completed_at"
                  else "after the step's recorded completion")
        return f"{context.t(FIELD_LABELS[problem.field])}: {context.t(reason)}"
    if not isinstance(problem, EventProblem):
        return str(problem)
    reason = context.t(problem.template, **problem.values)
    return f"{context.t(FIELD_LABELS.get(problem.field, problem.field))}: {reason}"
