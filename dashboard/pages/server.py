"""Kesehatan Server: are the payment server, the H2H server and the bank link up, how fast, how loaded.

The IT head (and the administrator) get the whole page; directors get its summary: the status tiles and
availability against the target. Everything is read from the store and refreshed every 30 seconds; the
web process never probes.
"""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

import queries.servers as servers
from pantau.models import utcnow
from pantau.monitoring.settings import MonitoringSettings, monitoring_settings
from pantau.settings import KpiThreshold
from queries.sources import is_stale as servers_stale

from .. import access, context, ids
from ..components import freshness, graph
from ..components.empty import empty_state
from . import server_blocks as blocks
from . import server_figures as figures
from . import server_panels as panels

KEY = "server"
TICK = ids.make(KEY, "tick")
MONITOR = ids.make(KEY, "monitor")
RANGE = ids.make(KEY, "range")
TILES = ids.make(KEY, "tiles")
UPTIME = ids.make(KEY, "uptime")
LATENCY = ids.make(KEY, "latency")
LEVEL = ids.make(KEY, "level")
TIMELINE = ids.make(KEY, "timeline")
INCIDENTS = ids.make(KEY, "incidents")
HOST = ids.make(KEY, "host")
HOST_CHART = ids.make(KEY, "host-chart")
HOST_NOW = ids.make(KEY, "host-now")
CERTIFICATES = ids.make(KEY, "certificates")
ALERTS = ids.make(KEY, "alerts")
MAINTENANCE = ids.make(KEY, "maintenance")

FULL_ROLES = ("kepala_it", "admin")
REFRESH_MS = 30_000
RANGE_NAMES = {"1h": "1 hour", "24h": "24 hours", "7d": "7 days", "30d": "30 days", "1y": "1 year"}
LEVEL_NAMES = {"sample": "every check", "minute": "per minute", "hour": "per hour", "day": "per day"}
LEVEL_STEPS = {"minute": 60, "hour": 3600, "day": 86_400}
"""Seconds between two points of a rollup level; raw checks come every monitor's own interval."""
DEFAULT_TARGET = KpiThreshold(good=0.995, warn=0.98)
INCIDENT_LIMIT = 200
"""The newest incidents of a range shown in its timeline and table."""


def _full_view() -> bool:
    return context.user().role in FULL_ROLES


def _options() -> MonitoringSettings:
    try:
        return monitoring_settings(context.settings())
    except ValueError:
        return MonitoringSettings()


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3", **kwargs)


def layout(monitor: str | None = None, host: str | None = None, range: str | None = None, **_query) -> html.Div:
    """The page; ``?monitor=<id>``, ``?host=<name>`` and ``?range=<1h|24h|7d|30d|1y>`` preselect the pickers
    (without ``?host``, the host heard from last: a live one before hosts that stopped reporting)."""
    t = context.t
    heading = html.H1(t("Server health"), className="page-title mb-0")
    tick = dcc.Interval(id=TICK, interval=REFRESH_MS)
    tiles, uptime = _overview_parts()
    if not _full_view():
        return html.Div([
            heading,
            html.P(t("Summary: status and availability of the monitored servers."), className="text-body-secondary"),
            html.Div(tiles, id=TILES, className="mb-3"),
            _card(t("Availability against the target"), html.Div(uptime, id=UPTIME)),
            tick,
        ])
    engine = context.engine()
    known = servers.monitors(engine)
    choices = [{"label": name, "value": int(key)} for key, name in zip(known["id"], known["label"])]
    chosen = int(monitor) if monitor and monitor.isdigit() and int(monitor) in known["id"].tolist() else (
        choices[0]["value"] if choices else None)
    picked_range = range if range in RANGE_NAMES else "24h"
    heard = servers.hosts(engine)
    host_names = heard["host"].tolist()
    newest = heard.sort_values("collected_at", ascending=False, kind="stable")["host"].tolist()
    controls = html.Div([
        dcc.Dropdown(id=MONITOR, options=choices, value=chosen, clearable=False, style={"minWidth": "14rem"},
                     placeholder=t("Monitor")),
        dbc.RadioItems(id=RANGE, value=picked_range, inline=True,
                       className="d-flex flex-wrap",
                       options=[{"label": t(name), "value": key} for key, name in RANGE_NAMES.items()],
                       inputClassName="btn-check", labelClassName="btn btn-outline-primary btn-sm text-nowrap",
                       labelCheckedClassName="active"),
    ], className="d-flex flex-wrap align-items-center gap-2")
    picked_host = host if host in host_names else (newest[0] if newest else None)
    host_picker = dcc.Dropdown(id=HOST, options=host_names, clearable=False, className="mb-2",
                               style={"maxWidth": "24rem"}, value=picked_host)
    latency, level, timeline, incidents, maintenance = _history_parts(chosen, picked_range)
    host_chart, host_now = _host_parts(picked_host, picked_range)
    alerts, certificates = _side_parts()
    return html.Div([
        html.Div([heading, controls], className="d-flex flex-wrap justify-content-between align-items-center "
                                                 "gap-2 mb-3"),
        html.Div(tiles, id=TILES, className="mb-3"),
        dbc.Row([
            dbc.Col(_card(t("Availability against the target"), html.Div(uptime, id=UPTIME)), lg=7),
            dbc.Col(_card(t("Open server alerts"), html.Div(alerts, id=ALERTS)), lg=5),
        ]),
        dbc.Row([
            dbc.Col(_card(t("Latency and packet loss"), html.Div([
                dcc.Loading(html.Div(latency, id=LATENCY), delay_show=400),
                html.Div(level, id=LEVEL, className="small text-body-secondary"),
            ])), lg=8),
            dbc.Col([
                _card(t("TLS certificates"), html.Div(certificates, id=CERTIFICATES)),
                _card(t("Maintenance, next 7 days"), html.Div(maintenance, id=MAINTENANCE)),
            ], lg=4),
        ]),
        _card(t("Incidents"), html.Div([html.Div(timeline, id=TIMELINE), html.Div(incidents, id=INCIDENTS)])),
        _card(t("Host load"), html.Div([
            host_picker,
            dbc.Row([dbc.Col(html.Div(host_chart, id=HOST_CHART), lg=8),
                     dbc.Col(html.Div(host_now, id=HOST_NOW), lg=4)]),
        ])),
        tick,
    ])


@dash.callback(Output(TILES, "children"), Output(UPTIME, "children"), Input(TICK, "n_intervals"),
               prevent_initial_call=True)
def _overview(_tick):
    return _overview_parts()


def _overview_parts() -> tuple:
    """The tiles and the availability table."""
    engine, retention = context.engine(), _options().rollup_retention()
    known, uptime, now = context.cached("server.overview", [retention], ["servers"], lambda: _read_overview(engine,
                                                                                                         retention))
    target = context.settings().thresholds.get("availability_30d", DEFAULT_TARGET)
    return (blocks.tiles(known, uptime, clickable=_full_view(), now=now),
            blocks.uptime_table(known, uptime, target, now=now))


def _read_overview(engine, retention) -> tuple:
    """The monitors, their availability over each window, and the moment both were read (the tiles and the
    table say how old each monitor's newest check is)."""
    now = utcnow()
    known = servers.monitors(engine)
    return known, servers.uptime(engine, known["id"].tolist(), now=now, retention=retention), now


@dash.callback(
    Output(LATENCY, "children"), Output(LEVEL, "children"), Output(TIMELINE, "children"),
    Output(INCIDENTS, "children"), Output(MAINTENANCE, "children"),
    Input(TICK, "n_intervals"), Input(MONITOR, "value"), Input(RANGE, "value"), prevent_initial_call=True,
)
def _history(_tick, monitor_id, range_key):
    if not _full_view() or range_key not in RANGE_NAMES:
        raise PreventUpdate
    return _history_parts(monitor_id, range_key)


def _history_parts(monitor_id, range_key: str) -> tuple:
    """The picked monitor's latency, the rollup level, the incidents' timeline and table, and maintenance ahead."""
    t, engine, tz = context.t, context.engine(), context.tz()
    picked = servers.time_range(range_key)
    now = utcnow()
    start = now - picked.span
    names = servers.monitor_names(engine)
    level = t("Rollup level: {level}", level=t(LEVEL_NAMES[picked.level]))
    if monitor_id in names:
        series = servers.latency(engine, monitor_id, range_key, now)
        windows = servers.maintenance(engine, start, now, tz, monitor_ids=[monitor_id])
        monitor = _monitor_row(engine, monitor_id)
        step = LEVEL_STEPS.get(picked.level) or monitor["interval_s"]
        latency = (html.Div([
            graph.graph(figures.latency_figure(series, names[monitor_id], t(RANGE_NAMES[range_key]), windows,
                                               step_s=step, end=now)),
            _series_freshness(monitor, now),
        ]) if not series.empty else empty_state(t("No checks of this monitor in this range."),
                                                t("Pick a longer range, or check that `pantau collect` runs."),
                                                icon="graph-up"))
    else:
        latency = empty_state(t("No monitor picked."), t("Monitors come from [[monitors]] in the configuration."))
    incidents = servers.incidents(engine, start, now, monitor_ids=list(names), limit=INCIDENT_LIMIT)
    windows = servers.maintenance(engine, start, now, tz, monitor_ids=list(names))
    kinds = {kind: t(name) for kind, name in panels.KIND_NAMES.items()}
    timeline = (graph.graph(figures.incident_figure(incidents, windows, start, now, kinds))
                if not (incidents.empty and windows.empty) else None)
    upcoming = servers.maintenance(engine, now, now + timedelta(days=7), tz, monitor_ids=list(names))
    return latency, level, timeline, panels.incident_table(incidents), panels.maintenance_list(upcoming)


@dash.callback(Output(HOST_CHART, "children"), Output(HOST_NOW, "children"),
               Input(TICK, "n_intervals"), Input(HOST, "value"), Input(RANGE, "value"), prevent_initial_call=True)
def _host(_tick, host, range_key):
    if not _full_view() or range_key not in RANGE_NAMES:
        raise PreventUpdate
    return _host_parts(host, range_key)


def _host_parts(host, range_key: str) -> tuple:
    """The picked host's load chart and its newest reading."""
    t, engine = context.t, context.engine()
    newest = servers.hosts(engine, host=host) if host else None
    reading = newest.iloc[0] if newest is not None and not newest.empty else None
    history = servers.host_history(engine, host, range_key) if reading is not None else None
    chart = (graph.graph(figures.host_figure(history, host, t(RANGE_NAMES[range_key])))
             if history is not None and not history.empty else None)
    every = max(_options().host_every_s, context.settings().source_status.agent_every_s)
    return chart, panels.host_now(reading, _options().disk_alert_percent, every)


@dash.callback(Output(ALERTS, "children"), Output(CERTIFICATES, "children"), Input(TICK, "n_intervals"),
               prevent_initial_call=True)
def _side(_tick):
    if not _full_view():
        raise PreventUpdate
    return _side_parts()


def _side_parts() -> tuple:
    """The open server alerts and the TLS certificates."""
    engine, lang = context.engine(), context.lang()
    known, alerts, certificates, now = context.cached("server.side", [lang], ["servers", "system"], lambda: (
        servers.monitors(engine), servers.server_alerts(engine, lang=lang), servers.certificates(engine), utcnow()))
    intervals = dict(zip(*(known[column].tolist() for column in ("id", "interval_s"))))
    return panels.alert_list(alerts), panels.certificate_list(certificates, intervals, now)


def _monitor_row(engine, monitor_id: int) -> dict:
    """The monitor's newest check and interval (60 s when unknown)."""
    known = servers.monitors(engine)
    found = known.loc[known["id"] == monitor_id]
    if found.empty:
        return {"checked_at": None, "interval_s": 60.0}
    row = found.iloc[0]
    return {"checked_at": row["checked_at"], "interval_s": float(row["interval_s"] or 60.0)}


def _series_freshness(monitor: dict, now) -> html.Div | None:
    """Under the chart: when the monitor was last checked, or that it has had no check for two intervals."""
    newest = monitor["checked_at"]
    if servers_stale(newest, monitor["interval_s"], now):
        return freshness.stale_line(newest, now, className="small fw-semibold text-secondary-emphasis chart-stale")
    return freshness.line(freshness.Freshness(pd.Timestamp(newest).to_pydatetime()), now,
                          label="Newest check {when}", className="small text-body-secondary chart-fresh")


# A tile picks its monitor in the browser: the tiles appearing fire this too, which a server callback answered
# with a round trip after the charts were drawn. Only the full view has the monitor picker this sets.
# The range picker, which both charts read, set again where the language switch brings the pickers back.
access.redraw_when_restored(RANGE)

dash.clientside_callback(
    """function (clicks) {
        const picked = dash_clientside.callback_context.triggered_id;
        return picked && (clicks || []).some(Boolean) ? picked.index : dash_clientside.no_update;
    }""",
    Output(MONITOR, "value"), Input(ids.matching(KEY, "tile", ALL), "n_clicks"), prevent_initial_call=True)


access.register_page(
    __name__,
    key=KEY,
    path="/server",
    title="Server health",
    group="Operations",
    icon="hdd-network",
    roles=("kepala_it", "admin", "direktur"),
    order=20,
    layout=layout,
)
