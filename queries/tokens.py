"""Payment tokens, read side: stock and demand per admission wave and channel, the stock-out
forecast, and what the bendahara did (top-ups, payment-period extensions).

KPI (UI.md) Sisa hari token, :func:`days_left`: the forecast days until a wave's token stock
reaches zero, with its interval; over the open waves, the channel that runs out first.
Demand is applicants arriving per day (they ask for a token whether or not one is left); stock is
Σ initial + Σ top-ups − Σ tokens issued. The forecast method is in :mod:`pantau.tokens.forecast`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, Engine, String, case, column, func, literal_column, or_, select, values

from pantau.models import AdmissionWave, Applicant, PaymentPeriodExtension, TokenMovement
from pantau.models.base import UTCDateTime
from pantau.recon.sql import local_day
from pantau.tokens.forecast import DEFAULT_LEVEL, Forecast, cone, forecast

from .frames import read_frame

WAVE_COLUMNS = ["id", "code", "name", "year", "opens_on", "closes_on", "payment_deadline"]


@dataclass(frozen=True)
class DaysLeft:
    """Sisa hari token: the open wave and channel that runs out first, and its forecast."""

    wave: str
    channel: str
    forecast: Forecast


def _day_column(connection: Connection, column: str, zone: str, now: datetime):
    return literal_column(local_day(connection, column, zone, now))


def waves(engine: Engine) -> pd.DataFrame:
    """Every admission wave, newest first."""
    return read_frame(engine, select(*(getattr(AdmissionWave, c) for c in WAVE_COLUMNS))
                       .order_by(AdmissionWave.opens_on.desc(), AdmissionWave.id.desc()))


def open_waves(engine: Engine, today: date) -> pd.DataFrame:
    """Waves taking applicants on ``today``."""
    frame = waves(engine)
    return frame[(frame["opens_on"] <= today) & (frame["closes_on"] >= today)].reset_index(drop=True)


def daily(engine: Engine, wave_id: int, *, zone: str, now: datetime) -> pd.DataFrame:
    """A wave's days, per channel: ``day, channel, supplied`` (initial stock and top-ups),
    ``issued``, ``arrivals`` (demand) and ``stock`` at the end of the day, from opening to today, as known at
    ``now`` (what happened later is left out, so a past ``now`` gives the figures of that moment)."""
    with engine.connect() as connection:
        moved_day = _day_column(connection, "token_movements.occurred_at", zone, now).label("day")
        moves = connection.execute(
            select(moved_day, TokenMovement.channel,
                   func.sum(case((TokenMovement.kind == "issued", 0), else_=TokenMovement.quantity)).label("supplied"),
                   func.sum(case((TokenMovement.kind == "issued", TokenMovement.quantity), else_=0)).label("issued"))
            .where(TokenMovement.wave_id == wave_id, TokenMovement.occurred_at <= now)
            .group_by(moved_day, TokenMovement.channel)
        ).all()
        arrivals = _arrivals(connection, wave_id, ZoneInfo(zone), now)
    frame = pd.DataFrame(moves, columns=["day", "channel", "supplied", "issued"]).merge(
        pd.DataFrame(arrivals, columns=["day", "channel", "arrivals"]), on=["day", "channel"], how="outer")
    if frame.empty:
        return pd.DataFrame(columns=["day", "channel", "supplied", "issued", "arrivals", "stock"])
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame = _fill_days(frame.fillna(0), _today(now, zone))
    frame["stock"] = (frame["supplied"] - frame["issued"]).groupby(frame["channel"]).cumsum()
    return frame


def _arrivals(connection: Connection, wave_id: int, zone: ZoneInfo, now: datetime) -> list[tuple[date, str, int]]:
    """Applicants arrived by ``now`` per local day and channel: each (day, channel) is counted over its own stretch
    of the (wave, channel, arrival) index, so the cost follows the days and channels, not the applicants. The days
    run from the wave's first arrival to its last (by ``now``), never on to today: a wave closed a year ago costs
    what it cost the day it closed (days with no arrival are filled in by :func:`_fill_days`)."""
    mine = (Applicant.wave_id == wave_id, Applicant.arrived_at <= now)
    first, latest = connection.execute(select(func.min(Applicant.arrived_at), func.max(Applicant.arrived_at))
                                       .where(*mine)).one()
    if first is None:
        return []
    channels = list(connection.scalars(select(Applicant.channel).where(Applicant.wave_id == wave_id).distinct()))
    day, last = first.astimezone(zone).date(), latest.astimezone(zone).date()
    rows = []
    while day <= last:
        since = datetime.combine(day, time(), zone)
        until = datetime.combine(day + timedelta(days=1), time(), zone)
        rows += [(channel, day, since, until) for channel in channels]
        day += timedelta(days=1)
    spans = values(column("channel", String()), column("day", Date()), column("since", UTCDateTime()),
                   column("until", UTCDateTime()), name="spans").data(rows).cte("spans")
    counted = (select(func.count()).where(*mine, Applicant.channel == spans.c.channel,
                                          Applicant.arrived_at >= spans.c.since, Applicant.arrived_at < spans.c.until)
               .scalar_subquery())
    found = connection.execute(select(spans.c.day, spans.c.channel, counted)).all()
    return [(day, channel, count) for day, channel, count in found if count]


def _fill_days(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """Every day from the first to ``today`` for every channel, zero where nothing happened."""
    days = pd.date_range(min(frame["day"]), max(max(frame["day"]), today)).date
    index = pd.MultiIndex.from_product([sorted(frame["channel"].unique()), days], names=["channel", "day"])
    filled = frame.set_index(["channel", "day"]).groupby(level=[0, 1]).sum().reindex(index, fill_value=0)
    filled = filled.reset_index()[["day", "channel", "supplied", "issued", "arrivals"]]
    return filled.astype({"supplied": int, "issued": int, "arrivals": int})


def _today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def status(engine: Engine, *, now: datetime, zone: str, window_days: int = 14, level: float = DEFAULT_LEVEL,
           wave_ids: list[int] | None = None, arriving_hours: float = 24) -> pd.DataFrame:
    """Per wave and channel (open waves unless ``wave_ids``): ``stock``, recent daily demand
    (``demand``, ``demand_sd``), ``days_left`` with ``low``/``high``, the forecast ``stockout_on``,
    and ``waiting``, the applicants of the last ``arriving_hours`` still without a token."""
    return status_with_days(engine, now=now, zone=zone, window_days=window_days, level=level, wave_ids=wave_ids,
                            arriving_hours=arriving_hours)[0]


def status_with_days(engine: Engine, *, now: datetime, zone: str, window_days: int = 14,
                     level: float = DEFAULT_LEVEL, wave_ids: list[int] | None = None,
                     arriving_hours: float = 24) -> tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """:func:`status` and the :func:`daily` frame of each wave it covers (by wave id), read once for both."""
    today = _today(now, zone)
    chosen = waves(engine)
    chosen = chosen[chosen["id"].isin(wave_ids)] if wave_ids is not None else open_waves(engine, today)
    rows, frames = [], {}
    for wave in chosen.itertuples(index=False):
        days = frames[int(wave.id)] = daily(engine, wave.id, zone=zone, now=now)
        waiting = _waiting(engine, wave.id, now - timedelta(hours=arriving_hours), now)
        for channel, series in days.groupby("channel"):
            recent = series[(series["day"] < today) & (series["day"] >= max(wave.opens_on,
                                                                            today - timedelta(days=window_days)))]
            stock = int(series["stock"].iloc[-1])
            predicted = forecast(stock, recent["arrivals"].tolist(), level)
            rows.append({
                "wave_id": wave.id, "wave": wave.code, "name": wave.name, "channel": channel, "stock": stock,
                "demand": predicted.mean_daily, "demand_sd": predicted.std_daily, "days_left": predicted.days_left,
                "low": predicted.low, "high": predicted.high,
                "stockout_on": None if predicted.days_left is None
                else today + timedelta(days=int(np.floor(predicted.days_left))),
                "closes_on": wave.closes_on, "waiting": waiting.get(channel, 0), "forecast": predicted,
            })
    return pd.DataFrame(rows, columns=["wave_id", "wave", "name", "channel", "stock", "demand", "demand_sd",
                                       "days_left", "low", "high", "stockout_on", "closes_on", "waiting",
                                       "forecast"]), frames


def _waiting(engine: Engine, wave_id: int, since: datetime, now: datetime) -> dict[str, int]:
    query = (select(Applicant.channel, func.count()).where(
        Applicant.wave_id == wave_id, Applicant.arrived_at >= since, Applicant.arrived_at <= now,
        or_(Applicant.token_issued_at.is_(None), Applicant.token_issued_at > now))
        .group_by(Applicant.channel))
    with engine.connect() as connection:
        return dict(connection.execute(query).all())


def days_left(engine: Engine, *, now: datetime, zone: str, window_days: int = 14,
              level: float = DEFAULT_LEVEL) -> DaysLeft | None:
    """Sisa hari token (see the module doc); None when no wave is open or none has demand."""
    found = status(engine, now=now, zone=zone, window_days=window_days, level=level)
    found = found[found["days_left"].notna()]
    if found.empty:
        return None
    first = found.sort_values(["days_left", "wave", "channel"]).iloc[0]
    return DaysLeft(first["wave"], first["channel"], first["forecast"])


def forecast_cone(predicted: Forecast, start: date, horizon: int = 30) -> pd.DataFrame:
    """The expected stock and its interval for each day from ``start`` until it reaches zero."""
    return pd.DataFrame(
        [(start + timedelta(days=step), expected, lower, upper) for step, expected, lower,
         upper in cone(predicted, horizon)],
        columns=["day", "expected", "lower", "upper"],
    )


def topups(engine: Engine, wave_id: int) -> pd.DataFrame:
    """The wave's initial stock and top-ups: when, channel, quantity, who recorded it and the note."""
    return read_frame(engine, select(TokenMovement.occurred_at, TokenMovement.channel, TokenMovement.kind,
                                      TokenMovement.quantity, TokenMovement.recorded_by, TokenMovement.recorded_at,
                                      TokenMovement.note)
                       .where(TokenMovement.wave_id == wave_id, TokenMovement.kind != "issued")
                       .order_by(TokenMovement.occurred_at))


def extensions(engine: Engine, wave_id: int) -> pd.DataFrame:
    """The wave's payment-period extensions: from, to, who, when and why."""
    return read_frame(engine, select(PaymentPeriodExtension.previous_deadline, PaymentPeriodExtension.new_deadline,
                                      PaymentPeriodExtension.recorded_by, PaymentPeriodExtension.recorded_at,
                                      PaymentPeriodExtension.note)
                       .where(PaymentPeriodExtension.wave_id == wave_id).order_by(PaymentPeriodExtension.recorded_at))
