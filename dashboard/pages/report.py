"""Laporan bulanan: the overview's KPIs as of the end of a month, on a page meant to be printed (the
navigation, the header and the controls are left off the paper). The same figures go to the directors by
e-mail each month (`collectors.monthly_report`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from pantau.models import utcnow
from pantau.sla.periods import month_label, month_of, months_until
from queries import monthly_report as monthly

from .. import access, context, ids
from ..components import freshness
from ..components.kind_table import kind_table
from ..components.status import badge

KEY = "report"
MONTH = ids.make(KEY, "month")
BODY = ids.make(KEY, "body")
PRINT = ids.make(KEY, "print")
PRINTED = ids.make(KEY, "printed")
KINDS = ids.make(KEY, "kinds")
MONTHS = 12
WIDTHS = ("28%", "16%", "14%", "22%", "20%")
"""Column widths: the value column holds a Rupiah amount in the billions (`Rp 16.971.700.000`) on one line."""


def layout(month: str | None = None, **_query) -> html.Div:
    """The page; ``?month=YYYY-MM`` picks the month (default: the previous one)."""
    t, lang = context.t, context.lang()
    now = utcnow()
    choices = list(reversed(months_until(month_of(now, ZoneInfo(context.tz())), MONTHS)))
    default = monthly.previous_month(now, context.tz())
    controls = html.Div([
        dcc.Dropdown(id=MONTH, clearable=False, value=month if month in choices else default,
                     options=[{"label": month_label(m, lang), "value": m} for m in choices],
                     style={"minWidth": "12rem"}),
        dbc.Button([html.I(className="bi bi-printer me-1"), t("Print")], id=PRINT, color="secondary", outline=True,
                   size="sm"),
        dcc.Store(id=PRINTED),
    ], className="d-flex flex-wrap align-items-center gap-2 d-print-none mb-3")
    return html.Div([controls, dcc.Loading(html.Div(id=BODY), delay_show=400)], className="monthly-report")


@dash.callback(Output(BODY, "children"), Input(MONTH, "value"))
def _render(month):
    t, lang, tz = context.t, context.lang(), context.tz()
    month = month or monthly.previous_month(utcnow(), tz)
    # Every KPI group in one build (about 35 reads): shared by the workers until a write to its subjects, its
    # heading saying what moment the figures are as of (the month's end, or when the running month was read).
    report = context.cached("report.monthly", [month], ["money", "servers", "sla"],
                            lambda: monthly.build(context.engine(), context.settings(), month))
    title, line = monthly.heading(report, lang, tz)
    sections = []
    for section, members in monthly.rows(report, lang):
        head = html.Thead(html.Tr([html.Th(t(name)) for name in ("KPI", "Value", "Status", "Change", "Note")]))
        body = html.Tbody([html.Tr([
            html.Td([row["title"], html.Div(row["scope"], className="small text-body-secondary kpi-scope")
                     if row["scope"] else None]), html.Td(row["value"], className="text-end fw-semibold text-nowrap"),
            html.Td(badge(row["grade"])), html.Td(row["change"], className="small"),
            html.Td(row["note"], className="small text-body-secondary"),
        ]) for row in members])
        widths = html.Colgroup([html.Col(style={"width": width}) for width in WIDTHS])
        sections += [html.H2(section, className="h6 mt-3"),
                     dbc.Table([widths, head, body], bordered=False, hover=False, size="sm", className="align-middle",
                               style={"tableLayout": "fixed"}, responsive=True)]
    if not sections:
        sections = [html.P(t("No figures to show yet."))]
    return html.Div([html.H1(title, className="page-title mb-1"), html.P(line, className="text-body-secondary"),
                     *sections, _kinds(report)])


def _kinds(report: monthly.MonthlyReport) -> html.Div | None:
    """Collection by kind group and bill kind as of the report's moment, with how old the bills behind it are."""
    section = monthly.kind_section(report, context.lang())
    if section is None:
        return None
    title, scope, lines = section
    return html.Div([html.H2(title, className="h6 mt-3 mb-0"), html.P(scope, className="small text-body-secondary"),
                     freshness.aged(kind_table(lines, ids.make(KEY, "kinds-table")), freshness.feed("bills"))],
                    id=KINDS)


dash.clientside_callback("function (clicks) { if (clicks) { window.print(); } return clicks || 0; }",
                         Output(PRINTED, "data"), Input(PRINT, "n_clicks"), prevent_initial_call=True)


access.register_page(
    __name__,
    key=KEY,
    path="/laporan",
    title="Monthly report",
    group="Overview",
    icon="printer",
    roles=("direktur", "admin"),
    order=2,
    layout=layout,
)
