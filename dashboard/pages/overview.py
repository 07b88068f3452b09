"""Ringkasan: how are we doing? One card per KPI of UI.md, each with its value, the change against the
previous period, a trend line, a worded status and a link to its page with the same filter.

Each role gets the cards of the pages it may open (the SLA cards limited to its own steps); the figures
come from `queries.overview`, which reads each subject's own queries. The landing page of directors and
administrators.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from pantau import formatting
from pantau.models import utcnow
from pantau.sla.scope import visible_steps
from queries import monthly_report as monthly
from queries import overview as queries
from queries import servers
from queries.sources import Freshness, freshness, is_stale

from .. import access, context, ids
from ..components import freshness as age
from ..components.empty import empty_state
from ..components.first_run import first_run_card
from ..components.kpi import kpi_card
from ..shell import ROLE_NAMES
from .overview_blocks import kind_card

KEY = "overview"
TICK = ids.make(KEY, "tick")
CARDS = ids.make(KEY, "cards")
ATTENTION = ids.make(KEY, "attention")
STAMP = ids.make(KEY, "stamp")
KINDS = ids.make(KEY, "kinds")
REFRESH_MS = 300_000
PAGE_OF = {"payments": "payments", "tokens": "tokens", "servers": "server", "sla": "sla", "ktm": "ktm", "kso": "kso"}


def groups_for(user) -> list[str]:
    """The KPI groups whose page `user` may open; the treasurer's KSO view holds invoices only, so no KSO card."""
    out = []
    for group, page in PAGE_OF.items():
        if not access.may_see(user, page):
            continue
        if group == "kso" and (user.role == "bendahara" or not access.assigned_sops(user, ("KSO",))):
            continue
        if group == "ktm" and not access.assigned_sops(user, ("KTM",)):
            continue
        out.append(group)
    return out


def layout(**_query) -> html.Div:
    t = context.t
    report = (dcc.Link([html.I(className="bi bi-printer me-1"), t("Monthly report")], href="/laporan",
                       className="btn btn-outline-secondary btn-sm")
              if access.may_see(context.user(), "report") else None)
    return html.Div([
        html.Div([html.Div([html.H1(t("Overview"), className="page-title mb-0"),
                            html.Div(id=STAMP, className="small text-body-secondary")]), report],
                 className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3"),
        first_run_card(KEY),
        html.Div(id=ATTENTION),
        dcc.Loading(html.Div(id=CARDS), delay_show=400),
        html.Div(id=KINDS),
        dcc.Interval(id=TICK, interval=REFRESH_MS),
    ])


@dash.callback(Output(CARDS, "children"), Output(ATTENTION, "children"), Output(STAMP, "children"),
               Input(TICK, "n_intervals"))
def _refresh(_tick):
    t, lang, tz = context.t, context.lang(), context.tz()
    user, settings, now = context.user(), context.settings(), utcnow()
    groups = groups_for(user)
    scope = visible_steps(context.sla().catalogue, user.role, getattr(user, "unit", None))
    kpis = context.cached("overview.kpis", [groups, scope], ["money", "servers", "sla"],
                          lambda: queries.overview(context.engine(), settings, now, groups, scope))
    ages = freshness_of(kpis, now)
    stamp = t("Figures as of {moment}", moment=formatting.moment(now, lang, tz))
    if not kpis:
        return empty_state(t("No figures to show yet."),
                           t("Figures appear once the collectors have read bills, servers and SOP steps."),
                           icon="speedometer2"), None, stamp
    sections = []
    for title, members in monthly.SECTIONS:
        cards = [card(kpi, ages.get(kpi.key), scope_text(kpi, user, scope)) for kpi in kpis if kpi.group in members]
        if cards:
            sections += [html.H2(t(title), className="h6 text-body-secondary text-uppercase mt-2 mb-2"),
                         dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, xxl=3, className="mb-3") for c in cards])]
    return html.Div(sections), attention(kpis, ages), stamp


AVAILABILITY_DECIMALS = 2
"""Availability as the server page writes it (99,99%), so the two pages read the same figure."""

SUBJECTS = {"payments": "payments", "tokens": "tokens", "sla": "sla", "ktm": "ktm", "kso": "kso"}


def freshness_of(kpis: list[queries.Kpi], now) -> dict[str, Freshness]:
    """How old each card's data is: its subject's sources, and for a server's availability its monitor's newest
    check against the monitor's interval."""
    engine = context.engine()
    known = age.known_statuses()
    by_subject = {group: freshness(engine, subject, now, known=known) for group, subject in SUBJECTS.items()
                  if any(kpi.group == group for kpi in kpis)}
    ages = {kpi.key: by_subject[kpi.group] for kpi in kpis if kpi.group in by_subject}
    if any(kpi.group == "servers" for kpi in kpis):
        for row in context.cached("overview.monitors", [], ["servers"], lambda: servers.monitors(engine)).itertuples():
            at = None if row.checked_at is None or row.checked_at != row.checked_at else row.checked_at.to_pydatetime()
            ages[f"availability:{row.name}"] = Freshness(at, is_stale(at, row.interval_s, now), at)
    return ages


def attention(kpis: list[queries.Kpi], ages: dict[str, Freshness] | None = None) -> html.Div | dbc.Alert:
    """One line naming the KPIs that need attention, worst first; and, when some have no recent data, one more
    naming those (their figures are neither within nor beyond a threshold: unknown)."""
    t, lang = context.t, context.lang()
    ages = ages or {}
    stale = [k for k in kpis if ages.get(k.key) is not None and ages[k.key].stale]
    current = [k for k in kpis if k not in stale]
    poor = [k for k in current if k.grade == "bad"] + [k for k in current if k.grade == "warn"]
    if not poor:
        words = t("Every KPI with recent data is within its threshold.") if stale else \
            t("Every KPI is within its threshold.")
        verdict = dbc.Alert([html.I(className="bi bi-check-circle-fill me-2"), words], color="success",
                            className="py-2")
    else:
        names = ", ".join(monthly.title_text(k, lang) for k in poor)
        verdict = dbc.Alert([html.I(className="bi bi-exclamation-triangle-fill me-2"),
                             t("Needs attention: {names}", names=names)], color="warning", className="py-2")
    if not stale:
        return verdict
    unknown = dbc.Alert([html.I(className="bi bi-clock-history me-2"), t(
        "No recent data: {names}", names=", ".join(monthly.title_text(k, lang) for k in stale))],
        color="secondary", className="py-2", id=ids.make(KEY, "stale"))
    return html.Div([verdict, unknown])


def scope_text(kpi: queries.Kpi, user, scope) -> str | None:
    """The card's scope in words (`monthly.scope_text`, as the report and its mail say it); for SLA compliance the
    steps the reader sees, which depend on the role (all steps, or the unit's or the role's own)."""
    t, steps = context.t, None
    if kpi.group == "sla" and scope is not None:
        unit = getattr(user, "unit", None)
        steps = t("unit: {unit}", unit=unit) if unit else t("steps of the role: {role}", role=t(ROLE_NAMES.get(
            user.role, user.role)))
    return monthly.scope_text(kpi, context.lang(), steps)


def card(kpi: queries.Kpi, fresh: Freshness | None = None, scope: str | None = None) -> dbc.Card:
    """The KPI's card: value, change, trend line in its status colour, note, how old its data is, and the link
    to its page; neutral, saying since when, when its data is not recent."""
    lang = context.lang()
    decimals = AVAILABILITY_DECIMALS if kpi.group == "servers" else 1
    return kpi_card(monthly.title_text(kpi, lang), monthly.value_text(kpi.kind, kpi.value, lang, decimals), kpi.grade,
                    change=monthly.change_text(kpi, lang), trend=kpi.trend, href=href(kpi),
                    note=monthly.note_text(kpi, lang), card_id=ids.make(KEY, "card-" + kpi.key.replace(":", "-")),
                    fresh=fresh, scope=scope)


def href(kpi: queries.Kpi) -> str | None:
    """Where the card links to: its page, with the same filter."""
    spec = access.PAGES.get(kpi.page)
    return spec.path + kpi.query if spec else None


@dash.callback(Output(KINDS, "children"), Input(TICK, "n_intervals"))
def _kinds(_tick):
    """Collection by kind group and bill kind, for the roles that see the finance cards."""
    user, settings, now = context.user(), context.settings(), utcnow()
    if "payments" not in groups_for(user):
        return None
    today = formatting.local(now, context.tz()).date()
    found = context.cached("overview.kinds", [today], ["money"],
                           lambda: queries.kind_collection(context.engine(), settings, now))
    if found is None:
        return None
    card_ = kind_card(found, freshness(context.engine(), "payments", now, known=age.known_statuses()),
                      ids.make(KEY, "kind-card"),
                      ids.make(KEY, "kinds-table"))
    return dbc.Row(dbc.Col(card_, xs=12, xl=8, className="mb-3"))


access.register_page(
    __name__,
    key=KEY,
    path="/ringkasan",
    title="Overview",
    group="Overview",
    icon="speedometer2",
    roles=("direktur", "kepala_it", "bendahara", "admin"),
    order=1,
    layout=layout,
)
