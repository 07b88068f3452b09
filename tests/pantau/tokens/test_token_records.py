"""Top-ups and payment-period extensions on both stores: who, when, audit, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AdmissionWave, AuditEntry, PaymentPeriodExtension, TokenMovement
from pantau.tokens import TokenError, channels, record_extension, record_topup


def _wave(engine) -> int:
    with session_scope(engine) as session:
        wave = AdmissionWave(code="PMB2026-G1", name="Gelombang 1", year=2026, opens_on=date(2026, 2, 1),
                             closes_on=date(2026, 3, 1), payment_deadline=date(2026, 3, 4))
        session.add(wave)
        session.flush()
        return wave.id


def test_tr001_a_topup_is_recorded_with_who_and_when_and_audited(store):
    wave = _wave(store)
    with session_scope(store) as session:
        record_topup(session, wave_id=wave, channel="bank-bni", quantity=150, actor="bendahara",
                     note="Tambahan dari bank", ip="127.0.0.1")
    with session_scope(store) as session:
        movement = session.scalars(select(TokenMovement)).one()
        assert (movement.kind, movement.quantity, movement.channel, movement.recorded_by) == (
            "topup", 150, "bank-bni", "bendahara")
        assert movement.recorded_at is not None and movement.note == "Tambahan dari bank"
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target, entry.detail["quantity"]) == ("tokens.topup", "wave:PMB2026-G1", 150)
        assert channels(session, wave) == ["bank-bni"]


@pytest.mark.parametrize("quantity", [0, -5, 2.5, 10**6])
def test_tr002_a_topup_must_be_a_sensible_whole_number(store, quantity):
    wave = _wave(store)
    with pytest.raises(TokenError, match="whole number"), session_scope(store) as session:
        record_topup(session, wave_id=wave, channel="online", quantity=quantity, actor="bendahara")


def test_tr003_an_extension_moves_the_deadline_later_and_keeps_the_old_one(store):
    wave = _wave(store)
    with session_scope(store) as session:
        record_extension(session, wave_id=wave, new_deadline=date(2026, 3, 8), actor="bendahara",
                         note="Gangguan layanan bank")
    with session_scope(store) as session:
        extension = session.scalars(select(PaymentPeriodExtension)).one()
        assert (extension.previous_deadline, extension.new_deadline) == (date(2026, 3, 4), date(2026, 3, 8))
        assert session.get(AdmissionWave, wave).payment_deadline == date(2026, 3, 8)
        assert session.scalars(select(AuditEntry.action)).one() == "tokens.extension"


def test_tr004_an_extension_that_is_not_later_is_refused(store):
    wave = _wave(store)
    with pytest.raises(TokenError, match="not after the current one"), session_scope(store) as session:
        record_extension(session, wave_id=wave, new_deadline=date(2026, 3, 4), actor="bendahara")
    with pytest.raises(TokenError, match="no admission wave"), session_scope(store) as session:
        record_topup(session, wave_id=wave + 99, channel="online", quantity=5, actor="bendahara")
