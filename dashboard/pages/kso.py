"""KSO / SKP: training requests under the KSO SOP, from the request letter to the letter confirming payment.

Each request's steps on a timeline beside their standard times, the kolegium's SKP verification in SIAKSI
shown as an outside party's wait, approval and rejection rates, the lead time from request to activity,
and the invoices issued, paid and overdue in Rupiah. The receiving treasurer sees the invoices only;
operators see the page when their unit is assigned the KSO SOP (checked in the layout and the callbacks).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, dcc, html

from pantau import formatting
from pantau.models import utcnow
from queries import kso as queries

from .. import access, context, ids
from ..components import freshness, graph
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.sop_version import version_line
from ..components.tables import data_table
from . import kso_blocks as blocks
from . import kso_figures as figures

KEY = "kso"
SOP = "KSO"
PERIOD = ids.make(KEY, "period")
SUMMARY = ids.make(KEY, "summary")
REQUEST = ids.make(KEY, "request")
GANTT = ids.make(KEY, "gantt")
LEAD = ids.make(KEY, "lead")
REQUESTS = ids.make(KEY, "requests")
WAITING = ids.make(KEY, "waiting")
INVOICE_SUMMARY = ids.make(KEY, "invoice-summary")
INVOICES = ids.make(KEY, "invoices")
PERIODS = {"12m": "Last 12 months", "year": "This year", "last-year": "Last year"}
INVOICE_STATES = {"paid": "Paid", "unpaid": "Unpaid", "overdue": "Overdue"}
SCOPES = {"12m": "requests received in the last 12 months", "year": "requests received this year",
          "last-year": "requests received last year"}
"""What the period's cards count over, by period (the requests, and the invoices of the requests, received in
it); the kolegium's queue is counted now, over every request."""


def _scope(period) -> str:
    return context.t(SCOPES.get(period, SCOPES["12m"]))


def _sees_requests() -> bool:
    user = context.user()
    return user.role != "bendahara" and bool(access.assigned_sops(user, (SOP,)))


def _sees_invoices() -> bool:
    return context.user().role == "bendahara" or _sees_requests()


def period_bounds(key: str, now: datetime, zone: str) -> tuple[datetime, datetime]:
    """[since, until) of a period choice, in the campus's calendar."""
    local = now.astimezone(ZoneInfo(zone))
    if key == "year":
        return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0), now + timedelta(seconds=1)
    if key == "last-year":
        start = local.replace(year=local.year - 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, start.replace(year=local.year)
    return now - timedelta(days=365), now + timedelta(seconds=1)


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3", **kwargs)


def layout(period: str | None = None, **_query) -> html.Div:
    """The page; ``?period=12m|year|last-year`` preselects the period of requests received."""
    t = context.t
    if not _sees_invoices():
        return access.not_authorised()
    heading = html.Div([html.H1(t("KSO / SKP"), className="page-title mb-0"), freshness.subject_line("kso")])
    picker = dcc.Dropdown(id=PERIOD, clearable=False, value=period if period in PERIODS else "12m",
                          options=[{"label": t(name), "value": key} for key, name in PERIODS.items()],
                          style={"minWidth": "14rem"})
    invoices = [html.Div(id=INVOICE_SUMMARY), _card(t("Invoices"), html.Div(id=INVOICES))]
    top = html.Div([heading, picker],
                   className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3")
    if not _sees_requests():
        return html.Div([top, html.P(t("Invoices of the KSO requests received in the period."),
                                     className="text-body-secondary"), *invoices])
    return html.Div([
        top,
        dcc.Loading(html.Div(id=SUMMARY), delay_show=400),
        _card(t("Request timeline against the standard times"), html.Div([
            dcc.Dropdown(id=REQUEST, placeholder=t("Choose a request"), className="mb-2", style={"maxWidth": "40rem"}),
            html.Div(id=GANTT),
        ])),
        dbc.Row([
            dbc.Col(_card(t("Lead time from request to activity"), html.Div(id=LEAD)), lg=6),
            dbc.Col(_card(t("Waiting on the kolegium (SKP verification in SIAKSI)"), html.Div(id=WAITING)), lg=6),
        ]),
        *invoices,
        _card(t("Requests"), html.Div(id=REQUESTS)),
    ])


@dash.callback(
    Output(SUMMARY, "children"), Output(LEAD, "children"), Output(WAITING, "children"), Output(REQUESTS, "children"),
    Output(REQUEST, "options"), Output(REQUEST, "value"),
    Input(PERIOD, "value"),
)
def _refresh(period):
    if not _sees_requests():
        flask.abort(403)
    t, lang, engine, now = context.t, context.lang(), context.engine(), utcnow()
    since, until = period_bounds(period, now, context.tz())
    decided, leads, waiting = context.cached("kso.requests", [period], ["sla"], lambda: (
        queries.decisions(engine, since, until), queries.lead_times(engine, since, until),
        queries.waiting_on_kolegium(engine, [now])[0]))
    median = leads["lead_s"].median() if not leads.empty else None
    fresh = freshness.feed("workflow", now)
    aged = lambda body: freshness.aged(body, fresh, now)  # noqa: E731
    scope = _scope(period)
    cards = [
        kpi_card(t("Requests received"), formatting.number(decided.requests, lang), "info",
                 note=t("{decided} decided by the kolegium", decided=formatting.number(decided.decided, lang)),
                 fresh=fresh, scope=scope),
        kpi_card(t("Approved"), formatting.percent(decided.approval_rate, lang), "none" if decided.approval_rate is None
                 else "info",
                 note=t("Rejected: {share} ({count})", share=formatting.percent(decided.rejection_rate, lang),
                                     count=formatting.number(decided.rejected, lang)), fresh=fresh, scope=scope),
        kpi_card(t("Lead time to the activity"), _days(median), "info", note=t("Median, request to activity"),
                 fresh=fresh, scope=scope),
        kpi_card(t("Waiting on the kolegium"), formatting.number(waiting, lang), "info",
                 note=t("Outside party; tracked apart from the institution's own time"), fresh=fresh,
                 scope=t("every open request, now")),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])
    listed, waiting_list = context.cached("kso.lists", [period], ["sla"], lambda: (
        queries.requests(engine, since, until, now), queries.waiting_list(engine)))
    options = [{"label": f"{row.case_ref} · {row.title or ''}"[:90], "value": int(row.case_id)}
               for row in listed.itertuples()]
    used = [None if pd.isna(v) else int(v) for v in listed.get("sop_version", [])]
    versions = version_line(context.sla(), SOP, used, ids.make(KEY, "version"))
    lead = context.cached("kso.lead", [period, lang], ["sla"], lambda: figures.lead_figure(leads))
    return (summary, aged(lead), aged(blocks.waiting_table(waiting_list, now)),
            html.Div([versions, aged(blocks.request_table(listed, _step_names()))]), options,
            options[0]["value"] if options else None)


def _days(seconds) -> str:
    if seconds is None or pd.isna(seconds):
        return "–"
    return context.t("{days} days", days=formatting.number(seconds / 86_400, context.lang(), 0))


def _step_names() -> dict[str, str]:
    sop = context.sla().catalogue.get(SOP)
    if sop is None:
        return {}
    return {s.key: f"{s.number}. " + (s.name if len(s.name) <= 48 else s.name[:47] + "…") for s in sop.steps}


@dash.callback(Output(GANTT, "children"), Input(REQUEST, "value"))
def _timeline(case_id):
    if not _sees_requests():
        flask.abort(403)
    t = context.t
    if not case_id:
        return empty_state(t("Choose a request to see its steps."), icon="bar-chart-steps")
    now = utcnow()
    steps = queries.timeline(context.engine(), int(case_id), now)
    fresh = freshness.feed("workflow", now)
    if steps.empty:
        return freshness.aged(empty_state(t("This request has no measured steps yet."), icon="bar-chart-steps"),
                              fresh, now)
    return freshness.aged(graph.graph(figures.gantt(steps, _step_names(), now), wide=True), fresh, now)


@dash.callback(Output(INVOICE_SUMMARY, "children"), Output(INVOICES, "children"), Input(PERIOD, "value"))
def _invoices(period):
    if not _sees_invoices():
        flask.abort(403)
    t, lang, tz, engine, now = context.t, context.lang(), context.tz(), context.engine(), utcnow()
    since, until = period_bounds(period, now, tz)
    totals = context.cached("kso.invoice_totals", [period], ["sla"],
                            lambda: queries.invoice_totals(engine, since, until, now))
    count = lambda n: t("{count} invoices", count=formatting.number(n, lang))  # noqa: E731
    fresh, scope = freshness.feed("workflow", now), _scope(period)
    cards = [
        kpi_card(t("Invoices issued"), formatting.rupiah(totals.issued_amount, lang), "info", note=count(totals.issued),
                 fresh=fresh, scope=scope),
        kpi_card(t("Paid"), formatting.rupiah(totals.paid_amount, lang), "good" if totals.paid == totals.issued
                 else "info",
                 note=count(totals.paid), fresh=fresh, scope=scope),
        kpi_card(t("Overdue"), formatting.rupiah(totals.overdue_amount, lang), "bad" if totals.overdue else "good",
                 note=t("{invoices}, unpaid past the payment step's standard time", invoices=count(totals.overdue)),
                 fresh=fresh, scope=scope),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, md=4, className="mb-3") for card in cards])
    frame = context.cached("kso.invoices", [period], ["sla"], lambda: queries.invoices(engine, since, until, now))
    if frame.empty:
        return summary, freshness.aged(empty_state(t("No invoice was issued for the requests of this period."),
                                                   icon="receipt"), fresh, now)
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "title": frame["title"].fillna(""), "organiser": frame["organiser"].fillna(""),
        "participants": [formatting.number(v, lang) if pd.notna(v) else "–" for v in frame["participants"]],
        "amount": [formatting.rupiah(v, lang) for v in frame["amount"]],
        "issued": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["issued_at"]],
        "paid": [formatting.day(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–" for v in frame["paid_at"]],
        "state": [t(INVOICE_STATES[s]) for s in frame["state"]],
    })
    table = data_table(ids.make(KEY, "invoice-table"), shown, {
        "case_ref": t("Request"), "title": t("Training"), "organiser": t("Organiser"),
        "participants": t("Participants"),
        "amount": t("Amount"), "issued": t("Issued"), "paid": t("Paid on"), "state": t("Status")}, page_size=10)
    return summary, freshness.aged(table, fresh, now)


access.register_page(
    __name__,
    key=KEY,
    path="/kso",
    title="KSO / SKP",
    group="Services & SOPs",
    icon="journal-check",
    roles=("direktur", "admin", "bendahara", "operator"),
    order=55,
    layout=layout,
    sops=(SOP,),
)
