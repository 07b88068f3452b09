"""Token Pembayaran: each admission wave's payment-token stock against applicant demand, the day it
runs out (with its interval), and the bendahara's top-ups and payment-period extensions.

The bendahara and the administrator record top-ups and extensions here (audit-logged); the director
reads. The forecast method is shown on the page, from :mod:`pantau.tokens.forecast`.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, State, dcc, html

from pantau import formatting
from pantau.db import session_scope
from pantau.i18n import Count
from pantau.models import utcnow
from pantau.tokens import MANAGERS, TokenError, channel_name, channels, record_extension, record_topup, token_settings
from pantau.tokens.stock import MAX_TOPUP
from queries import tokens as queries

from .. import access, context, ids
from ..components import freshness
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.status import grade
from ..components.tables import data_table
from . import tokens_figures as figures

KEY = "tokens"
WAVE = ids.make(KEY, "wave")
SUMMARY = ids.make(KEY, "summary")
CHART = ids.make(KEY, "chart")
OPEN = ids.make(KEY, "open")
HISTORY = ids.make(KEY, "history")
T_CHANNEL = ids.make(KEY, "topup-channel")
T_QUANTITY = ids.make(KEY, "topup-quantity")
T_NOTE = ids.make(KEY, "topup-note")
T_SAVE = ids.make(KEY, "topup-save")
E_DEADLINE = ids.make(KEY, "extension-deadline")
E_NOTE = ids.make(KEY, "extension-note")
E_SAVE = ids.make(KEY, "extension-save")
FEEDBACK = ids.make(KEY, "feedback")
SAVED = ids.make(KEY, "saved")
METHOD = (
    "How the forecast works: the applicants who arrived on each of the last {window} full days (fewer if the "
    "wave opened later) give the mean daily demand m and its spread s. After d days about m·d tokens are asked "
    "for, give or take z·s·√d (z = {z} for a {level} interval). The stock S runs out after S ÷ m days; the "
    "interval solves m·d ± z·s·√d = S. Steady demand gives a narrow interval, erratic demand a wide one."
)


def _today() -> date:
    return formatting.local(utcnow(), context.tz()).date()


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3", **kwargs)


def layout(wave: str | None = None, **_query) -> html.Div:
    """The page; ``?wave=<code>`` preselects a wave (else the first open one, else the latest that has opened,
    its payments perhaps still coming in, else the next to open)."""
    t, engine, zone = context.t, context.engine(), context.tz()
    today, config = _today(), token_settings(context.settings())

    def read():
        return (queries.waves(engine), queries.open_waves(engine, today)["id"].tolist(),
                queries.status(engine, now=utcnow(), zone=zone, window_days=config.window_days,
                               level=config.interval_level))

    waves, open_ids, open_status = context.cached("tokens.layout", [today, zone, config.window_days,
                                                                    config.interval_level], ["money"], read)
    title = html.Div([html.H1(t("Payment tokens"), className="page-title mb-1"), freshness.subject_line("tokens")],
                     className="mb-2")
    if waves.empty:
        return html.Div([title, empty_state(
            t("No admission wave yet."),
            t("Waves, applicants and token stock come from the admission system, or pantau demo."),
            icon="ticket-perforated")])
    chosen = (waves[waves["code"] == wave]["id"].tolist() or open_ids
              or waves[waves["opens_on"] <= today]["id"].tolist() or waves["id"].tolist())
    method = t(METHOD, window=config.window_days, z=formatting.number(1.28, context.lang(), 2),
               level=formatting.percent(config.interval_level, context.lang(), 0))
    return html.Div([
        html.Div([title, dcc.Dropdown(id=WAVE, clearable=False, value=int(chosen[0]), style={"minWidth": "22rem"},
                                      options=[{"label": f"{row.name} ({row.code})", "value": int(row.id)}
                                               for row in waves.itertuples()])],
                 className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3"),
        dcc.Loading(html.Div(id=SUMMARY), delay_show=400),
        _card(t("Stock against demand"), html.Div([
            html.Div(id=CHART),
            html.Details([html.Summary(t("How the forecast works")), html.P(method, className="small mb-0")],
                         className="small text-body-secondary mt-2"),
        ])),
        _card(t("Days left per open wave"), html.Div(id=OPEN, children=freshness.aged(_open_table(open_status),
                                                                                     freshness.feed("tokens")))),
        _forms(chosen[0]),
        _card(t("Top-ups and extensions"), html.Div(id=HISTORY)),
        dcc.Store(id=SAVED),
    ])


def _forms(wave_id: int):
    t = context.t
    if context.user().role not in MANAGERS:
        return html.P(t("Only the bendahara records top-ups and extensions; you can read the stock."),
                      className="small text-body-secondary")
    with session_scope(context.engine()) as session:
        known = channels(session, wave_id)
    topup = dbc.Row([
        dbc.Col(dcc.Dropdown(id=T_CHANNEL, options=_channel_options(known), placeholder=t("Channel")), md=3),
        dbc.Col(dbc.Input(id=T_QUANTITY, type="number", min=1, step=1, placeholder=t("Tokens to add")), md=3),
        dbc.Col(dbc.Input(id=T_NOTE, placeholder=t("Note"), maxLength=300), md=4),
        dbc.Col(dbc.Button([html.I(className="bi bi-plus-circle me-1"), t("Record top-up")], id=T_SAVE,
                           color="primary", className="w-100"), md=2),
    ], className="g-2 mb-2")
    extension = dbc.Row([
        dbc.Col(dcc.DatePickerSingle(id=E_DEADLINE, display_format="DD/MM/YYYY", placeholder=t("New deadline")), md=3),
        dbc.Col(dbc.Input(id=E_NOTE, placeholder=t("Why the payment period is extended"), maxLength=300), md=7),
        dbc.Col(dbc.Button([html.I(className="bi bi-calendar-plus me-1"), t("Record extension")], id=E_SAVE,
                           color="secondary", className="w-100"), md=2),
    ], className="g-2")
    return _card(t("Record a top-up or an extension"), html.Div([
        html.H3(t("Token top-up"), className="h6 text-body-secondary"), topup,
        html.H3(t("Payment-period extension"), className="h6 text-body-secondary mt-3"), extension,
        html.Div(id=FEEDBACK, className="mt-2", role="status"),
    ]))


def _open_table(frame: pd.DataFrame):
    t, lang = context.t, context.lang()
    if frame.empty:
        return empty_state(t("No admission wave is open today."), icon="calendar-x")
    shown = pd.DataFrame({
        "wave": [name or code for name, code in zip(frame["name"], frame["wave"], strict=True)],
        "channel": [_channel(code) for code in frame["channel"]],
        "stock": [formatting.number(v, lang) for v in frame["stock"]],
        "demand": [formatting.number(v, lang, 1) for v in frame["demand"]],
        "days": [_days(row) for row in frame.itertuples()],
        "stockout": [formatting.day(v, lang) if v else "–" for v in frame["stockout_on"]],
        "closes": [formatting.day(v, lang) for v in frame["closes_on"]],
    })
    return data_table(ids.make(KEY, "open-table"), shown, {
        "wave": t("Admission wave"), "channel": t("Channel"), "stock": t("Stock"), "demand": t("Demand a day"),
        "days": t("Days left"), "stockout": t("Runs out about"), "closes": t("Wave closes")},
        page_size=12)


def _days(row) -> str:
    lang = context.lang()
    if row.days_left is None or pd.isna(row.days_left):
        return context.t("no demand")
    return context.t("{days} ({low}–{high})", days=formatting.number(row.days_left, lang, 1),
                     low=formatting.number(row.low, lang, 1), high=formatting.number(row.high, lang, 1))


@dash.callback(Output(SUMMARY, "children"), Output(CHART, "children"), Output(HISTORY, "children"),
               Input(WAVE, "value"), Input(SAVED, "data"))
def _refresh(wave_id, _saved):
    engine, now, zone = context.engine(), utcnow(), context.tz()
    config = token_settings(context.settings())

    def read():
        return (queries.waves(engine),
                queries.status(engine, now=now, zone=zone, window_days=config.window_days,
                               level=config.interval_level, wave_ids=[wave_id], arriving_hours=config.arriving_hours),
                queries.daily(engine, wave_id, zone=zone, now=now), queries.topups(engine, wave_id),
                queries.extensions(engine, wave_id))

    waves, status, days, topups, extensions = context.cached("tokens.wave", [wave_id, zone], ["money"], read)
    wave = next(waves[waves["id"] == wave_id].itertuples())
    today, lang = _today(), context.lang()
    # Plotly builds the chart in about a tenth of a second: kept with the reads it is drawn from
    chart = context.cached("tokens.chart", [wave_id, zone, today, lang], ["money"],
                           lambda: figures.stock_and_demand(days, status, topups, extensions, wave, today,
                                                            config.channel_names))
    fresh = freshness.feed("tokens", now)
    return (_summary(status, wave, fresh), freshness.aged(chart, fresh, now),
            freshness.aged(_history(topups, extensions), fresh, now))


def _summary(status: pd.DataFrame, wave, fresh=None) -> dbc.Row:
    """The chosen wave's figures, each card's scope line naming the wave (every channel of it; the days left
    are the channel that runs out first)."""
    t, lang = context.t, context.lang()
    scope = t("wave: {wave}", wave=wave.name)
    band = context.settings().thresholds["token_days_left"]
    known = status[status["days_left"].notna()]
    first = known.sort_values("days_left").iloc[0] if not known.empty else None
    days = None if first is None else float(first["days_left"])
    cards = [
        kpi_card(t("Token days left"), "–" if days is None else formatting.number(days, lang, 1),
                 grade(days, band.good, band.warn, band.higher_is_better),
                 note=None if first is None
                 else t("{channel}: {low}–{high} days, {level} interval", channel=_channel(first["channel"]),
                                                  low=formatting.number(first["low"], lang, 1),
                                                  high=formatting.number(first["high"], lang, 1),
                                                  level=formatting.percent(first["forecast"].level, lang, 0)),
                 fresh=fresh, scope=scope),
        kpi_card(t("Stock"), formatting.number(int(status["stock"].sum()) if not status.empty else 0, lang), "info",
                 note=t("Payment deadline {day}", day=formatting.day(wave.payment_deadline, lang)), fresh=fresh,
                 scope=scope),
        kpi_card(t("Demand a day"),
                 formatting.number(float(status["demand"].sum()) if not status.empty else 0, lang, 1),
                 "info", note=t("Applicants arriving, recent days"), fresh=fresh, scope=scope),
        kpi_card(t("Applicants waiting for a token"), formatting.number(int(status["waiting"].sum())
                                                                        if not status.empty else 0, lang),
                 "bad" if not status.empty and status["waiting"].sum() else "good",
                 note=t("Arrived recently without a token"), fresh=fresh, scope=scope),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])


def _history(topups: pd.DataFrame, extensions: pd.DataFrame):
    """Top-ups and extensions, newest first: what was just recorded is the first row."""
    t, lang, tz = context.t, context.lang(), context.tz()
    rows = [{"at": row.occurred_at, "when": formatting.moment(row.occurred_at, lang, tz),
             "what": t("Initial stock") if row.kind == "initial" else t("Token top-up"),
             "detail": f"{_channel(row.channel)}: +{formatting.number(row.quantity, lang)}",
             "who": row.recorded_by, "note": row.note or ""} for row in topups.itertuples()]
    rows += [{"at": row.recorded_at, "when": formatting.moment(row.recorded_at, lang, tz),
              "what": t("Payment-period extension"),
              "detail": f"{formatting.day(row.previous_deadline, lang)} → {formatting.day(row.new_deadline, lang)}",
              "who": row.recorded_by, "note": row.note or ""} for row in extensions.itertuples()]
    if not rows:
        return empty_state(t("No top-up or extension recorded for this wave."), icon="clock-history")
    frame = pd.DataFrame(rows)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return data_table(ids.make(KEY, "history-table"), frame.sort_values("at", ascending=False, kind="stable"), {
        "when": t("When"), "what": t("What"), "detail": t("Change"), "who": t("Recorded by"), "note": t("Note")},
        page_size=10)


@dash.callback(Output(FEEDBACK, "children"), Output(SAVED, "data"),
               Input(T_SAVE, "n_clicks"), Input(E_SAVE, "n_clicks"), State(WAVE, "value"),
               State(T_CHANNEL, "value"), State(T_QUANTITY, "value"), State(T_NOTE, "value"),
               State(E_DEADLINE, "date"), State(E_NOTE, "value"), prevent_initial_call=True)
def _record(_topup, _extension, wave_id, channel, quantity, topup_note, deadline, extension_note):
    user = context.user()
    if user.role not in MANAGERS:
        flask.abort(403)
    t = context.t
    try:
        with session_scope(context.engine()) as session:
            if dash.ctx.triggered_id == T_SAVE:
                if not isinstance(_whole(quantity), int) or not 0 < _whole(quantity) <= MAX_TOPUP:
                    raise TokenError("Enter a whole number of tokens from 1 to {most}.", most=Count(MAX_TOPUP))
                record_topup(session, wave_id=wave_id, channel=channel or "", quantity=_whole(quantity),
                             actor=user.username, note=topup_note, ip=flask.request.remote_addr)
                done = t("Top-up recorded.")
            else:
                if not deadline:
                    raise TokenError("Choose the new deadline.")
                record_extension(session, wave_id=wave_id, new_deadline=date.fromisoformat(deadline[:10]),
                                 actor=user.username, note=extension_note, ip=flask.request.remote_addr)
                done = t("Extension recorded.")
    except TokenError as error:
        return dbc.Alert(t("Not recorded: {reason}", reason=error.say(context.lang())), color="warning"), dash.no_update
    return dbc.Alert(done, color="success"), utcnow().isoformat()


def _whole(quantity):
    """The form's number as an int when it is a whole number (anything else is refused by the record)."""
    return int(quantity) if isinstance(quantity, (int, float)) and float(quantity).is_integer() else quantity


@dash.callback(Output(T_CHANNEL, "options"), Output(T_CHANNEL, "value"), Input(WAVE, "value"),
               prevent_initial_call=True)
def _channels(wave_id):
    if context.user().role not in MANAGERS:
        flask.abort(403)
    with session_scope(context.engine()) as session:
        return _channel_options(channels(session, wave_id)), None


def _channel(code: str) -> str:
    """What the campus calls a token channel (`bank-bri` is "Bank BRI"; `[tokens] channel_names`)."""
    return channel_name(code, context.lang(), token_settings(context.settings()).channel_names)


def _channel_options(codes: list[str]) -> list[dict]:
    return [{"label": _channel(code), "value": code} for code in codes]


access.register_page(
    __name__,
    key=KEY,
    path="/token",
    title="Payment tokens",
    group="Finance",
    icon="ticket-perforated",
    roles=("bendahara", "direktur", "admin"),
    order=31,
    layout=layout,
)
