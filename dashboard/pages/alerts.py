"""Peringatan: the alerts routed to the reader's role (all of them for the administrator), and what people do
with them: take one on (acknowledge), close it with a note (resolve), or ask for a reminder to its role now.

A row is chosen by its alert id, and the server checks it before acting: the alert must be one the reader
sees here, in a state the action allows. Every action is audit-logged by `pantau.alerts`.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, State, dcc, html

from pantau import formatting
from pantau.alerts import (
    AlertStateError,
    ReminderWaitingError,
    UnknownAlertError,
    acknowledge,
    remind,
    resolve,
)
from pantau.db import session_scope
from pantau.models.alerts import ALERT_STATES
from queries.alerts import count_by_state, list_alerts

from .. import access, context, ids
from ..components import freshness
from ..components.empty import empty_state
from ..components.status import label
from ..components.tables import data_table
from ..shell import ROLE_NAMES

KEY = "alerts"
TABLE = ids.make(KEY, "table")
STATES = ids.make(KEY, "states")
NOTE = ids.make(KEY, "note")
ACK = ids.make(KEY, "ack")
RESOLVE = ids.make(KEY, "resolve")
REMIND = ids.make(KEY, "remind")
FEEDBACK = ids.make(KEY, "feedback")
BODY = ids.make(KEY, "body")
SUMMARY = ids.make(KEY, "summary")
TICK = ids.make(KEY, "tick")
SHOWN = ["open", "acknowledged"]


def _audience(user):
    """The reader's role, narrowed to what their pages offer them (operators: their units' SOPs and steps)."""
    return access.alert_audience(user)


def layout(**_query) -> html.Div:
    t = context.t
    button = lambda text, icon, component_id, **kwargs: dbc.Button(  # noqa: E731
        [html.I(className=f"bi bi-{icon} me-1"), t(text)], id=component_id, **kwargs)
    return html.Div(
        [
            html.H1(t("Alerts"), className="page-title"),
            html.Div(id=SUMMARY, children=_summary()),
            dbc.Card(
                dbc.CardBody(
                    [
                        dbc.Checklist(
                            id=STATES,
                            options=[{"label": label(s), "value": s} for s in ALERT_STATES],
                            value=SHOWN,
                            inline=True,
                            className="mb-2",
                        ),
                        html.Div(id=BODY, children=_table(SHOWN)),
                        dbc.InputGroup(
                            [
                                dbc.Input(id=NOTE, placeholder=t("Note (required to resolve)"), maxLength=500),
                                button("Acknowledge", "eye", ACK, color="secondary", outline=True),
                                button("Resolve", "check2-circle", RESOLVE, color="success"),
                            ],
                            className="mt-3",
                        ),
                        html.Div(
                            [button("Send a reminder now", "bell", REMIND, color="link", size="sm",
                                    className="px-0"),
                             html.Span(t("to the alert's role, for an open alert nobody has taken on yet"),
                                       className="small text-body-secondary ms-1")],
                            className="mt-1",
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
    counts = count_by_state(context.engine(), audience=_audience(context.user()))
    lang, fresh = context.lang(), freshness.feed("alerts")
    cards = [
        dbc.Col(dbc.Card(dbc.CardBody([html.Div(label(state), className="kpi-title"),
                                       html.Div(formatting.number(counts[state], lang), className="kpi-value",
                                                id=ids.make(KEY, f"count-{state}")),
                                       freshness.line(fresh, className="small text-body-secondary kpi-fresh")]),
                         className="kpi-card h-100"),
                md=4, className="mb-2")
        for state in ALERT_STATES
    ]
    return dbc.Row(cards)


def _table(states: list[str], keep: list | None = None) -> html.Div:
    """The alerts in `states`; the table is always there (hidden when empty) so the actions can read it.
    Rows whose ids are in `keep` stay selected."""
    t, lang, tz = context.t, context.lang(), context.tz()
    frame = list_alerts(context.engine(), audience=_audience(context.user()), states=states or ["open"], lang=lang)
    moment = lambda v: formatting.moment(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–"  # noqa: E731
    shown = pd.DataFrame({
        "id": frame["id"],
        "severity": frame["severity"].map(label),
        "title": frame["title"],
        "role": [t(ROLE_NAMES.get(role, role)) for role in frame["role"]],
        "state": frame["state"].map(label),
        "by": [by if isinstance(by, str) else "–" for by in frame["resolved_by"].fillna(frame["acknowledged_by"])],
        "opened": frame["opened_at"].map(moment),
        "seen": frame["last_seen_at"].map(moment),
        "reminded": frame["reminded_at"].map(moment),
        "body": frame["body"],
    })
    columns = {"severity": t("Severity"), "title": t("Alert"), "role": t("Role"), "state": t("Status"),
               "by": t("By"), "opened": t("Opened"), "seen": t("Last seen"), "reminded": t("Last reminder"),
               "body": t("Details")}
    kept = [i for i, key in enumerate(shown["id"].tolist()) if keep and key in keep]
    table = data_table(TABLE, shown, columns, row_id="id", row_selectable="single", selected_rows=kept,
                       page_size=20)
    empty = empty_state(t("No alerts in these states."),
                        t("Alerts appear here when a check, a feed or an SOP clock needs someone."), icon="bell-slash")
    return html.Div([empty if frame.empty else None, html.Div(table, hidden=frame.empty),
                     freshness.line(freshness.feed("alerts"), className="small text-body-secondary mt-1 figure-age")])


@dash.callback(Output(BODY, "children"), Input(STATES, "value"), Input(TICK, "n_intervals"),
               State(TABLE, "selected_row_ids"), prevent_initial_call=True)
def _filter(states, _tick, selected):
    return _table(states, keep=selected)


def _alert(alert_id) -> pd.Series | None:
    """The alert the browser named, if it is one the reader sees on this page (else None, whether it does
    not exist or belongs to another role: the page does not say which)."""
    try:
        alert_id = int(alert_id)
    except (TypeError, ValueError):
        return None
    found = list_alerts(context.engine(), audience=_audience(context.user()), states=list(ALERT_STATES), ids=[alert_id],
                        lang=context.lang())
    return None if found.empty else found.iloc[0]


def _refusal(pressed: str, alert: pd.Series) -> str | None:
    """Why the alert's state does not allow the action, in the reader's words (None when it does)."""
    t = context.t
    who = alert["resolved_by"] if alert["state"] == "resolved" else alert["acknowledged_by"]
    if alert["state"] == "resolved":
        return t("This alert was already resolved by {who}.", who=who or "–")
    if alert["state"] == "acknowledged" and pressed == ACK:
        return t("This alert was already acknowledged by {who}.", who=who or "–")
    if alert["state"] == "acknowledged" and pressed == REMIND:
        return t("{who} has taken this alert on; reminders stop once someone has.", who=who or "–")
    return None


@dash.callback(
    Output(FEEDBACK, "children"),
    Output(BODY, "children", allow_duplicate=True),
    Output(SUMMARY, "children"),
    Input(ACK, "n_clicks"),
    Input(RESOLVE, "n_clicks"),
    Input(REMIND, "n_clicks"),
    State(TABLE, "selected_row_ids"),
    State(NOTE, "value"),
    State(STATES, "value"),
    prevent_initial_call=True,
)
def _act(_ack, _resolve, _remind, selected, note, states):
    t, user, pressed = context.t, context.user(), dash.ctx.triggered_id
    warn = lambda text, colour="warning": (dbc.Alert(text, color=colour), dash.no_update, dash.no_update)  # noqa: E731
    if not selected:
        return warn(t("Choose an alert in the table first."))
    alert = _alert(selected[0])
    if alert is None:
        return warn(t("That alert is not yours to change."), "danger")
    if (refusal := _refusal(pressed, alert)) is not None:
        return dbc.Alert(refusal, color="warning"), _table(states, keep=selected), _summary()
    if pressed == RESOLVE and not (note or "").strip():
        return warn(t("Write a note before resolving."))
    alert_id, title = int(alert["id"]), alert["title"]
    try:
        with session_scope(context.engine()) as session:
            if pressed == RESOLVE:
                resolve(session, alert_id, user=user.username, note=note.strip(), ip=flask.request.remote_addr)
                done = t("Alert resolved: {title}.", title=title)
            elif pressed == REMIND:
                remind(session, alert_id, user=user.username, ip=flask.request.remote_addr)
                done = t("Reminder queued for the {role}: {title}. It goes out with the next delivery run.",
                         role=t(ROLE_NAMES.get(alert["role"], alert["role"])), title=title)
            else:
                acknowledge(session, alert_id, user=user.username, ip=flask.request.remote_addr)
                done = t("Alert acknowledged: {title}.", title=title)
    except ReminderWaitingError:
        return warn(t("A reminder of this alert is already waiting to be sent."))
    except (AlertStateError, UnknownAlertError):
        return (dbc.Alert(t("The alert changed in the meantime; the table now shows its current state."),
                          color="warning"), _table(states, keep=selected), _summary())
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
