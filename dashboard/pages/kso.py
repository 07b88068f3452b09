"""KSO / SKP: training requests under the KSO SOP, from the request letter to the letter confirming payment.

Each request's steps on a timeline beside their standard times, the kolegium's SKP verification in SIAKSI
shown as an outside party's wait, approval and rejection rates, the lead time from request to activity,
and the invoices issued, paid and overdue in Rupiah. The receiving treasurer sees the invoices only;
operators see the page when their unit is assigned the KSO SOP (checked in the layout and the callbacks).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from pantau import formatting
from pantau.models import utcnow
from pantau.sla.context import sla_context
from queries import kso as queries

from .. import access, context, ids
from ..components import freshness, graph
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.status import label
from ..components.tables import data_table
from ..theme import COLOURS

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
STATE_COLOURS = {"met": COLOURS["good"], "breached": COLOURS["bad"], "at_risk": COLOURS["warn"],
                 "open": COLOURS["primary"], "waiting": "#56B4E9", "done": COLOURS["muted"]}


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
    decided = queries.decisions(engine, since, until)
    leads = queries.lead_times(engine, since, until)
    waiting = queries.waiting_on_kolegium(engine, [now])[0]
    median = leads["lead_s"].median() if not leads.empty else None
    fresh = freshness.feed("workflow", now)
    aged = lambda body: freshness.aged(body, fresh, now)  # noqa: E731
    cards = [
        kpi_card(t("Requests received"), formatting.number(decided.requests, lang), "info",
                 note=t("{decided} decided by the kolegium", decided=formatting.number(decided.decided, lang)),
                 fresh=fresh),
        kpi_card(t("Approved"), formatting.percent(decided.approval_rate, lang), "none" if decided.approval_rate is None
                 else "info",
                 note=t("Rejected: {share} ({count})", share=formatting.percent(decided.rejection_rate, lang),
                                     count=formatting.number(decided.rejected, lang)), fresh=fresh),
        kpi_card(t("Lead time to the activity"), _days(median), "info", note=t("Median, request to activity"),
                 fresh=fresh),
        kpi_card(t("Waiting on the kolegium"), formatting.number(waiting, lang), "info",
                 note=t("Outside party; tracked apart from the institution's own time"), fresh=fresh),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])
    listed = queries.requests(engine, since, until, now)
    options = [{"label": f"{row.case_ref} · {row.title or ''}"[:90], "value": int(row.case_id)}
               for row in listed.itertuples()]
    return (summary, aged(_lead_figure(leads)), aged(_waiting(queries.waiting_list(engine), now)),
            aged(_requests(listed)), options, options[0]["value"] if options else None)


def _days(seconds) -> str:
    if seconds is None or pd.isna(seconds):
        return "–"
    return context.t("{days} days", days=formatting.number(seconds / 86_400, context.lang(), 0))


def _lead_figure(leads: pd.DataFrame):
    t, lang = context.t, context.lang()
    if leads.empty:
        return empty_state(t("No activity has started for the requests of this period."), icon="calendar-event")
    days = leads["lead_s"] / 86_400
    start = math.floor(days.min() / 7) * 7
    tallest = float(((days - start) // 7).value_counts().max())
    figure = go.Figure(go.Histogram(x=days, xbins={"start": start, "size": 7}, marker_color=COLOURS["primary"],
                                    hovertemplate=t("%{x} days: %{y} requests") + "<extra></extra>"))
    figure.add_vline(x=float(days.median()), line_dash="dash", line_color=COLOURS["muted"],
                     annotation_text=t("Median"), annotation_position="top")
    figure.update_layout(title=t("Requests by days from request to activity"), height=300, bargap=0.05,
                         separators=graph.separators(lang), margin={"l": 48, "r": 8, "t": 48, "b": 48})
    figure.update_xaxes(title_text=t("Days from request to activity"))
    figure.update_yaxes(title_text=t("Requests"), **graph.count_ticks(tallest))
    return graph.graph(figure)


def _waiting(frame: pd.DataFrame, now: datetime):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No request is waiting on the kolegium."), icon="check2-circle")
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "title": frame["title"].fillna(""),
        "since": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["started_at"]],
        "waited": [formatting.duration(now - v.to_pydatetime(), lang, 1) for v in frame["started_at"]],
        "standard": [t("past the standard") if pd.notna(due) and due.to_pydatetime() < now else t("within the standard")
                     for due in frame["due_at"]],
    })
    return data_table(ids.make(KEY, "waiting-table"), shown, {
        "case_ref": t("Request"), "title": t("Training"), "since": t("Sent to the kolegium"), "waited": t("Waiting"),
        "standard": t("Standard time (1 month)")}, page_size=8)


def _requests(frame: pd.DataFrame):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No KSO request was received in this period."),
                           t("Requests arrive through `pantau import events`, the events API or the SLA page's form."),
                           icon="inbox")
    names = _step_names()
    outcomes = {"setuju": t("Approved"), "ditolak": t("Rejected")}
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "title": frame["title"].fillna(""), "organiser": frame["organiser"].fillna(""),
        "received": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["opened_at"]],
        "now": [f"{names.get(step, step)} · {label(state if state != 'open' else 'in_progress')}"
                if isinstance(step, str)
                else (outcomes.get(outcome, t("Closed")) if isinstance(outcome, str) else "–")
                for step, state, outcome in zip(frame["current_step"], frame["state"], frame["outcome"])],
    })
    return data_table(ids.make(KEY, "request-table"), shown, {
        "case_ref": t("Request"), "title": t("Training"), "organiser": t("Organiser"), "received": t("Received"),
        "now": t("Where it is")}, page_size=10)


def _step_names() -> dict[str, str]:
    sop = sla_context(context.settings()).catalogue.get(SOP)
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
    return freshness.aged(graph.graph(gantt(steps, _step_names(), now)), fresh, now)


def gantt(steps: pd.DataFrame, names: dict[str, str], now: datetime) -> go.Figure:
    """Per step two bars from its start: its standard time (grey) and the time it took (by state; to now while
    open); the kolegium's wait is hatched and marked as an outside party's."""
    t, lang, tz = context.t, context.lang(), context.tz()
    local = lambda column: steps[column].dt.tz_convert(tz).dt.tz_localize(None)  # noqa: E731
    start, due = local("started_at"), local("due_at")
    end = local("completed_at").fillna(pd.Timestamp(now).tz_convert(tz).tz_localize(None))
    rows = [names.get(k, k) + (f" ({t('outside party')})" if outside else "")
            for k, outside in zip(steps["step_key"], steps["outside_party"])]
    standard = (due - start).dt.total_seconds() * 1000
    figure = go.Figure()
    figure.add_trace(go.Bar(
        y=rows, base=start, x=standard, orientation="h", name=t("Standard time"), marker_color="#ced4da",
        hovertext=[f"{row}<br>{t('Standard time')}: {formatting.duration(s / 1000, lang) if pd.notna(s) else '–'}"
                   for row, s in zip(rows, standard)], hoverinfo="text"))
    figure.add_trace(go.Bar(
        y=rows, base=start, x=(end - start).dt.total_seconds() * 1000, orientation="h", name=t("Time taken"),
        marker={"color": [STATE_COLOURS.get(s, COLOURS["muted"]) for s in steps["state"]],
                "pattern": {"shape": ["/" if o else "" for o in steps["outside_party"]]}},
        hovertext=[f"{row}<br>{t('Started')}: {formatting.moment(a.to_pydatetime(), lang, tz)}<br>{t('Time taken')}: "
                   f"{formatting.duration((b - a).total_seconds(), lang)}"
                   f"<br>{label(s if s != 'open' else 'in_progress')}"
                   for row, a, b, s in zip(rows, steps["started_at"], end.dt.tz_localize(tz), steps["state"])],
        hoverinfo="text"))
    figure.update_layout(title=t("Steps of the request: standard time beside the time taken"), barmode="group",
                         height=max(260, 110 + 48 * len(rows)), bargap=0.25, separators=graph.separators(lang),
                         margin={"l": 8, "r": 8, "t": 72, "b": 56},
                         legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"})
    figure.update_xaxes(**graph.date_axis(lang, hours=True),
                        title_text=t("Date ({zone})", zone=pd.Timestamp(now).tz_convert(tz).tzname()))
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


@dash.callback(Output(INVOICE_SUMMARY, "children"), Output(INVOICES, "children"), Input(PERIOD, "value"))
def _invoices(period):
    if not _sees_invoices():
        flask.abort(403)
    t, lang, tz, engine, now = context.t, context.lang(), context.tz(), context.engine(), utcnow()
    since, until = period_bounds(period, now, tz)
    totals = queries.invoice_totals(engine, since, until, now)
    count = lambda n: t("{count} invoices", count=formatting.number(n, lang))  # noqa: E731
    fresh = freshness.feed("workflow", now)
    cards = [
        kpi_card(t("Invoices issued"), formatting.rupiah(totals.issued_amount, lang), "info", note=count(totals.issued),
                 fresh=fresh),
        kpi_card(t("Paid"), formatting.rupiah(totals.paid_amount, lang), "good" if totals.paid == totals.issued
                 else "info",
                 note=count(totals.paid), fresh=fresh),
        kpi_card(t("Overdue"), formatting.rupiah(totals.overdue_amount, lang), "bad" if totals.overdue else "good",
                 note=t("{invoices}, unpaid past the payment step's standard time", invoices=count(totals.overdue)),
                 fresh=fresh),
    ]
    summary = dbc.Row([dbc.Col(card, xs=12, md=4, className="mb-3") for card in cards])
    frame = queries.invoices(engine, since, until, now)
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
