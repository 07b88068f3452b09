"""Peringatan: the alerts routed to the reader's role (all of them for the administrator)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, dcc, html

from pantau import formatting
from pantau.alerts import acknowledge, resolve
from pantau.db import session_scope
from queries.alerts import count_by_state, list_alerts

from .. import access, context, ids
from ..components.empty import empty_state
from ..components.status import label
from ..components.tables import data_table

KEY = "alerts"
TABLE = ids.make(KEY, "table")
STATES = ids.make(KEY, "states")
NOTE = ids.make(KEY, "note")
ACK = ids.make(KEY, "ack")
RESOLVE = ids.make(KEY, "resolve")
FEEDBACK = ids.make(KEY, "feedback")
BODY = ids.make(KEY, "body")
SUMMARY = ids.make(KEY, "summary")
TICK = ids.make(KEY, "tick")


def _roles(user) -> list[str] | None:
    return None if user.role == "admin" else [user.role]


def layout(**_query) -> html.Div:
    t = context.t
    return html.Div(
        [
            html.H1(t("Alerts"), className="page-title"),
            html.Div(id=SUMMARY, children=_summary()),
            dbc.Card(
                dbc.CardBody(
                    [
                        dbc.Checklist(
                            id=STATES,
                            options=[{"label": label(s), "value": s} for s in ("open", "acknowledged", "resolved")],
                            value=["open", "acknowledged"],
                            inline=True,
                            className="mb-2",
                        ),
                        html.Div(id=BODY, children=_table(["open", "acknowledged"])),
                        dbc.InputGroup(
                            [
                                dbc.Input(id=NOTE, placeholder=t("Note (required to resolve)"), maxLength=500),
                                dbc.Button([html.I(className="bi bi-eye me-1"), t("Acknowledge")], id=ACK,
                                           color="secondary", outline=True),
                                dbc.Button([html.I(className="bi bi-check2-circle me-1"), t("Resolve")],
                                           id=RESOLVE, color="success"),
                            ],
                            className="mt-3",
                        ),
                        html.Div(id=FEEDBACK, className="mt-2", role="status"),
                    ]
                ),
                className="mt-3",
            ),
            dcc.Interval(id=TICK, interval=60_000),
        ]
    )


def _summary() -> dbc.Row:
    counts = count_by_state(context.engine(), roles=_roles(context.user()))
    lang = context.lang()
    cards = [
        dbc.Col(dbc.Card(dbc.CardBody([html.Div(label(state), className="kpi-title"),
                                       html.Div(formatting.number(counts[state], lang), className="kpi-value")])),
                md=4, className="mb-2")
        for state in ("open", "acknowledged", "resolved")
    ]
    return dbc.Row(cards)


def _table(states: list[str]):
    t, lang, tz = context.t, context.lang(), context.tz()
    frame = list_alerts(context.engine(), roles=_roles(context.user()), states=states or ["open"])
    if frame.empty:
        return empty_state(t("No alerts in these states."), t("Alerts appear here when a check, a feed or an SOP clock needs someone."), icon="bell-slash")
    frame["severity"] = frame["severity"].map(label)
    frame["state"] = frame["state"].map(label)
    frame["opened"] = frame["opened_at"].map(lambda v: formatting.moment(v.to_pydatetime(), lang, tz))
    frame["seen"] = frame["last_seen_at"].map(lambda v: formatting.moment(v.to_pydatetime(), lang, tz))
    columns = {"severity": t("Severity"), "title": t("Alert"), "role": t("Role"), "state": t("Status"),
               "opened": t("Opened"), "seen": t("Last seen"), "body": t("Details")}
    return data_table(TABLE, frame, columns, row_selectable="single", selected_rows=[],
                      page_size=20) if not frame.empty else None


def _selected_id(rows, selected) -> int | None:
    if not rows or not selected:
        return None
    return int(rows[selected[0]]["id"])


@dash.callback(Output(BODY, "children"), Input(STATES, "value"), Input(TICK, "n_intervals"))
def _filter(states, _tick):
    return _table(states)


@dash.callback(
    Output(FEEDBACK, "children"),
    Output(BODY, "children", allow_duplicate=True),
    Output(SUMMARY, "children"),
    Input(ACK, "n_clicks"),
    Input(RESOLVE, "n_clicks"),
    State(TABLE, "data"),
    State(TABLE, "selected_rows"),
    State(NOTE, "value"),
    State(STATES, "value"),
    prevent_initial_call=True,
)
def _act(_ack, _resolve, rows, selected, note, states):
    t = context.t
    alert_id = _selected_id(rows, selected)
    if alert_id is None:
        return dbc.Alert(t("Choose an alert in the table first."), color="warning"), dash.no_update, dash.no_update
    user = context.user()
    if alert_id not in list_alerts(context.engine(), roles=_roles(user), states=["open", "acknowledged"])["id"].tolist():
        return dbc.Alert(t("That alert is not yours to change."), color="danger"), dash.no_update, dash.no_update
    pressed = dash.ctx.triggered_id
    try:
        with session_scope(context.engine()) as session:
            if pressed == RESOLVE:
                if not (note or "").strip():
                    return dbc.Alert(t("Write a note before resolving."), color="warning"), dash.no_update, dash.no_update
                resolve(session, alert_id, user=user.username, note=note.strip(), ip=flask.request.remote_addr)
            else:
                acknowledge(session, alert_id, user=user.username, ip=flask.request.remote_addr)
    except ValueError as error:
        return dbc.Alert(str(error), color="danger"), dash.no_update, dash.no_update
    done = t("Alert resolved.") if pressed == RESOLVE else t("Alert acknowledged.")
    return dbc.Alert(done, color="success"), _table(states), _summary()


access.register_page(
    __name__,
    key=KEY,
    path="/peringatan",
    title="Alerts",
    group="Administration",
    icon="bell",
    roles=("direktur", "kepala_it", "bendahara", "operator", "admin"),
    order=90,
    layout=layout,
)
