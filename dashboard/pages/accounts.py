"""Akun Digital & Webservice: the register of digital service accounts and their custodians, access requests
with their time to decision (AKUN SOP), and webservice accounts with their one-year validity (WS SOP):
those expiring soon, and expired ones the source still sees in use.

Directors, the IT head and administrators see both parts; an operator sees the part of each SOP assigned to
their unit (checked in the layout and in each callback).
"""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from pantau import formatting
from pantau.models import utcnow
from pantau.ws_accounts import account_settings
from queries import accounts as queries

from .. import access, context, ids
from ..components import freshness, graph
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.tables import data_table
from ..theme import COLOURS

KEY = "accounts"
AKUN, WS = "AKUN", "WS"
TICK = ids.make(KEY, "tick")
AKUN_SUMMARY = ids.make(KEY, "akun-summary")
SERVICES = ids.make(KEY, "services")
REGISTER = ids.make(KEY, "register")
REQUESTS = ids.make(KEY, "requests")
WS_SUMMARY = ids.make(KEY, "ws-summary")
WEBSERVICE = ids.make(KEY, "webservice")
YEAR = timedelta(days=365)
WS_WORDS = {"expired_in_use": "Expired, still in use", "expiring": "Expiring soon", "active": "Valid",
            "expired": "Expired"}
DECISIONS = {"diberikan": "Granted", "ditolak": "Rejected"}


def _parts() -> list[str]:
    return access.assigned_sops(context.user(), (AKUN, WS))


def _require(code: str) -> None:
    if code not in _parts():
        flask.abort(403)


def _warning() -> timedelta:
    try:
        return account_settings(context.settings()).warning
    except ValueError:
        return queries.EXPIRY_WARNING


def _card(title: str, body) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3")


def layout(**_query) -> html.Div:
    parts = _parts()
    if not parts:
        return access.not_authorised()
    t = context.t
    blocks: list = [html.H1(t("Digital accounts & webservice"), className="page-title mb-1"),
                    html.Div(freshness.subject_line("accounts"), className="mb-3")]
    if WS in parts:
        blocks += [html.Div(id=WS_SUMMARY), _card(t("Webservice accounts and their one-year validity"),
                                                  html.Div(id=WEBSERVICE))]
    if AKUN in parts:
        blocks += [
            html.Div(id=AKUN_SUMMARY),
            _card(t("Access requests in the last 12 months"), html.Div(id=REQUESTS)),
            _card(t("Register of digital service accounts"), html.Div([html.Div(id=SERVICES), html.Div(id=REGISTER)])),
        ]
    return html.Div([*blocks, dcc.Interval(id=TICK, interval=300_000)])


@dash.callback(Output(WS_SUMMARY, "children"), Output(WEBSERVICE, "children"), Input(TICK, "n_intervals"))
def _webservice(_tick):
    _require(WS)
    t, lang, tz, engine, now = context.t, context.lang(), context.tz(), context.engine(), utcnow()
    warning = _warning()
    counts, frame = context.cached("accounts.ws", [warning], ["sla"], lambda: (
        queries.ws_counts(engine, now, warning), queries.ws_accounts(engine, now, warning, limit=500)))
    days = warning.days
    fresh, scope = freshness.feed("accounts", now), t("every webservice account")
    cards = [
        kpi_card(t("Valid webservice accounts"), formatting.number(counts["active"] + counts["expiring"], lang), "info",
                 note=t("Each is valid for one year"), fresh=fresh, scope=scope),
        kpi_card(t("Expiring within {days} days", days=days), formatting.number(counts["expiring"], lang),
                 "warn" if counts["expiring"] else "good",
                 note=t("The IT head is alerted; contacts are told where set"), fresh=fresh, scope=scope),
        kpi_card(t("Expired, still in use"), formatting.number(counts["expired_in_use"], lang),
                 "bad" if counts["expired_in_use"] else "good", note=t("Used after the validity ended"), fresh=fresh,
                 scope=scope),
        kpi_card(t("Expired"), formatting.number(counts["expired"], lang), "info", note=t("Not used since"),
                 fresh=fresh, scope=scope),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])
    if frame.empty:
        return summary, freshness.aged(empty_state(
            t("No webservice accounts yet."), t("Accounts are created by step 3 of the webservice SOP (Divisi PSI)."),
            icon="key"), fresh, now)
    shown = pd.DataFrame({
        "status": [t(WS_WORDS[s]) for s in frame["state"]],
        "unit": frame["unit"], "contact": [f"{n} · {e}" for n, e in zip(frame["contact_name"], frame["email"])],
        "scope": frame["data_scope"],
        "until": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["valid_until"]],
        "left": [_left(v.to_pydatetime() - now) for v in frame["valid_until"]],
        "used": [formatting.moment(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–" for v in frame["last_used_at"]],
    })
    table = data_table(ids.make(KEY, "ws-table"), shown, {
        "status": t("Status"), "unit": t("Requesting unit"), "contact": t("Contact"), "scope": t("Data"),
        "until": t("Valid until"), "left": t("Time left"), "used": t("Last used")}, page_size=10,
        style_data_conditional=[{"if": {"filter_query": f'{{status}} = "{t(WS_WORDS[s])}"', "column_id": "status"},
                                 "color": colour, "fontWeight": "600"}
                                for s, colour in (("expired_in_use", COLOURS["bad"]), ("expiring", COLOURS["warn"]))])
    return summary, freshness.aged(table, fresh, now)


def _left(span: timedelta) -> str:
    lang = context.lang()
    if span.total_seconds() < 0:
        return context.t("{span} ago", span=formatting.duration(-span, lang, 1))
    return formatting.duration(span, lang, 1)


@dash.callback(Output(AKUN_SUMMARY, "children"), Output(REQUESTS, "children"), Output(SERVICES, "children"),
               Output(REGISTER, "children"), Input(TICK, "n_intervals"))
def _akun(_tick):
    _require(AKUN)
    t, lang, engine, now = context.t, context.lang(), context.engine(), utcnow()
    decided, size, requested, services, register_rows = context.cached("accounts.akun", [], ["sla"], lambda: (
        queries.access_decisions(engine, now - YEAR, now), queries.register_size(engine),
        queries.access_requests(engine, now - YEAR, now), queries.services(engine),
        queries.register(engine, limit=1000)))
    ages = freshness.feeds("accounts", "access-requests", now=now)
    register, requests = ages["accounts"], ages["access-requests"]
    year = t("requests of the last 12 months")
    cards = [
        kpi_card(t("Accounts in the register"), formatting.number(size, lang), "info",
                 note=t("Digital service accounts the unit manages"), fresh=register, scope=t("the whole register")),
        kpi_card(t("Access requests"), formatting.number(decided.requests, lang), "info",
                 note=t("{granted} granted, {rejected} rejected, {pending} waiting",
                        granted=formatting.number(decided.granted, lang),
                        rejected=formatting.number(decided.rejected, lang),
                        pending=formatting.number(decided.pending, lang)), fresh=requests, scope=year),
        kpi_card(t("Time to decision"), formatting.duration(decided.median_s, lang), "info",
                 note=t("Median; P90 {p90}", p90=formatting.duration(decided.p90_s, lang)),
                 fresh=requests, scope=year),
        kpi_card(t("Granted"), formatting.percent(decided.grant_rate, lang), "info",
                 note=t("Of the decided requests") if decided.grant_rate is not None else t("No request decided yet"),
                 fresh=requests, scope=year),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])
    # the tables (up to a thousand rows) and the chart drawn once from the reads they come from, in each language
    request_table, service_chart, register_table = context.cached(
        "accounts.akun.tables", [lang, context.tz()], ["sla"],
        lambda: (_requests(requested), _services(services), _register(register_rows, size)))
    return (summary, freshness.aged(request_table, requests, now), freshness.aged(service_chart, register, now),
            freshness.aged(register_table, register, now))


def _requests(frame: pd.DataFrame):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No access request in the last 12 months."),
                           t("Requests by WhatsApp or e-mail are recorded on the SLA page."), icon="person-lock")
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "subject": frame["subject"].fillna(""),
        "channel": frame["channel"].fillna("–").str.replace("whatsapp", "WhatsApp").str.replace("email", "E-mail"),
        "received": [formatting.moment(v.to_pydatetime(), lang, tz) for v in frame["opened_at"]],
        "decision": [t(DECISIONS.get(d, "Waiting")) if isinstance(d, str) else t("Waiting") for d in frame["decision"]],
        "wait": [formatting.duration(s, lang) if pd.notna(s) else "–" for s in frame["wait_s"]],
    })
    return data_table(ids.make(KEY, "request-table"), shown, {
        "case_ref": t("Request"), "subject": t("Subject"), "channel": t("Channel"), "received": t("Received"),
        "decision": t("Decision"), "wait": t("Time to decision")}, page_size=10)


def _services(frame: pd.DataFrame):
    t, lang = context.t, context.lang()
    if frame.empty:
        return empty_state(t("The register is empty."), icon="card-list")
    shown = frame.head(15).iloc[::-1]
    figure = go.Figure([
        go.Bar(y=shown["service"], x=shown["active"], orientation="h", name=t("Active"),
               marker_color=COLOURS["primary"]),
        go.Bar(y=shown["service"], x=shown["accounts"] - shown["active"], orientation="h", name=t("Inactive"),
               marker_color=COLOURS["muted"]),
    ])
    figure.update_layout(title=t("Accounts per service"), barmode="stack", height=max(220, 80 + 20 * len(shown)),
                         margin={"l": 8, "r": 8, "t": 48, "b": 8}, legend=graph.LEGEND_BELOW,
                         separators=graph.separators(lang))
    figure.update_xaxes(title_text=t("Accounts"), automargin=True, **graph.count_ticks(float(shown["accounts"].max())))
    figure.update_yaxes(automargin=True)
    return graph.graph(figure)


def _register(frame: pd.DataFrame, size: int):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("The register is empty."),
                           t("Accounts are added by step 4 of the digital accounts SOP."), icon="card-list")
    shown = pd.DataFrame({
        "service": frame["service"], "account": frame["account_name"], "custodian": frame["custodian"],
        "unit": frame["unit"],
        "registered": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["registered_at"]],
        "status": [t("Active") if s == "aktif" else t("Inactive") for s in frame["status"]],
    })
    note = (html.Div(t("Showing the newest {count} of {total}.", count=formatting.number(len(frame), lang),
                       total=formatting.number(size, lang)), className="small text-body-secondary")
            if size > len(frame) else None)
    return html.Div([data_table(ids.make(KEY, "register-table"), shown, {
        "service": t("Service"), "account": t("Account"), "custodian": t("Custodian"), "unit": t("Unit"),
        "registered": t("Registered"), "status": t("Status")}, page_size=10), note])


access.register_page(
    __name__,
    key=KEY,
    path="/akun",
    title="Digital accounts & webservice",
    group="Services & SOPs",
    icon="key",
    roles=("direktur", "kepala_it", "admin", "operator"),
    order=60,
    layout=layout,
    sops=(AKUN, WS),
)
