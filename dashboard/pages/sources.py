"""Sumber Data: every source Pantau reads or is sent data by (collectors, monitors, bill sources, the bank
inbox, event sources, host agents), when each last worked, what failed in plain words, and "check now".

For the IT head and the administrator. "Check now" only writes a request on the source's status row: the
active collector picks it up at its next heartbeat and runs that source's check in its own worker, as it
runs its schedule. The web worker never probes, holds no scheduler, and never writes beside the collector
that holds the lease; without a running collector the request waits, and the page says so.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ALL, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from pantau import audit, formatting
from pantau.db import session_scope
from pantau.models import utcnow
from pantau.sources import KIND_NAMES, PROCESS, NotCheckable, failure_text, request_check, source_label
from queries.sources import display_name, heartbeat, statuses

from .. import access, context, ids
from ..components import freshness
from ..components.empty import empty_state
from ..components.status import badge
from .sources_quarantine import QUARANTINE, quarantine_block, quarantine_card

KEY = "sources"
TICK = ids.make(KEY, "tick")
TABLE = ids.make(KEY, "table")
FEEDBACK = ids.make(KEY, "feedback")
PROCESS_LINE = ids.make(KEY, "process")
ASKED = ids.make(KEY, "asked")
SOON = ids.make(KEY, "soon")
CHECK = "check"
ROLES = ("kepala_it", "admin")
REFRESH_MS = 10_000
WAITING_MS = 1_000
"""While a requested check waits for its result, the list is read every second."""


def check_id(kind: str, name: str) -> dict:
    """The "check now" button of a source: its index is `kind/name` (kinds hold no slash)."""
    return ids.matching(KEY, CHECK, f"{kind}/{name}")


def layout(**_query) -> html.Div:
    t = context.t
    every = context.settings().collector.heartbeat_s
    return html.Div([
        html.H1(t("Data sources"), className="page-title"),
        html.P(t("Every source Pantau reads or is sent data by: when it last worked and what failed. \"Check now\" "
                 "asks the running collector to check a source at once (it looks for requests every {seconds} s); "
                 "the web server never checks a source itself.",
                 seconds=formatting.number(every, context.lang(), 0)), className="text-body-secondary"),
        html.Div(id=PROCESS_LINE, className="mb-2"),
        html.Div(id=FEEDBACK, role="status", **{"aria-live": "polite"}),
        dbc.Card(dbc.CardBody(html.Div(id=TABLE)), className="mb-3"),
        quarantine_block(),
        dcc.Store(id=ASKED),
        dcc.Interval(id=TICK, interval=REFRESH_MS),
        dcc.Interval(id=SOON, interval=WAITING_MS, disabled=True),
    ])


@dash.callback(Output(TABLE, "children"), Output(PROCESS_LINE, "children"), Output(SOON, "disabled"),
               Input(TICK, "n_intervals"), Input(ASKED, "data"), Input(SOON, "n_intervals"))
def _refresh(_tick, _asked, _soon):
    if not access.may_see(context.user(), KEY):
        raise PreventUpdate
    engine, now = context.engine(), utcnow()
    frame = statuses(engine, now, unconfigured=True)
    waiting = bool(frame["check_requested_at"].notna().any()) if not frame.empty else False
    return source_table(frame, now), process_line(now), not waiting


@dash.callback(Output(QUARANTINE, "children"), Input(TICK, "n_intervals"))
def _refresh_quarantine(_tick):
    if not access.may_see(context.user(), KEY):
        raise PreventUpdate
    return quarantine_card()


@dash.callback(Output(FEEDBACK, "children"), Output(ASKED, "data"),
               Input(ids.matching(KEY, CHECK, ALL), "n_clicks"), prevent_initial_call=True)
def _check_now(_clicks):
    user = context.user()
    triggered = dash.ctx.triggered_id
    if not access.may_see(user, KEY) or not isinstance(triggered, dict) or not dash.ctx.triggered[0].get("value"):
        raise PreventUpdate
    kind, _, name = str(triggered.get("index", "")).partition("/")
    return ask(user, kind, name), utcnow().isoformat()


def ask(user, kind: str, name: str) -> dbc.Alert:
    """Write the request (audited) and say what happens next, naming the source."""
    t, lang = context.t, context.lang()
    source = source_label(kind, display_name(context.engine(), kind, name), lang)
    try:
        with session_scope(context.engine()) as session:
            row = request_check(session, kind, name, by=user.username)
            audit.record(session, user.username, "source.check", f"{kind}:{name}", {}, flask.request.remote_addr)
            asked_at = row.check_requested_at
    except NotCheckable:
        return _feedback(t("{source} sends its data itself; it cannot be checked from here.", source=source), "warning")
    except LookupError:
        return _feedback(t("{source} is not a known source (it may have just been removed).", source=source),
                         "warning")
    beat = heartbeat(context.engine())
    when = freshness.when_text(asked_at)
    if beat.silent:
        return _feedback(t("Check of {source} requested at {when}, but the collector is not running: it waits "
                           "until `pantau collect` starts.", source=source, when=when), "warning")
    return _feedback(t("Check of {source} requested at {when}; the collector runs it within {seconds} s and this "
                       "list shows the result.", source=source, when=when,
                       seconds=formatting.number(2 * (beat.interval_s or 15), lang, 0)), "info")


def _feedback(text: str, colour: str) -> dbc.Alert:
    return dbc.Alert(text, color=colour, dismissable=True, className="py-2", id=ids.make(KEY, "message"))


def process_line(now) -> html.Div:
    """The collector process: when it last reported and who it is, or since when it has been silent."""
    t = context.t
    beat = heartbeat(context.engine())
    if beat.last_seen is None:
        return html.Div([badge("stale"), " ", t("The collector process has never reported.")], className="small")
    if beat.silent:
        return html.Div([badge("stale"), " ", freshness.stale_text(beat.last_seen, now)], className="small")
    return html.Div([badge("ok"), " ", t("Collector process: reported {when} ({who}).",
                                         when=freshness.ago_text(beat.last_seen, now), who=beat.who or "")],
                    className="small")


def source_table(frame: pd.DataFrame, now) -> html.Div:
    """One row per source: state, kind, name, last success, last attempt, last error in words, action."""
    t = context.t
    frame = frame[frame["kind"] != PROCESS]
    if frame.empty:
        return empty_state(t("No sources yet."), t("Sources appear once `pantau collect` has started with them in "
                                                   "its configuration, or an agent or source system has pushed data."),
                           icon="plug")
    header = html.Thead(html.Tr([html.Th(t(text)) for text in
                                 ("Status", "Kind", "Source", "Last success", "Last attempt", "Last error", "")]))
    rows = [_row(row, now) for row in frame.itertuples()]
    return dbc.Table([header, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="mb-0 align-middle",
                     id=ids.make(KEY, "list"))


def _row(row, now) -> html.Tr:
    t, lang = context.t, context.lang()
    states = [badge(row.state)]
    if pd.notna(row.check_requested_at):
        states += [" ", badge("requested", title=t("Requested by {who} at {when}", who=row.check_requested_by or "",
                                                   when=freshness.when_text(row.check_requested_at, now)))]
    success = freshness.ago_text(row.last_success_at, now) if pd.notna(row.last_success_at) else t("never")
    if row.state == "stale" and pd.notna(row.last_success_at):
        success = freshness.stale_text(row.last_success_at, now)
    attempt = freshness.ago_text(row.last_attempt_at, now) if pd.notna(row.last_attempt_at) else "–"
    return html.Tr([
        html.Td(states, className="text-nowrap"),
        html.Td(t(KIND_NAMES.get(row.kind, row.kind)), className="text-nowrap"),
        html.Td([html.Span(row.label, className="fw-semibold"),
                 html.Div(_interval(row), className="small text-body-secondary")]),
        html.Td(success, className="small"),
        html.Td(attempt, className="small"),
        html.Td(_error(row, now, lang), className="small"),
        html.Td(_action(row), className="text-end text-nowrap"),
    ], id=ids.make(KEY, f"row-{row.kind}-{row.name}"))


def _interval(row) -> str:
    t, lang = context.t, context.lang()
    if not row.configured:
        return t("not in the configuration of the running collector")
    if row.pushed:
        return t("sends its data itself")
    if pd.isna(row.interval_s):
        return ""
    return t("every {duration}", duration=formatting.duration(float(row.interval_s), lang))


def _error(row, now, lang: str):
    t = context.t
    if pd.isna(row.last_error_at):
        return html.Span("–", className="text-body-secondary")
    text = failure_text(row.kind, row.label, row.last_error_kind, row.last_error, lang)
    when = freshness.when_text(row.last_error_at, now) if pd.notna(row.last_error_at) else ""
    current = row.state == "failing"
    note = (t("{count} attempts in a row, since {when}", count=int(row.consecutive_failures),
              when=freshness.when_text(row.failing_since, now)) if current and pd.notna(row.failing_since)
            else t("at {when}, since recovered", when=when) if not current and when else when)
    return html.Div([html.Div(text, className="" if current else "text-body-secondary"),
                     html.Div(note, className="text-body-secondary")])


def _action(row):
    t = context.t
    if row.pushed or not row.configured:
        return None
    return dbc.Button([html.I(className="bi bi-arrow-repeat me-1"), t("Check now")], id=check_id(row.kind, row.name),
                      size="sm", color="primary", outline=True,
                      title=t("Ask the collector to check {source} now", source=source_label(row.kind, row.label,
                                                                                               context.lang())))


access.register_page(
    __name__,
    key=KEY,
    path="/sumber",
    title="Data sources",
    group="Operations",
    icon="plug",
    roles=ROLES,
    order=25,
    layout=layout,
)
