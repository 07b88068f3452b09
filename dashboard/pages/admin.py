"""Pengguna & Audit: the administrator adds and disables users and reads the audit log."""

from __future__ import annotations

import functools

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, html

from pantau import formatting
from pantau.accounts import create_user, end_sessions, set_active
from pantau.billkinds import update_kind
from pantau.db import session_scope
from pantau.i18n import refusal_words, translate
from pantau.models import BillKind, Prodi
from pantau.prodi import name_prodi
from pantau.settings import ROLES
from queries.admin import audit_log, list_users
from queries.servers.status import monitor_labels

from .. import access, context, ids
from ..components import audit_words
from ..components.tables import data_table
from ..shell import ROLE_NAMES
from . import admin_masters as masters

KEY = "admin"
USERS = ids.make(KEY, "users")
USERS_BODY = ids.make(KEY, "users-body")
NAME = ids.make(KEY, "name")
FULL_NAME = ids.make(KEY, "full-name")
ROLE = ids.make(KEY, "role")
UNIT = ids.make(KEY, "unit")
ADD = ids.make(KEY, "add")
TOGGLE = ids.make(KEY, "toggle")
LOGOUT_ALL = ids.make(KEY, "logout-everywhere")
FEEDBACK = ids.make(KEY, "feedback")
AUDIT = ids.make(KEY, "audit")
AUDIT_FILTER = ids.make(KEY, "audit-filter")
AUDIT_BODY = ids.make(KEY, "audit-body")


def layout(**_query) -> html.Div:
    t = context.t
    role_options = [{"label": t(ROLE_NAMES[r]), "value": r} for r in ROLES]
    form = dbc.Row(
        [
            dbc.Col(dbc.Input(id=NAME, placeholder=t("Username")), md=3),
            dbc.Col(dbc.Input(id=FULL_NAME, placeholder=t("Full name")), md=3),
            dbc.Col([dbc.Label(t("Role"), html_for=ROLE, className="visually-hidden"),
                     dbc.Select(id=ROLE, options=role_options, value="operator")], md=2),
            dbc.Col(dbc.Input(id=UNIT, placeholder=t("Unit (operators)")), md=2),
            dbc.Col(dbc.Button([html.I(className="bi bi-person-plus me-1"), t("Add user")], id=ADD,
                               color="primary", className="w-100"), md=2),
        ],
        className="g-2",
    )
    return html.Div(
        [
            html.H1(t("Users & audit"), className="page-title"),
            dbc.Card(dbc.CardBody([
                html.H2(t("Users"), className="h5"),
                form,
                html.Div(id=FEEDBACK, className="mt-2", role="status"),
                html.Div(id=USERS_BODY, children=_users_table(), className="mt-3"),
                html.Div([
                    dbc.Button(t("Enable / disable selected user"), id=TOGGLE, color="secondary", outline=True,
                               size="sm"),
                    dbc.Button([html.I(className="bi bi-box-arrow-right me-1"), t("Log out everywhere")],
                               id=LOGOUT_ALL, color="danger", outline=True, size="sm",
                               title=t("End every session of the selected user, on every device")),
                ], className="d-flex flex-wrap gap-2 mt-2"),
            ])),
            masters.kind_card(),
            masters.prodi_card(),
            dbc.Card(dbc.CardBody([
                html.H2(t("Audit log"), className="h5"),
                dbc.Label(t("Actions shown"), html_for=AUDIT_FILTER, className="visually-hidden"),
                dbc.Select(id=AUDIT_FILTER, value="all", className="mb-2 w-auto", options=[
                    {"label": t("All actions"), "value": "all"},
                    {"label": t("Log-ins"), "value": "login"},
                    {"label": t("Users"), "value": "user"},
                    {"label": t("Bill kinds and programmes"), "value": "admin."},
                    {"label": t("Alerts"), "value": "alert"},
                    {"label": t("Imports"), "value": "import"},
                    {"label": t("Reconciliation"), "value": "recon"},
                ]),
                html.Div(id=AUDIT_BODY, children=_audit_table("all")),
            ]), className="mt-3"),
        ]
    )


def _users_table():
    t, lang, tz = context.t, context.lang(), context.tz()
    frame = list_users(context.engine())
    frame["role_name"] = frame["role"].map(lambda r: t(ROLE_NAMES.get(r, r)))
    frame["status"] = frame["active"].map(lambda a: t("Active") if a else t("Disabled"))
    frame["last_login"] = frame["last_login_at"].map(
        lambda v: formatting.moment(v.to_pydatetime(), lang, tz) if v is not None and v == v else "–")
    columns = {"username": t("Username"), "full_name": t("Full name"), "role_name": t("Role"),
               "unit": t("Unit"), "status": t("Status"), "last_login": t("Last log-in")}
    return data_table(USERS, frame, columns, row_selectable="single", selected_rows=[], page_size=10)


def _audit_table(prefix: str):
    lang, tz = context.lang(), context.tz()
    t = functools.partial(translate, lang=lang)  # the reader's language found once for the log's 500 rows
    frame = audit_log(context.engine(), action_prefix=None if prefix in ("", "all") else prefix)
    frame["when"] = frame["at"].map(lambda v: formatting.moment(v.to_pydatetime(), lang, tz))
    frame["action"] = frame["action"].map(lambda action: audit_words.action_words(action, t))
    frame["detail"] = frame["detail"].map(lambda detail: audit_words.detail_words(detail, t))
    names = monitor_labels(context.engine())
    frame["target"] = frame["target"].map(lambda target: audit_words.target_words(target, t, names))
    columns = {"when": t("Time"), "actor": t("Actor"), "action": t("Action"), "target": t("Target"),
               "ip": t("Address"), "detail": t("Details")}
    return data_table(AUDIT, frame, columns, page_size=15)


@dash.callback(Output(AUDIT_BODY, "children"), Input(AUDIT_FILTER, "value"))
def _filter_audit(prefix):
    return _audit_table(prefix or "")


@dash.callback(
    Output(FEEDBACK, "children"),
    Output(USERS_BODY, "children"),
    Output(AUDIT_BODY, "children", allow_duplicate=True),
    Input(ADD, "n_clicks"),
    Input(TOGGLE, "n_clicks"),
    Input(LOGOUT_ALL, "n_clicks"),
    State(NAME, "value"),
    State(FULL_NAME, "value"),
    State(ROLE, "value"),
    State(UNIT, "value"),
    State(USERS, "data"),
    State(USERS, "selected_rows"),
    State(AUDIT_FILTER, "value"),
    prevent_initial_call=True,
)
def _change_users(_add, _toggle, _logout, name, full_name, role, unit, rows, selected, prefix):
    t = context.t
    actor = context.user().username
    ip = flask.request.remote_addr
    try:
        with session_scope(context.engine()) as session:
            if dash.ctx.triggered_id == ADD:
                created = create_user(session, (name or "").strip(), role, full_name=(full_name or "").strip(),
                                      unit=(unit or "").strip() or None, actor=actor)
                message = dbc.Alert([t("User created. Their first password (shown once):"), " ",
                                     html.Code(created.password, id=ids.make(KEY, "new-password"))], color="success")
            else:
                if not rows or not selected:
                    return dbc.Alert(t("Choose a user in the table first."),
                                     color="warning"), dash.no_update, dash.no_update
                row = rows[selected[0]]
                if dash.ctx.triggered_id == LOGOUT_ALL:
                    end_sessions(session, row["username"], actor=actor, ip=ip)
                    message = dbc.Alert(t("Every session of {user} has ended; they must log in again.",
                                          user=row["username"]), color="success")
                else:
                    set_active(session, row["username"], row["status"] != t("Active"), actor=actor, ip=ip)
                    message = dbc.Alert(t("User updated."), color="success")
    except ValueError as error:
        return dbc.Alert(refusal_words(error, context.lang()), color="danger"), dash.no_update, dash.no_update
    return message, _users_table(), _audit_table(prefix or "")


@dash.callback(Output(masters.KIND_NAME_ID, "value"), Output(masters.KIND_NAME_EN, "value"),
              Output(masters.KIND_GROUP, "value"), Output(masters.KIND_FLAGS, "value"), Input(masters.KIND, "value"),
              prevent_initial_call=True)
def _show_kind(code):
    with session_scope(context.engine()) as session:
        row = session.get(BillKind, code) if isinstance(code, str) else None
        if row is None:
            return "", "", None, []
        return row.name_id, row.name_en, row.group_code, [flag for flag, _ in masters.FLAGS if getattr(row, flag)]


@dash.callback(Output(masters.KIND_FEEDBACK, "children"), Output(masters.KIND, "options"),
               Output(AUDIT_BODY, "children", allow_duplicate=True), Input(masters.KIND_SAVE, "n_clicks"),
               State(masters.KIND, "value"), State(masters.KIND_NAME_ID, "value"), State(masters.KIND_NAME_EN, "value"),
               State(masters.KIND_GROUP, "value"), State(masters.KIND_FLAGS, "value"), State(AUDIT_FILTER, "value"),
               prevent_initial_call=True)
def _save_kind(_save, code, name_id, name_en, group, flags, prefix):
    t = context.t
    if not isinstance(code, str) or not code:
        return dbc.Alert(t("Choose a bill kind first."), color="warning"), dash.no_update, dash.no_update
    flags = flags if isinstance(flags, list) else []
    try:
        with session_scope(context.engine()) as session:
            changed = update_kind(session, code, name_id=str(name_id or ""), name_en=str(name_en or ""),
                                  group=str(group or ""), per_semester="per_semester" in flags,
                                  tokens_apply="tokens_apply" in flags, active="active" in flags,
                                  actor=context.user().username, ip=flask.request.remote_addr)
    except ValueError as error:
        return dbc.Alert(refusal_words(error, context.lang()), color="danger"), dash.no_update, dash.no_update
    message = t("Bill kind saved.") if changed else t("Nothing changed.")
    return dbc.Alert(message, color="success"), masters.kind_options(), _audit_table(prefix or "")


@dash.callback(Output(masters.PRODI_NAME, "value"), Output(masters.PRODI_JENJANG, "value"),
               Output(masters.PRODI_JURUSAN, "value"), Output(masters.PRODI_FAKULTAS, "value"),
               Input(masters.PRODI, "value"), prevent_initial_call=True)
def _show_prodi(prodi_id):
    with session_scope(context.engine()) as session:
        row = session.get(Prodi, int(prodi_id)) if str(prodi_id or "").isdigit() else None
        if row is None:
            return "", None, "", ""
        return ("" if row.name_unknown else row.name), row.jenjang or None, row.jurusan, row.fakultas or ""


@dash.callback(Output(masters.PRODI_FEEDBACK, "children"), Output(masters.PRODI, "options"),
               Output(AUDIT_BODY, "children", allow_duplicate=True), Input(masters.PRODI_SAVE, "n_clicks"),
               State(masters.PRODI, "value"), State(masters.PRODI_NAME, "value"),
               State(masters.PRODI_JENJANG, "value"), State(masters.PRODI_JURUSAN, "value"),
               State(masters.PRODI_FAKULTAS, "value"), State(AUDIT_FILTER, "value"), prevent_initial_call=True)
def _save_prodi(_save, prodi_id, name, jenjang, jurusan, fakultas, prefix):
    t = context.t
    if not str(prodi_id or "").isdigit():
        return dbc.Alert(t("Choose a study programme first."), color="warning"), dash.no_update, dash.no_update
    try:
        with session_scope(context.engine()) as session:
            changed = name_prodi(session, int(prodi_id), name=str(name or ""), jenjang=str(jenjang or ""),
                                 jurusan=str(jurusan or ""), fakultas=str(fakultas or ""),
                                 actor=context.user().username, ip=flask.request.remote_addr)
    except ValueError as error:
        return dbc.Alert(refusal_words(error, context.lang()), color="danger"), dash.no_update, dash.no_update
    message = t("Study programme saved.") if changed else t("Nothing changed.")
    return dbc.Alert(message, color="success"), masters.prodi_options(), _audit_table(prefix or "")


access.register_page(
    __name__,
    key=KEY,
    path="/pengguna",
    title="Users & audit",
    group="Administration",
    icon="people",
    roles=("admin",),
    order=95,
    layout=layout,
)
