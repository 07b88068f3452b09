"""queries.tokens on both stores: a wave's days of stock and demand, the forecast per channel, the
Sisa hari token KPI, and the bendahara's top-ups and extensions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pantau.db import session_scope
from pantau.models import AdmissionWave, Applicant, TokenMovement
from pantau.tokens import record_extension, record_topup
from queries import tokens

NOW = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
ZONE = "Asia/Jakarta"


@pytest.fixture
def wave(store):
    """Open since 4 March (WIB): 20 tokens a channel, 4 applicants a day on 'online', 2 on 'bank-bni'."""
    with session_scope(store) as session:
        wave = AdmissionWave(code="PMB2026-G1", name="Gelombang 1", year=2026, opens_on=date(2026, 3, 4),
                             closes_on=date(2026, 3, 31), payment_deadline=date(2026, 4, 3))
        session.add(wave)
        session.flush()
        opened = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
        for channel, per_day in (("online", 4), ("bank-bni", 2)):
            session.add(TokenMovement(wave_id=wave.id, channel=channel, kind="initial", quantity=20, occurred_at=opened,
                                      recorded_by="bendahara"))
            for day in range(6):
                moment = opened + timedelta(days=day, hours=2)
                for number in range(per_day):
                    session.add(Applicant(reg_no=f"{channel}-{day}-{number}", name="Calon", wave_id=wave.id,
                                          channel=channel, arrived_at=moment, token_issued_at=moment))
                session.add(TokenMovement(wave_id=wave.id, channel=channel, kind="issued", quantity=per_day,
                                          occurred_at=moment, recorded_by="sipenmatu"))
        wave_id = wave.id
    return store, wave_id


def test_qt001_daily_stock_falls_by_the_tokens_issued(wave):
    store, wave_id = wave
    days = tokens.daily(store, wave_id, zone=ZONE, now=NOW)
    online = days[days["channel"] == "online"].set_index("day")
    assert online.loc[date(2026, 3, 4), "stock"] == 16 and online.loc[date(2026, 3, 9), "stock"] == -4
    assert online.loc[date(2026, 3, 10), ["arrivals", "issued", "stock"]].tolist() == [0, 0, -4]
    assert list(days["channel"].unique()) == ["bank-bni", "online"]


def test_qt002_status_forecasts_each_channel_from_recent_full_days(wave):
    store, wave_id = wave
    status = tokens.status(store, now=NOW, zone=ZONE).set_index("channel")
    assert status.loc["bank-bni", "stock"] == 8
    assert status.loc["bank-bni", "demand"] == pytest.approx(2)
    assert status.loc["bank-bni", "days_left"] == pytest.approx(4)
    assert status.loc["bank-bni", "stockout_on"] == date(2026, 3, 14)
    assert status.loc["online", "days_left"] == 0


def test_qt003_days_left_kpi_is_the_first_channel_to_run_out(wave):
    store, wave_id = wave
    with session_scope(store) as session:
        record_topup(session, wave_id=wave_id, channel="online", quantity=100, actor="bendahara", when=NOW)
    first = tokens.days_left(store, now=NOW, zone=ZONE)
    assert (first.wave, first.channel) == ("PMB2026-G1", "bank-bni")
    assert first.forecast.days_left == pytest.approx(4)
    assert tokens.days_left(store, now=datetime(2026, 6, 1, tzinfo=UTC), zone=ZONE) is None


def test_qt004_topups_and_extensions_for_the_timeline(wave):
    store, wave_id = wave
    with session_scope(store) as session:
        record_topup(session, wave_id=wave_id, channel="bank-bni", quantity=30, actor="bendahara", when=NOW,
                     note="Stok hampir habis")
        record_extension(session, wave_id=wave_id, new_deadline=date(2026, 4, 7), actor="bendahara")
    added = tokens.topups(store, wave_id)
    assert list(added["kind"]) == ["initial", "initial", "topup"] and added["note"].iloc[-1] == "Stok hampir habis"
    moved = tokens.extensions(store, wave_id)
    assert moved[["previous_deadline", "new_deadline"]].iloc[0].tolist() == [date(2026, 4, 3), date(2026, 4, 7)]
    assert tokens.open_waves(store, date(2026, 3, 10))["code"].tolist() == ["PMB2026-G1"]


def test_qt005_the_forecast_cone_spans_until_the_stock_is_gone(wave):
    store, _ = wave
    status = tokens.status(store, now=NOW, zone=ZONE).set_index("channel")
    cone = tokens.forecast_cone(status.loc["bank-bni", "forecast"], date(2026, 3, 10))
    assert cone["day"].iloc[0] == date(2026, 3, 10) and cone["expected"].iloc[0] == 8
    assert cone["expected"].iloc[-1] == 0 and cone["day"].iloc[-1] == date(2026, 3, 14)


def test_qt006_a_past_moment_leaves_out_what_happened_later_and_the_days_come_with_the_status(wave):
    store, wave_id = wave
    with session_scope(store) as session:
        record_topup(session, wave_id=wave_id, channel="bank-bni", quantity=30, actor="bendahara", when=NOW)
    earlier = NOW - timedelta(days=3)
    status, days = tokens.status_with_days(store, now=earlier, zone=ZONE)
    assert status.set_index("channel").loc["bank-bni", "stock"] == 20 - 2 * 4
    assert list(days) == [wave_id]
    assert days[wave_id].equals(tokens.daily(store, wave_id, zone=ZONE, now=earlier))
    assert days[wave_id]["day"].max() == date(2026, 3, 7)
    assert tokens.status(store, now=NOW, zone=ZONE).set_index("channel").loc["bank-bni", "stock"] == 8 + 30


def test_qt007_a_closed_wave_costs_the_same_a_month_or_a_year_later(wave):
    """The arrivals are counted over the wave's days of arrivals only: the statement's bound parameters do not
    grow with the days since, and the figures of the days after are zeros filled in."""
    from sqlalchemy import event

    store, wave_id = wave
    sent: list[int] = []

    def count(_conn, _cursor, statement, parameters, _context, _many):
        if "spans" in statement:
            sent.append(len(parameters))

    event.listen(store, "before_cursor_execute", count)
    try:
        month = tokens.daily(store, wave_id, zone=ZONE, now=NOW + timedelta(days=30))
        year = tokens.daily(store, wave_id, zone=ZONE, now=NOW + timedelta(days=400))
    finally:
        event.remove(store, "before_cursor_execute", count)

    assert len(sent) == 2 and sent[0] == sent[1] > 0
    assert len(year) - len(month) == 2 * 370
    assert year["arrivals"].sum() == month["arrivals"].sum() == 6 * (4 + 2)
    later = year[year["day"] > date(2026, 3, 9)]
    assert (later["arrivals"] == 0).all() and len(later) == 2 * 401
