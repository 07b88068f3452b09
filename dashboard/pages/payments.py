"""Pembayaran & Rekonsiliasi: which bills are paid, how collection keeps to the deadline, what is
overdue, and the reconciliation of bank credits with its exception queue.

The bendahara (and the administrator) resolve cases; the director reads. Every figure reads the
rollups that reconciliation rebuilds, so the page is as quick at a million bills as at a thousand.
The layout arrives with its figures drawn for the filters it sets (one round trip, not two), so their callbacks
run only when a filter changes (and where the language switch brings filters back,
`access.redraw_when_restored`).
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, dcc, html

from pantau import formatting
from pantau.db import session_scope
from pantau.models import utcnow
from pantau.recon import RESOLVERS, CaseError, resolve_case
from queries import bill_labels, bill_rows, kind_breakdown, recon_cases
from queries import payments as queries

from .. import access, context, ids
from ..components import exports, freshness
from ..components.empty import empty_state
from ..components.kind_table import kind_table
from ..components.tables import data_table
from . import payments_blocks as blocks
from . import payments_figures as figures
from .payments_bank import bank_feed

KEY = "payments"
SEMESTER = ids.make(KEY, "semester")
ALL_SEMESTERS = "all"
KINDS = ids.make(KEY, "kinds")
PRODI = ids.make(KEY, "prodi")
ANGKATAN = ids.make(KEY, "angkatan")
GROUPING = ids.make(KEY, "grouping")
MEASURE = ids.make(KEY, "measure")
SUMMARY = ids.make(KEY, "summary")
PAID = ids.make(KEY, "paid")
KINDS_TABLE = ids.make(KEY, "kinds-table")
KIND_BREAKDOWN = ids.make(KEY, "kind-breakdown")
CURVE = ids.make(KEY, "curve")
AGEING = ids.make(KEY, "ageing")
RECON = ids.make(KEY, "recon")
CASES = ids.make(KEY, "cases")
CASE_TABLE = ids.make(KEY, "case-table")
NOTE = ids.make(KEY, "note")
RESOLVE = ids.make(KEY, "resolve")
FEEDBACK = ids.make(KEY, "feedback")
STATE = ids.make(KEY, "state")
SEARCH = ids.make(KEY, "search")
BILLS = ids.make(KEY, "bills")
DL_CSV = ids.make(KEY, "download-csv")
DL_XLSX = ids.make(KEY, "download-xlsx")
DOWNLOAD = ids.make(KEY, "download")
MACHINE = ids.make(KEY, "download-machine")
TICK = ids.make(KEY, "tick")
RESOLVED = ids.make(KEY, "settled")
"""The id of the case last resolved: the KPI cards read it again after a resolution."""
FILTERS = [Input(SEMESTER, "value"), Input(KINDS, "value"), Input(PRODI, "value"), Input(ANGKATAN, "value")]
DRILL_ROWS = 200
DOWNLOAD_ROWS = 200_000


def _today() -> date:
    return formatting.local(utcnow(), context.tz()).date()


def _bills(semester, kinds, prodi, angkatan) -> queries.BillFilter:
    return queries.BillFilter(None if semester == ALL_SEMESTERS else semester or None, tuple(kinds or ()), prodi,
                              angkatan)


def _current_semester() -> str:
    return context.cached("payments.current", [_today()], ["money"],
                          lambda: queries.current_semester(context.engine(), _today()))


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3", **kwargs)


def layout(semester: str | None = None, **_query) -> html.Div:
    """The page; ``?semester=20251`` preselects a semester, ``?semester=all`` every one (as the overview's
    outstanding card counts), else this semester."""
    t = context.t
    found = context.cached("payments.options", [], ["money"], lambda: queries.options(context.engine()))
    if not found.semesters:
        return html.Div([html.H1(t("Payments & reconciliation"), className="page-title"), empty_state(
            t("No bills yet."), t("Configure the payment application's database or export under sources.bills, "
                                 "or run pantau demo."), icon="receipt"),
            _card(t("Bank feed"), html.Div(id=ids.make(KEY, "bank-feed"), children=_bank_feed()))])
    names = bill_labels.kind_names(context.engine(), context.lang())
    chosen = semester if semester in (*found.semesters, ALL_SEMESTERS) else _current_semester()
    filters = dbc.Row([
        dbc.Col(dcc.Dropdown(id=SEMESTER, clearable=False, value=chosen, options=[
            {"label": t("All semesters"), "value": ALL_SEMESTERS},
            *({"label": figures.semester_label(code), "value": code} for code in found.semesters)]), md=3),
        dbc.Col(dcc.Dropdown(id=KINDS, multi=True, placeholder=t("All bill kinds"), options=[
            {"label": names.get(kind, kind), "value": kind} for kind in found.kinds]), md=3),
        dbc.Col(dcc.Dropdown(id=PRODI, placeholder=t("All study programmes"), options=[
            {"label": f"{row.code} · {row.name}", "value": int(row.id)} for row in found.prodi.itertuples()]), md=3),
        dbc.Col(dcc.Dropdown(id=ANGKATAN, placeholder=t("All intake years"), options=[
            {"label": str(year), "value": int(year)} for year in found.angkatan]), md=3),
    ], className="g-2 mb-3")
    summary, curve, ageing = _summary(chosen)
    return html.Div([
        html.H1(t("Payments & reconciliation"), className="page-title mb-1"),
        freshness.subject_line("payments"),
        filters,
        dcc.Loading(html.Div(summary, id=SUMMARY), delay_show=400),
        _card(t("Paid and unpaid"), html.Div([
            html.Div([
                dbc.RadioItems(id=GROUPING, inline=True, value="kind", options=[
                    {"label": t(title), "value": key} for key, title in figures.GROUP_TITLES.items()]),
                dbc.RadioItems(id=MEASURE, inline=True, value="count", options=[
                    {"label": t("Count"), "value": "count"}, {"label": t("Rupiah"), "value": "rupiah"}]),
            ], className="d-flex flex-wrap gap-4 mb-2"),
            html.Div(_paid_chart(chosen), id=PAID),
        ])),
        _card(t("Collection by kind group and bill kind, due by today"),
              html.Div(_kind_table(chosen), id=KIND_BREAKDOWN)),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody(html.Div(curve, id=CURVE)), className="mb-3"), lg=6),
            dbc.Col(dbc.Card(dbc.CardBody(html.Div(ageing, id=AGEING)), className="mb-3"), lg=6),
        ]),
        _card(t("Bank reconciliation"), html.Div(id=RECON, children=freshness.aged(_recon(), freshness.feed(
            "reconciliation")))),
        _card(t("Bank feed"), html.Div(id=ids.make(KEY, "bank-feed"), children=_bank_feed())),
        _card(t("Exception queue"), html.Div([html.Div(id=CASES, children=_cases()), _resolver()])),
        _card(t("Bills"), html.Div([
            dbc.Row([
                dbc.Col(dcc.Dropdown(id=STATE, placeholder=t("Every reconciliation state"), options=[
                    {"label": figures.recon_label(s), "value": s} for s in figures.RECON_STATES if s != "no_bill"]),
                    md=4),
                dbc.Col(dbc.Input(id=SEARCH, placeholder=t("Search bill number, name or VA"), debounce=True), md=4),
                dbc.Col(html.Div(exports.controls(DL_CSV, DL_XLSX, MACHINE, DOWNLOAD),
                                 className="d-flex justify-content-md-end"), md=4),
            ], className="g-2 mb-2"),
            html.Div(_bill_table(chosen), id=BILLS),
        ])),
        dcc.Interval(id=TICK, interval=300_000),
        dcc.Store(id=RESOLVED),
    ])


@dash.callback(Output(SUMMARY, "children"), Output(CURVE, "children"), Output(AGEING, "children"), *FILTERS,
               Input(TICK, "n_intervals"), Input(RESOLVED, "data"), prevent_initial_call=True)
def _refresh(semester, kinds, prodi, angkatan, _tick, _resolved):
    return _summary(semester, kinds, prodi, angkatan)


def _summary(semester, kinds=None, prodi=None, angkatan=None):
    """The KPI cards, the collection curve and the ageing chart."""
    engine, now = context.engine(), utcnow()
    bills, today = _bills(semester, kinds, prodi, angkatan), _today()

    def read():
        return (queries.collection_rate(engine, as_of=today, bills=bills),
                queries.outstanding(engine, as_of=today, bills=bills), recon_cases.case_counts(engine, now=now),
                queries.ageing(engine, as_of=today, bills=bills), queries.bill_count(engine, bills=bills),
                queries.collection_curve(engine, bills=bills))

    rate, owed, counts, aged_bills, count, curve = context.cached("payments.refresh", [bills, today], ["money"], read)
    ages = freshness.feeds("bills", "reconciliation", now=now)
    scope = (context.t("all semesters") if semester in (None, ALL_SEMESTERS)
             else context.t("semester {semester}", semester=figures.semester_label(semester)))
    summary = blocks.summary(rate, owed, counts, context.settings().thresholds, ages, scope)
    lang = context.lang()
    # Plotly builds the two charts in about a tenth of a second: kept with the reads they are drawn from
    chart, ageing = context.cached("payments.charts", [bills, today, lang], ["money"], lambda: (
        figures.collection_curve(curve, bill_labels.kind_names(engine, lang)), figures.ageing(aged_bills, count)))
    return (summary, freshness.aged(chart, ages["bills"], now), freshness.aged(ageing, ages["bills"], now))


@dash.callback(Output(PAID, "children"), *FILTERS, Input(GROUPING, "value"), Input(MEASURE, "value"),
               prevent_initial_call=True)
def _paid(semester, kinds, prodi, angkatan, grouping, measure):
    return _paid_chart(semester, kinds, prodi, angkatan, grouping, measure)


def _paid_chart(semester, kinds=None, prodi=None, angkatan=None, grouping="kind", measure="count"):
    bills = _bills(None if grouping == "semester" else semester, kinds, prodi, angkatan)
    frame = context.cached("payments.paid", [grouping, bills, context.lang()], ["money"],
                           lambda: queries.paid_unpaid(context.engine(), by=grouping, bills=bills, lang=context.lang()))
    return freshness.aged(figures.paid_unpaid(frame, grouping, measure), freshness.feed("bills"))


@dash.callback(Output(KIND_BREAKDOWN, "children"), *FILTERS, Input(TICK, "n_intervals"), prevent_initial_call=True)
def _kinds(semester, kinds, prodi, angkatan, _tick):
    return _kind_table(semester, kinds, prodi, angkatan)


def _kind_table(semester, kinds=None, prodi=None, angkatan=None):
    """Each kind group's collection with its kinds under it, over the filtered bills due by today."""
    t, lang, today = context.t, context.lang(), _today()
    bills = _bills(semester, kinds, prodi, angkatan)
    frame = context.cached("payments.kinds", [bills, today, lang], ["money"],
                           lambda: kind_breakdown.by_kind(context.engine(), as_of=today, bills=bills, lang=lang))
    scope = (t("all semesters") if semester in (None, ALL_SEMESTERS)
             else t("semester {semester}", semester=figures.semester_label(semester)))
    if frame.empty:
        body = empty_state(t("No bill of these filters has come due yet."), icon="receipt")
    else:
        body = html.Div([html.Div(scope, className="small text-body-secondary mb-2 kind-scope"),
                         kind_table(kind_breakdown.worded(frame, lang), KINDS_TABLE)])
    return freshness.aged(body, freshness.feed("bills"))


def _recon() -> html.Div:
    return blocks.recon_table(context.cached("payments.recon", [], ["money"],
                                             lambda: recon_cases.recon_summary(context.engine())))


access.redraw_when_restored(SEMESTER)


def _bank_feed() -> html.Div:
    return freshness.aged(bank_feed(), freshness.feed("bank"))


def _cases():
    """The exception queue, with the age of the reconciliation behind it."""
    return freshness.aged(_case_table(), freshness.feed("reconciliation"))


def _case_table():
    frame = context.cached("payments.cases", [], ["money"], lambda: recon_cases.cases(context.engine(), now=utcnow()))
    return blocks.case_table(frame, CASE_TABLE)


def _resolver():
    t = context.t
    if context.user().role not in RESOLVERS:
        return html.P(t("Only the bendahara resolves cases; you can read the queue."),
                      className="small text-body-secondary mt-2 mb-0")
    return html.Div([
        dbc.InputGroup([
            dbc.Input(id=NOTE, placeholder=t("What was done (required)"), maxLength=500),
            dbc.Button([html.I(className="bi bi-check2-circle me-1"), t("Resolve")], id=RESOLVE, color="success"),
        ], className="mt-3"),
        html.Div(id=FEEDBACK, className="mt-2", role="status"),
    ])


@dash.callback(Output(FEEDBACK, "children"), Output(CASES, "children"), Output(RESOLVED, "data"),
               Input(RESOLVE, "n_clicks"),
               State(CASE_TABLE, "data"), State(CASE_TABLE, "selected_rows"),
               State(NOTE, "value"), prevent_initial_call=True)
def _resolve(_clicks, rows, selected, note):
    user = context.user()
    if user.role not in RESOLVERS:
        flask.abort(403)
    t = context.t
    if not rows or not selected:
        return dbc.Alert(t("Choose a case in the table first."), color="warning"), dash.no_update, dash.no_update
    try:
        with session_scope(context.engine()) as session:
            case = resolve_case(session, int(rows[selected[0]]["id"]), user=user.username, note=note or "",
                                ip=flask.request.remote_addr)
            resolved, done = case.id, t("Case {case} resolved.", case=case.id)
    except CaseError as error:
        return dbc.Alert(error.say(context.lang()), color="danger"), dash.no_update, dash.no_update
    return dbc.Alert(done, color="success"), _cases(), resolved


@dash.callback(Output(BILLS, "children"), *FILTERS, Input(STATE, "value"), Input(SEARCH, "value"),
               prevent_initial_call=True)
def _drill(semester, kinds, prodi, angkatan, state, search):
    return _bill_table(semester, kinds, prodi, angkatan, state, search)


def _bill_table(semester, kinds=None, prodi=None, angkatan=None, state=None, search=None):
    t = context.t
    bills, lang = _bills(semester, kinds, prodi, angkatan), context.lang()
    frame = context.cached("payments.bills", [bills, state, search, DRILL_ROWS, lang], ["money"],
                           lambda: bill_rows.bill_rows(context.engine(), bills=bills, state=state, search=search,
                                                     limit=DRILL_ROWS, lang=lang))
    if frame.empty:
        return freshness.aged(empty_state(t("No bills match these filters."), icon="search"), freshness.feed("bills"))
    shown = blocks.readable(frame)
    note = t("The first {rows} bills, soonest due first; the downloads hold up to {most}.",
             rows=formatting.number(DRILL_ROWS, context.lang()), most=formatting.number(DOWNLOAD_ROWS, context.lang()))
    columns = blocks.bill_columns()
    if bills.semester:  # one semester chosen: its column would repeat the filter (and crowd a laptop's card)
        columns.pop("semester")
    return html.Div([data_table(ids.make(KEY, "bill-table"), shown, columns, page_size=15,
                                style_cell_conditional=blocks.WRAP_ANYWHERE),
                     html.P(note, className="small text-body-secondary mt-2 mb-0"),
                     freshness.line(freshness.feed("bills"), className="small text-body-secondary figure-age")])


@dash.callback(Output(DOWNLOAD, "data"), Input(DL_CSV, "n_clicks"), Input(DL_XLSX, "n_clicks"),
               State(SEMESTER, "value"), State(KINDS, "value"), State(PRODI, "value"), State(ANGKATAN, "value"),
               State(STATE, "value"), State(SEARCH, "value"), State(MACHINE, "value"), prevent_initial_call=True)
def _download(_csv, _xlsx, semester, kinds, prodi, angkatan, state, search, machine):
    frame = bill_rows.bill_rows(context.engine(), bills=_bills(semester, kinds, prodi, angkatan), state=state,
                              search=search, limit=DOWNLOAD_ROWS, lang=context.lang())
    name = f"tagihan-{'semua' if semester in (None, ALL_SEMESTERS) else semester}"
    return exports.download("csv" if dash.ctx.triggered_id == DL_CSV else "xlsx", [blocks.bill_sheet(frame)], name,
                            bool(machine))


access.register_page(
    __name__,
    key=KEY,
    path="/pembayaran",
    title="Payments & reconciliation",
    group="Finance",
    icon="cash-coin",
    roles=("bendahara", "direktur", "admin"),
    order=30,
    layout=layout,
)
