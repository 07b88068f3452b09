"""Panels of the server health page beside and below its charts: the incident table, a host's newest reading,
TLS certificates, open server alerts and coming maintenance."""

from __future__ import annotations

from datetime import datetime, timedelta

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting
from pantau.models import utcnow
from queries.sources import is_stale

from .. import context, ids
from ..components import freshness
from ..components.empty import empty_state
from ..components.status import badge, grade
from ..components.tables import data_table
from .server_blocks import duration_text, local_moment, moment_text

KEY = "server"
KIND_NAMES = {"down": "Down", "unreachable": "Unreachable (parent down)", "maintenance": "Maintenance"}
CERT_BANDS = (30, 14)


def incident_table(incidents: pd.DataFrame) -> html.Div:
    """The incidents, newest first: monitor, kind, start, end (or still going), duration and cause."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if incidents.empty:
        return empty_state(t("No incidents in this range."), icon="check2-circle")
    kinds = {kind: t(name) for kind, name in KIND_NAMES.items()}
    going = t("still going")
    shown = pd.DataFrame({
        "monitor": incidents["monitor"],
        "kind": [kinds.get(kind, kind) for kind in incidents["kind"]],
        "started": [moment_text(at, lang, tz) for at in incidents["started_at"].dt.to_pydatetime()],
        "ended": [going if is_open else moment_text(at, lang, tz)
                  for is_open, at in zip(incidents["open"], incidents["ended_at"].dt.to_pydatetime())],
        "duration": [duration_text(int(seconds), lang) for seconds in incidents["duration_s"]],
        "cause": incidents["cause"].fillna(""),
    })
    columns = {"monitor": t("Monitor"), "kind": t("Incident"), "started": t("Started"), "ended": t("Ended"),
               "duration": t("Duration"), "cause": t("Cause")}
    return data_table(ids.make(KEY, "incident-table"), shown, columns, page_size=8)


def host_now(reading: pd.Series | None, disk_limit: float, interval_s: float | None = None,
             now: datetime | None = None) -> html.Div:
    """The newest reading of a host: disks against the alert limit, watched processes, when it was read (or,
    when it is older than two reading intervals, that there is no recent reading)."""
    t, lang = context.t, context.lang()
    if reading is None:
        return empty_state(t("No host readings yet."), t("`pantau collect` reads its own host; run `pantau agent "
                                                         "--push URL --token T` on the payment server."))
    disks = []
    for mount, used in sorted((reading.disks or {}).items()):
        if used is None:
            continue
        colour = "danger" if used > disk_limit else "warning" if used > disk_limit - 10 else "success"
        disks.append(html.Div([
            html.Div([html.Span(mount, className="font-monospace"),
                      html.Span(formatting.percent(used / 100, lang, 0))],
                     className="d-flex justify-content-between small"),
            # Bootstrap's bar, named: dbc.Progress passes no aria-label to the element with role=progressbar.
            html.Div(html.Div(className=f"progress-bar bg-{colour}", style={"width": f"{min(max(used, 0), 100)}%"}),
                     className="progress mb-2", style={"height": "0.5rem"}, role="progressbar",
                     **{"aria-label": t("Disk {mount} used", mount=mount), "aria-valuenow": round(used),
                        "aria-valuemin": 0, "aria-valuemax": 100}),
        ]))
    processes = [
        dbc.Badge([html.I(className=f"bi bi-{'check-circle-fill' if alive else 'x-octagon-fill'} me-1"), name,
                   " · ", t("running") if alive else t("not running")],
                  color="success" if alive else "danger", className="me-1 mb-1")
        for name, alive in sorted((reading.processes or {}).items())
    ]
    uptime = (t("up for {duration}", duration=formatting.duration(timedelta(seconds=reading.uptime_s), lang))
              if pd.notna(reading.uptime_s) else "")
    now = now or utcnow()
    read = (freshness.stale_line(reading.collected_at, now, className="small fw-semibold text-secondary-emphasis "
                                                                      "mb-2 host-stale")
            if is_stale(reading.collected_at, interval_s, now) else
            html.Div(t("Read {when}", when=freshness.ago_text(reading.collected_at, now))
                     + (f" · {uptime}" if uptime else ""), className="small text-body-secondary mb-2"))
    return html.Div([
        read,
        html.H3(t("Disks"), className="h6"), html.Div(disks or t("none reported")),
        html.H3(t("Network"), className="h6 mt-2"),
        html.Div(t("in {received}/s, out {sent}/s", received=_bytes(reading.net_rx_bps),
                   sent=_bytes(reading.net_tx_bps)), className="small"),
        html.H3(t("Watched processes"), className="h6 mt-2"),
        html.Div(processes or html.Span(t("none watched"), className="small text-body-secondary")),
    ])


def _bytes(rate: float | None) -> str:
    """A byte rate in kB or MB (decimal units, as network tools show them)."""
    if rate is None or pd.isna(rate):
        return "–"
    if rate >= 1e6:
        return f"{formatting.number(rate / 1e6, context.lang(), 1)} MB"
    return f"{formatting.number(rate / 1e3, context.lang(), 1)} kB"


def certificate_list(certificates: pd.DataFrame, intervals: dict[int, float] | None = None,
                     now: datetime | None = None) -> html.Div:
    """Days left on each certificate, graded; one whose monitor has no recent check says so instead."""
    t, lang = context.t, context.lang()
    now, intervals = now or utcnow(), intervals or {}
    if certificates.empty:
        return empty_state(t("No https monitors."), t("Certificates are read by http checks of https:// addresses."),
                           icon="shield-lock")
    items = []
    for row in certificates.itertuples():
        stale = is_stale(row.checked_at, intervals.get(row.monitor_id), now)
        days = t("{days} days left, checked {when}", days=formatting.number(row.days_left, lang, 0),
                 when=local_moment(row.checked_at))
        items.append(html.Li([html.Span(row.monitor, className="fw-semibold me-2"),
                              badge("stale" if stale else grade(row.days_left, *CERT_BANDS)),
                              html.Div(days, className="small text-body-secondary"),
                              freshness.stale_line(row.checked_at, now) if stale else None], className="mb-2"))
    return html.Ul(items, className="list-unstyled mb-0")


def alert_list(alerts: pd.DataFrame) -> html.Div:
    t = context.t
    if alerts.empty:
        return empty_state(t("No open server alerts."), icon="bell-slash")
    items = [
        html.Li([badge(row.severity), " ", html.Span(row.title, className="fw-semibold"),
                 html.Div(f"{local_moment(row.opened_at)} · {row.body}", className="small text-body-secondary")],
                className="mb-2")
        for row in alerts.itertuples()
    ]
    return html.Div([html.Ul(items, className="list-unstyled mb-1"),
                     html.A(t("All alerts"), href="/peringatan", className="small")])


def maintenance_list(windows: pd.DataFrame) -> html.Div:
    t = context.t
    if windows.empty:
        return html.Div(t("No maintenance in the next 7 days."), className="small text-body-secondary")
    items = [
        html.Li([html.Span(row.monitor, className="fw-semibold me-2"),
                 f"{local_moment(row.starts_at)} – {local_moment(row.ends_at)}",
                 html.Span(f" · {row.note}" if row.note else "", className="text-body-secondary")],
                className="small")
        for row in windows.head(12).itertuples()
    ]
    return html.Ul(items, className="mb-0 ps-3")
