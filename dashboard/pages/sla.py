"""Kepatuhan SLA: is each SOP being followed? Compliance per SOP and step against the standard times,
the trend by month, the open steps at risk or breached, a case's timeline, and a form for steps done
by WhatsApp, e-mail or letter.

Directors and administrators see every SOP; the IT head and the treasurer see the steps of their role;
operators the SOPs and steps of their unit (`pantau.sla.scope`). Figures come from the SLA engine's
precomputed results, so the page costs the same at a thousand cases as at a hundred thousand. The layout
arrives with its figures drawn for the filters it sets; their callback runs when a filter changes (and where the
language switch brings filters back, `access.redraw_when_restored`).
"""

from __future__ import annotations

from datetime import datetime

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, State, dcc, html

from pantau import audit
from pantau.db import session_scope
from pantau.models import utcnow
from pantau.sla.context import SlaContext
from pantau.sla.measure import AT_RISK, BREACHED, WAITING
from pantau.sla.periods import half_label, months_of, previous_half
from pantau.sla.scope import Scope, narrow, visible_sops, visible_steps
from pantau.sops.names import sop_label, sop_labels
from pantau.workflow.records import EventProblem, parse_event
from pantau.workflow.store import EventConflict, store_events
from queries import sla as queries
from queries.sla_report import build_report, default_period

from .. import access, context, ids
from ..components import exports, freshness, graph
from ..components.empty import empty_state
from ..components.sop_version import version_words
from ..components.status import label
from ..components.tables import data_table
from . import sla_blocks as blocks
from . import sla_errors
from . import sla_figures as figures
from . import sla_form as step_form

KEY = "sla"
SOP = ids.make(KEY, "sop")
PERIOD = ids.make(KEY, "period")
TICK = ids.make(KEY, "tick")
SAVED = ids.make(KEY, "saved")
SUMMARY = ids.make(KEY, "summary")
SOPS = ids.make(KEY, "sops")
HEATMAP = ids.make(KEY, "heatmap")
STEPS = ids.make(KEY, "steps")
STEP_TABLE = ids.make(KEY, "step-table")
OPEN = ids.make(KEY, "open")
OPEN_TABLE = ids.make(KEY, "open-table")
WAITING_BOX = ids.make(KEY, "waiting")
CASE = ids.make(KEY, "case")
CASE_REF = ids.make(KEY, "case-ref")
CASE_FIND = ids.make(KEY, "case-find")
DL_CSV = ids.make(KEY, "download-csv")
DL_XLSX = ids.make(KEY, "download-xlsx")
DOWNLOAD = ids.make(KEY, "download")
MACHINE = ids.make(KEY, "download-machine")
DATA_ERRORS = ids.make(KEY, "data-errors")

ALL = "__all__"
OPEN_LIMIT = 100
DOWNLOAD_LIMIT = 10_000


def _scope() -> tuple[SlaContext, Scope]:
    ctx = context.sla()
    user = context.user()
    return ctx, visible_steps(ctx.catalogue, user.role, getattr(user, "unit", None))


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3", **kwargs)


def layout(case: str | None = None, sop: str | None = None, **_query) -> html.Div:
    """The page; ``?sop=<code>`` preselects an SOP and ``?case=<id>`` opens a case's timeline."""
    t, lang = context.t, context.lang()
    ctx, scope = _scope()
    codes = visible_sops(ctx.catalogue, scope)
    heading = html.Div([html.H1(t("SLA compliance"), className="page-title mb-0"), freshness.subject_line("sla")])
    if not codes:
        return html.Div([heading, empty_state(t("No SOP steps are assigned to you."),
                                              t("Ask an administrator to set your unit."), icon="diagram-3")])
    engine = context.engine()
    periods = queries.half_years(engine, scope) or [default_period(engine, ctx, scope)]
    controls = html.Div([
        dcc.Dropdown(id=SOP, clearable=False, style={"minWidth": "16rem"}, value=sop if sop in codes else ALL,
                     options=[{"label": t("All SOPs"), "value": ALL}] +
                             [{"label": sop_label(code, ctx.catalogue), "value": code} for code in codes]),
        dcc.Dropdown(id=PERIOD, clearable=False, style={"minWidth": "14rem"}, value=periods[0],
                     options=[{"label": half_label(p, lang), "value": p} for p in periods]),
    ], className="d-flex flex-wrap gap-2")
    downloads = html.Div(exports.controls(DL_CSV, DL_XLSX, MACHINE, DOWNLOAD, words=True), className="mb-2")
    chosen_case = int(case) if case and case.isdigit() else None
    summary, sops, heatmap, steps, late, waiting = _figures(sop if sop in codes else ALL, periods[0])
    return html.Div([
        html.Div([heading, controls],
                 className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3"),
        dcc.Loading(html.Div(summary, id=SUMMARY), delay_show=400),
        sla_errors.panel(*context.cached("sla.errors", [scope], ["sla"], lambda: queries.data_errors(engine, scope)),
                         ctx, DATA_ERRORS),
        _card(t("SOPs: compliance and trend"), html.Div(sops, id=SOPS)),
        _card(t("Steps by month"), html.Div(heatmap, id=HEATMAP)),
        _card(t("Open steps at risk or breached"), html.Div(late, id=OPEN)),
        _card(t("Waiting on outside party"), html.Div(waiting, id=WAITING_BOX)),
        _card(t("Case timeline"), html.Div([
            dbc.InputGroup([
                dbc.Input(id=CASE_REF, placeholder=t("Case number"), maxLength=64),
                dbc.Button([html.I(className="bi bi-search me-1"), t("Show")], id=CASE_FIND, color="primary"),
            ], size="sm", className="mb-2", style={"maxWidth": "26rem"}),
            html.Div(id=CASE, children=_case(chosen_case) if chosen_case else
                     html.P(t("Choose an open step above, or look a case up by its number."),
                            className="text-body-secondary small mb-0")),
        ])),
        _card(t("Steps and their standard times"), html.Div([downloads, html.Div(steps, id=STEPS)])),
        _card(t("Record a step done by WhatsApp, e-mail or letter"), step_form.form(ctx, scope, codes)),
        dcc.Store(id=SAVED),
        dcc.Interval(id=TICK, interval=120_000),
    ])


@dash.callback(
    Output(SUMMARY, "children"), Output(SOPS, "children"), Output(HEATMAP, "children"), Output(STEPS, "children"),
    Output(OPEN, "children"), Output(WAITING_BOX, "children"),
    Input(SOP, "value"), Input(PERIOD, "value"), Input(TICK, "n_intervals"), Input(SAVED, "data"),
    prevent_initial_call=True,
)
def _refresh(sop, period, _tick, _saved):
    return _figures(sop, period)


access.redraw_when_restored(SOP)


def _figures(sop, period) -> tuple:
    """The KPI cards, the SOP table, the heat map, the step table and the two tables of open steps."""
    t = context.t
    ctx, scope = _scope()
    engine, now = context.engine(), utcnow()
    scope = narrow(scope, ctx.catalogue, None if sop in (None, ALL) else sop)
    threshold = context.settings().thresholds["sla_compliance"]
    read = context.cached("sla.page", [period, scope], ["sla"], lambda: _read(engine, ctx, scope, period, now))
    report, now = read["report"], read["now"]
    months = months_of(report["period"])
    # The feed's age is read live: a cached read holds every event imported before it (an import retires it).
    clock = utcnow()
    fresh = freshness.feed("workflow", clock)
    aged = lambda body: freshness.aged(body, fresh, clock)  # noqa: E731
    summary = blocks.kpi_row(read["compliance"], read["previous"], read["trend"], read["open_counts"], threshold,
                             report["period"], ctx.at_risk_share, fresh)
    # The filter's months only; an outside party's step is not counted in compliance, so it gets no row.
    labels = {(code, step.key): (f"{code} · " if len(report["sops"]) > 1 else "") + blocks.short_label(ctx, code, step)
              for code in (e["code"] for e in report["sops"]) for step in ctx.catalogue[code].steps
              if step.time.unit.measurable and not step.outside_party
              and (scope is None or step.key in scope.get(code, ()))}
    heat = figures.heat_map(read["by_step"], months, labels)
    steps = blocks.step_frame(report)
    step_table = empty_state(t("No steps were completed in this half-year."),
                             t("Import events with `pantau import events`, connect a source database, "
                               "or record a step below."),
                             icon="clipboard-data") if steps.empty else data_table(STEP_TABLE, steps, {
        "sop": t("SOP"), "number": t("No."), "step": t("Step"), "role": t("Performer"), "standard": t("Standard time"),
        "completed": t("Completed"), "measured": t("With a standard time"), "within": t("Within standard"),
        "median": t("Median"), "p90": "P90",
        "performers": t("By performer")}, page_size=12)
    sops = sop_labels(ctx.catalogue)
    return (summary, aged(blocks.sop_table(report, threshold)), aged(graph.graph(heat, wide=True)), aged(step_table),
            aged(blocks.open_table(read["late"], blocks.step_names(ctx), now, OPEN_TABLE,
                                   t("No open step is at risk or breached."), OPEN_LIMIT, sops)),
            aged(blocks.open_table(read["waiting"], blocks.step_names(ctx), now, ids.make(KEY, "waiting-table"),
                                   t("Nothing is waiting on an outside party."), OPEN_LIMIT, sops)))


def _read(engine, ctx: SlaContext, scope: Scope, period: str | None, now: datetime) -> dict:
    """What the page's figures read from the store at `now` (about a dozen reads, a second or more on a large
    store), kept in the shared cache: the report, the compliance now, before and by month and step, the open
    steps' counts and the late and waiting ones. The page states their states as of `now`."""
    report = build_report(engine, ctx, period=period, scope=scope, now=now)
    months = months_of(report["period"])
    return {
        "now": now, "report": report,
        "compliance": queries.overall_compliance(engine, months, scope),
        "previous": queries.overall_compliance(engine, months_of(previous_half(report["period"])), scope),
        "trend": queries.monthly_compliance(engine, months, scope, by="all")["compliance"].dropna().tolist(),
        "by_step": queries.monthly_compliance(engine, months, scope, by="step"),
        "open_counts": queries.open_counts(engine, now, scope),
        "late": queries.open_steps(engine, now, scope, states=(AT_RISK, BREACHED), limit=OPEN_LIMIT),
        "waiting": queries.open_steps(engine, now, scope, states=(WAITING,), limit=OPEN_LIMIT),
    }


def _case(case_id: int) -> html.Div:
    t = context.t
    ctx, scope = _scope()
    engine, now = context.engine(), utcnow()
    info = queries.case_info(engine, case_id)
    steps = queries.case_steps(engine, case_id, now, scope) if info else pd.DataFrame()
    if info is None or steps.empty:
        return empty_state(t("No such case among your SOPs."), icon="search")
    names = {key: name for (code, key), name in blocks.step_names(ctx).items() if code == info["sop_code"]}
    own = ctx.definition(info["sop_code"], info["sop_version"])
    names |= {step.key: f"{step.number}. {step.name[:60]}" + ("…" if len(step.name) > 60 else "")
              for step in own.steps} if own else {}
    states = {state: label(state if state != "open" else "in_progress") for state in steps["state"].unique()}
    states["done"] = t("Done")
    title = t("Case {case}: steps over time", case=info["case_ref"])
    version = html.P(t("Measured by {version}, the version the case started on.",
                       version=version_words(ctx, info["sop_code"], info["sop_version"])),
                     className="small text-body-secondary mb-1", id=ids.make(KEY, "case-version"))
    return html.Div([blocks.case_header(info, names, sop_label(info["sop_code"], ctx.catalogue)), version,
                     freshness.aged(graph.graph(figures.timeline(steps, names, title, states, now), wide=True),
                                    freshness.feed("workflow", now), now)])


@dash.callback(Output(CASE, "children"), Input(OPEN_TABLE, "selected_rows"), State(OPEN_TABLE, "data"),
               prevent_initial_call=True)
def _pick_open(selected, rows):
    if not selected or not rows:
        raise dash.exceptions.PreventUpdate
    row = rows[selected[0]]
    codes = {shown: code for code, shown in sop_labels(_scope()[0].catalogue).items()}  # the table shows labels
    case_id = queries.find_case(context.engine(), str(row["case_ref"]), [codes.get(str(row["sop_code"]),
                                                                                   str(row["sop_code"]))])
    return _case(case_id) if case_id else empty_state(context.t("No such case among your SOPs."), icon="search")


@dash.callback(Output(CASE, "children", allow_duplicate=True), Input(CASE_FIND, "n_clicks"),
               State(CASE_REF, "value"), State(SOP, "value"), prevent_initial_call=True)
def _find(_clicks, case_ref, sop):
    ctx, scope = _scope()
    codes = visible_sops(ctx.catalogue, narrow(scope, ctx.catalogue, None if sop in (None, ALL) else sop))
    case_id = queries.find_case(context.engine(), case_ref or "", codes) if (case_ref or "").strip() else None
    return _case(case_id) if case_id else empty_state(context.t("No such case among your SOPs."), icon="search")


@dash.callback(Output(DOWNLOAD, "data"), Input(DL_CSV, "n_clicks"), Input(DL_XLSX, "n_clicks"),
               State(SOP, "value"), State(PERIOD, "value"), State(MACHINE, "value"), prevent_initial_call=True)
def _download(_csv, _xlsx, sop, period, machine):
    ctx, scope = _scope()
    period = period if blocks.is_half(period) else None
    engine, now = context.engine(), utcnow()
    scope = narrow(scope, ctx.catalogue, None if sop in (None, ALL) else sop)
    report = build_report(engine, ctx, period=period, scope=scope, now=now)
    name = f"sla-{report['period']}" + ("" if sop in (None, ALL) or ctx.catalogue.get(sop) is None else f"-{sop}")
    names, flows = blocks.step_names(ctx), blocks.flow_names(ctx)
    if dash.ctx.triggered_id == DL_CSV:
        return exports.download("csv", blocks.download_sheets(report, pd.DataFrame(), names, flows), name,
                                bool(machine))
    opened = queries.open_steps(engine, now, scope, states=(AT_RISK, BREACHED, WAITING), limit=DOWNLOAD_LIMIT)
    return exports.download("xlsx", blocks.download_sheets(report, opened, names, flows), name, bool(machine))


@dash.callback(Output(step_form.F_STEP, "options"), Output(step_form.F_STEP, "value"), Input(step_form.F_SOP, "value"),
               prevent_initial_call=True)
def _form_steps(code):
    ctx, scope = _scope()
    return step_form.step_options(ctx, scope, code), None


@dash.callback(Output(step_form.F_OUTCOME, "options"), Output(step_form.F_OUTCOME, "disabled"),
               Output(step_form.F_OUTCOME, "value"), Input(step_form.F_STEP, "value"), State(step_form.F_SOP, "value"),
               prevent_initial_call=True)
def _form_outcomes(step_key, code):
    ctx, _ = _scope()
    sop = ctx.catalogue.get(code or "")
    step = next((s for s in sop.steps if s.key == step_key), None) if sop else None
    if step is None or not step.branches:
        return [], True, None
    return [{"label": branch.label, "value": branch.key} for branch in step.branches], False, None


@dash.callback(
    Output(step_form.F_FEEDBACK, "children"), Output(SAVED, "data"), Output(CASE, "children", allow_duplicate=True),
    Input(step_form.F_SAVE, "n_clicks"),
    State(step_form.F_SOP, "value"), State(step_form.F_CASE, "value"), State(step_form.F_STEP, "value"),
    State(step_form.F_CHANNEL, "value"), State(step_form.F_STARTED, "value"), State(step_form.F_COMPLETED, "value"),
    State(step_form.F_OUTCOME, "value"),
    prevent_initial_call=True,
)
def _record(_clicks, code, case_ref, step_key, channel, started, completed, outcome):
    t = context.t
    ctx, scope = _scope()
    user = context.user()
    refuse = lambda message: (dbc.Alert(message, color="warning"), dash.no_update, dash.no_update)  # noqa: E731
    if scope is not None and step_key not in scope.get(code or "", ()):
        return refuse(t("Choose one of your SOP's steps."))
    if channel not in step_form.CHANNELS:
        return refuse(t("Choose how the step was done: WhatsApp, e-mail or letter."))
    raw = {"sop": code, "case": case_ref, "step": step_key, "started_at": started, "completed_at": completed,
           "outcome": outcome, "channel": channel, "performer": user.display_name}
    try:
        if not completed:
            raise EventProblem("completed_at", None, t("give the time the step was completed"))
        record = parse_event(raw, ctx.catalogue, ctx.calendar.zone, sop=code)
        with session_scope(context.engine()) as session:
            store_events(session, [record], ctx, prefix="web", recorded_by=user.username, source="web")
            audit.record(session, user.username, "events.record",
                         f"{record.sop_code}/{record.case_ref}/{record.step_key}",
                         {"channel": channel, "started_at": started, "completed_at": completed, "outcome": outcome},
                         flask.request.remote_addr)
    except (EventProblem, EventConflict) as problem:
        return refuse(t("Not recorded: {problem}", problem=step_form.problem_text(problem)))
    case_id = queries.find_case(context.engine(), record.case_ref, [record.sop_code])
    done = t("Recorded step {step} of case {case}.", step=ctx.catalogue[code].step(step_key).number,
             case=record.case_ref)
    return dbc.Alert(done, color="success"), utcnow().isoformat(), _case(case_id)


access.register_page(
    __name__,
    key=KEY,
    path="/sla",
    title="SLA compliance",
    group="Services & SOPs",
    icon="stopwatch",
    roles=("direktur", "kepala_it", "bendahara", "operator", "admin"),
    order=40,
    layout=layout,
)
