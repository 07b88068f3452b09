"""Token-stock alerts for the bendahara on both stores: a stock-out in sight or a low stock, stock gone
while applicants still arrive, and the all-clear after a top-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from collectors.bills import TokenStockCollector, check_stock
from pantau.db import session_scope
from pantau.models import AdmissionWave, Alert, Applicant, TokenMovement
from pantau.settings import Settings
from pantau.tokens import TokenSettings, record_topup, token_settings

NOW = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
CONFIG = TokenSettings(alert_days=5, low_stock=10, window_days=7)


def _wave(engine, *, stock: int, arrivals_a_day: int = 10, waiting: int = 0) -> int:
    """A wave open since 10 days ago; 10 applicants a day got a token, ``waiting`` arrived today without."""
    with session_scope(engine) as session:
        wave = AdmissionWave(code="PMB2026-G2", name="Gelombang 2", year=2026, opens_on=date(2026, 2, 28),
                             closes_on=date(2026, 3, 25), payment_deadline=date(2026, 3, 28))
        session.add(wave)
        session.flush()
        issued = 0
        for day in range(1, 11):
            moment = NOW - timedelta(days=day)
            for number in range(arrivals_a_day):
                session.add(Applicant(reg_no=f"R{day:02d}{number:03d}", name="Calon", wave_id=wave.id, channel="online",
                                      arrived_at=moment, token_issued_at=moment))
                issued += 1
        for number in range(waiting):
            session.add(Applicant(reg_no=f"W{number:03d}", name="Calon", wave_id=wave.id, channel="online",
                                  arrived_at=NOW - timedelta(hours=2)))
        session.add(TokenMovement(wave_id=wave.id, channel="online", kind="initial", quantity=issued + stock,
                                  occurred_at=NOW - timedelta(days=11), recorded_by="bendahara"))
        session.add(TokenMovement(wave_id=wave.id, channel="online", kind="issued", quantity=issued,
                                  occurred_at=NOW - timedelta(days=1), recorded_by="sipenmatu"))
        return wave.id


def _alerts(engine) -> list[tuple]:
    with session_scope(engine) as session:
        return [(a.dedup_key, a.severity, a.state, a.role) for a in session.scalars(select(Alert).order_by(Alert.id))]


def test_ta001_a_stockout_forecast_within_the_limit_warns_the_bendahara(store):
    _wave(store, stock=30)
    assert check_stock(store, CONFIG, zone="Asia/Jakarta", language="en", now=NOW) == 1
    assert _alerts(store) == [("tokens-low:PMB2026-G2:online", "warning", "open", "bendahara")]
    with session_scope(store) as session:
        body = session.scalars(select(Alert.body)).one()
    assert body == "30 tokens left; at about 10.0 applicants a day they run out in 3.0 days (3.0–3.0)."


def test_ta002_plenty_of_stock_raises_nothing(store):
    _wave(store, stock=200)
    assert check_stock(store, CONFIG, zone="Asia/Jakarta", language="id", now=NOW) == 0
    assert _alerts(store) == []


def test_ta003_stock_gone_while_applicants_arrive_is_critical_and_a_topup_clears_it(store):
    wave = _wave(store, stock=0, waiting=4)
    check_stock(store, CONFIG, zone="Asia/Jakarta", language="id", now=NOW)
    assert _alerts(store) == [("tokens-out:PMB2026-G2:online", "critical", "open", "bendahara")]
    with session_scope(store) as session:
        record_topup(session, wave_id=wave, channel="online", quantity=500, actor="bendahara", when=NOW)
    assert check_stock(store, CONFIG, zone="Asia/Jakarta", language="id", now=NOW + timedelta(minutes=5)) == 0
    assert _alerts(store) == [("tokens-out:PMB2026-G2:online", "critical", "resolved", "bendahara")]


def test_ta004_limits_come_from_the_tokens_section_and_a_bad_one_is_named(engine, tmp_path):
    _wave(engine, stock=15, arrivals_a_day=1)
    settings = Settings(data_dir=tmp_path, tokens={"low_stock": 20, "alert_days": 0, "every_s": 600})
    assert TokenStockCollector(settings, engine).interval_s == 600
    assert check_stock(engine, token_settings(settings), zone="Asia/Jakarta", language="id", now=NOW) == 1
    with pytest.raises(ValueError, match=r"^tokens\.window_days: Input should be greater than or equal to 2"):
        token_settings(Settings(data_dir=tmp_path, tokens={"window_days": 1}))
