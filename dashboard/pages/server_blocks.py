"""Blocks of the server health page: status tiles and availability against the target, and the remembered
time and duration texts its panels and figures share. The panels below the charts (incidents, host
readings, certificates, alerts, maintenance) are in `server_panels`."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting
from pantau.models import utcnow
from pantau.settings import KpiThreshold
from queries.sources import Freshness, is_stale

from .. import context, ids
from ..components import freshness
from ..components.empty import empty_state
from ..components.status import STATUSES, badge, grade

KEY = "server"
ROLE_NAMES = {"payment-server": "Payment server", "h2h-server": "H2H server", "bank-link": "Link to the bank",
              "router": "Router", "other": "Other"}
WINDOW_NAMES = {"24h": "24 hours", "7d": "7 days", "30d": "30 days", "365d": "365 days"}


@lru_cache(maxsize=8192)
def moment_text(value: datetime, lang: str, tz: str) -> str:
    """``formatting.moment``, remembered: the same incidents are shown again at every refresh."""
    return formatting.moment(value, lang, tz)


@lru_cache(maxsize=8192)
def duration_text(seconds: int, lang: str) -> str:
    """``formatting.duration`` of whole seconds, remembered."""
    return formatting.duration(timedelta(seconds=seconds), lang)


def local_moment(value) -> str:
    """A stored time in the reader's language and zone; "–" when there is none."""
    if value is None or pd.isna(value):
        return "–"
    return moment_text(pd.Timestamp(value).to_pydatetime(), context.lang(), context.tz())


def _since(value) -> str:
    if value is None or pd.isna(value):
        return ""
    started = pd.Timestamp(value).to_pydatetime()
    return context.t("since {when} ({duration})", when=local_moment(started),
                     duration=formatting.duration(utcnow() - started, context.lang()))


def tiles(monitors: pd.DataFrame, uptime: pd.DataFrame, clickable: bool = True,
          now: datetime | None = None) -> html.Div:
    """One tile per monitor: its status in words and colour, since when, when it was last checked, 24 h
    availability (and the time without checks in it).

    A monitor whose newest check is older than two of its intervals shows no status at all: a neutral tile
    saying since when there is no recent data (its last known state is history, not the present).
    Clickable tiles pick their monitor for the charts below.
    """
    t = context.t
    now = now or utcnow()
    day = uptime.loc[uptime["window"] == "24h"].set_index("monitor_id")
    if monitors.empty:
        return empty_state(t("No monitors yet."), t("Add [[monitors]] to the configuration file and start "
                                                    "`pantau collect`."), icon="hdd-network")
    cards = []
    for row in monitors.itertuples():
        stale = monitor_stale(row, now)
        body = [
            html.Div([html.Span(row.label, className="fw-semibold"), badge("stale" if stale else row.status)],
                     className="kpi-head d-flex justify-content-between align-items-start gap-2"),
            html.Div(t(ROLE_NAMES.get(row.role, row.role)), className="small text-body-secondary"),
            *(_stale_body(row, now) if stale else _live_body(row, now)),
            _tile_availability(day.loc[row.id] if row.id in day.index else None, row.interval_s),
        ]
        grade_ = "none" if stale else _tile_grade(row.status)
        tile = dbc.Card(dbc.CardBody(body), className=f"h-100 kpi-card kpi-{grade_}" + (" kpi-stale" if stale else ""))
        if clickable:  # a Card has no n_clicks: the click is counted on a wrapper
            tile = html.Div(tile, id=ids.matching(KEY, "tile", int(row.id)), n_clicks=0, role="button", tabIndex="0",
                            title=t("Show {monitor} in the charts below", monitor=row.label), className="h-100",
                            style={"cursor": "pointer"})
        cards.append(dbc.Col(tile, xs=12, sm=6, xl=3))
    return dbc.Row(cards, className="g-3")


def monitor_stale(row, now: datetime) -> bool:
    """No check within two of the monitor's intervals (or none ever, once it should have had one)."""
    return is_stale(row.checked_at, row.interval_s, now)


def _live_body(row, now: datetime) -> list:
    t, lang = context.t, context.lang()
    if row.status == "unreachable" and row.parent:
        detail = t("{parent} is down", parent=row.parent)
    elif pd.notna(row.latency_ms) and row.ok:
        detail = t("Latency {ms} ms, loss {loss}", ms=formatting.number(row.latency_ms, lang, 1),
                   loss=formatting.percent(row.loss, lang, 0))
    else:
        detail = (row.message or "")[:90]
    failing = (t("{n} of {limit} checks failed", n=row.failures, limit=row.down_after)
               if row.status in ("up", "degraded", "pending") and row.failures else None)
    return [
        html.Div(_since(row.status_since), className="small mt-1"),
        html.Div(detail, className="small text-body-secondary text-truncate", title=row.message or ""),
        html.Div(failing, className="small text-warning-emphasis") if failing else None,
        html.Div([html.I(className="bi bi-clock me-1", **{"aria-hidden": "true"}),
                  t("Checked {when}", when=freshness.ago_text(row.checked_at, now))],
                 className="small text-body-secondary tile-checked"),
    ]


def _stale_body(row, now: datetime) -> list:
    hint = (context.t("Is `pantau collect` running, with this monitor in its configuration?"))
    return [freshness.stale_line(row.checked_at, now, className="small fw-semibold text-secondary-emphasis mt-1 "
                                                                "tile-stale"),
            html.Div(hint, className="small text-body-secondary")]


def _tile_availability(day, interval_s) -> html.Div:
    t, lang = context.t, context.lang()
    if day is None or pd.isna(day["availability"]):
        return html.Div(t("24 h availability: no checks") if day is not None else "", className="small mt-1")
    text = t("24 h availability {value}", value=formatting.percent(day["availability"], lang, 2))
    gap = unknown_text(day["unknown_s"], interval_s)
    return html.Div([text, html.Span(f" · {gap}", className="text-secondary-emphasis") if gap else None],
                    className="small mt-1")


def _tile_grade(status: str) -> str:
    return {"up": "good", "degraded": "warn", "down": "bad"}.get(status, "none")


def unknown_text(unknown_s: float, interval_s: float | None) -> str | None:
    """`6 jam tanpa data` when the checks miss more than two intervals of a window, else None."""
    if unknown_s is None or pd.isna(unknown_s) or unknown_s <= 2 * float(interval_s or 60):
        return None
    return context.t("{duration} without data", duration=duration_text(int(unknown_s), context.lang()))


def uptime_table(monitors: pd.DataFrame, uptime: pd.DataFrame, target: KpiThreshold,
                 now: datetime | None = None) -> html.Div:
    """Availability per monitor and window, each graded against the configured target; time without checks
    is shown beside it as unknown, never counted as up."""
    t, lang = context.t, context.lang()
    now = now or utcnow()
    if monitors.empty:
        return empty_state(t("No availability yet."), t("It is computed from the checks once monitors run."))
    header = html.Thead(html.Tr([html.Th(t("Monitor"))] + [html.Th(t(WINDOW_NAMES[w]), className="text-end")
                                                           for w in WINDOW_NAMES]))
    table = uptime.set_index(["monitor_id", "window"])
    rows = []
    for row in monitors.itertuples():
        cells = [html.Td([row.label, html.Div(freshness.stale_text(row.checked_at, now),
                                             className="small text-secondary-emphasis")
                          if monitor_stale(row, now) else None])]
        for window in WINDOW_NAMES:
            found = table.loc[(row.id, window)] if (row.id, window) in table.index else None
            value = None if found is None or pd.isna(found["availability"]) else float(found["availability"])
            gap = unknown_text(found["unknown_s"], row.interval_s) if found is not None else None
            cells.append(html.Td([_graded(value, grade(value, target.good, target.warn, target.higher_is_better)),
                                  html.Div(gap, className="small text-secondary-emphasis uptime-gap") if gap else None],
                                 className="text-end text-nowrap"))
        rows.append(html.Tr(cells))
    note = t("Target: {good} (needs attention below, poor under {warn}); maintenance is not counted.",
             good=formatting.percent(target.good, lang, 1), warn=formatting.percent(target.warn, lang, 1))
    gaps = t("Time without checks is unknown: it is shown beside each figure and counted neither up nor down.")
    newest = monitors["checked_at"].max() if "checked_at" in monitors else None
    return html.Div([dbc.Table([header, html.Tbody(rows)], size="sm", responsive=True, className="mb-1"),
                     html.Div(note, className="small text-body-secondary"),
                     html.Div(gaps, className="small text-body-secondary"),
                     freshness.line(Freshness(freshness_at(newest)), now, label="Newest check {when}")])


def freshness_at(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _graded(value: float | None, mark: str) -> html.Span:
    """A percentage with its grade's icon in the grade's colour, the grade's word for screen readers."""
    word, colour, icon = STATUSES[mark]
    return html.Span([
        html.I(className=f"bi bi-{icon} text-{colour} me-1", title=context.t(word), **{"aria-hidden": "true"}),
        html.Span(context.t(word), className="visually-hidden"),
        formatting.percent(value, context.lang(), 2),
    ])
