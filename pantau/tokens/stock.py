"""Recording what the bendahara does to a wave: token top-ups and payment-period extensions.

Both say who and when, and both are audit-logged with the change they made.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.i18n import Count, Refusal
from pantau.models import AdmissionWave, PaymentPeriodExtension, TokenMovement, utcnow

MANAGERS = ("bendahara", "admin")
"""Roles that may record a top-up or an extension."""
MAX_TOPUP = 100_000


class TokenError(Refusal):
    """A top-up or extension that cannot be recorded: the reason as an English message id with its values."""


def channels(session: Session, wave_id: int) -> list[str]:
    """The channels a wave has token movements on."""
    found = session.scalars(
        select(TokenMovement.channel).where(TokenMovement.wave_id == wave_id).distinct().order_by(TokenMovement.channel)
    )
    return list(found)


def record_topup(session: Session, *, wave_id: int, channel: str, quantity: int, actor: str,
                 note: str | None = None, when: datetime | None = None, ip: str | None = None) -> TokenMovement:
    """Add ``quantity`` tokens to a wave's channel (penambahan token)."""
    wave = _wave(session, wave_id)
    if not isinstance(quantity, int) or not 0 < quantity <= MAX_TOPUP:
        raise TokenError("top-up quantity must be a whole number from 1 to {most}, got {quantity}",
                         most=Count(MAX_TOPUP), quantity=repr(quantity))
    channel = (channel or "").strip()
    if not channel:
        raise TokenError("choose the channel the tokens are for")
    now = utcnow()
    movement = TokenMovement(wave_id=wave.id, channel=channel, kind="topup", quantity=quantity,
                             occurred_at=when or now, recorded_by=actor, recorded_at=now, note=_clean(note))
    session.add(movement)
    audit.record(session, actor, "tokens.topup", f"wave:{wave.code}",
                 {"channel": channel, "quantity": quantity, "note": movement.note}, ip)
    return movement


def record_extension(session: Session, *, wave_id: int, new_deadline: date, actor: str, note: str | None = None,
                     ip: str | None = None) -> PaymentPeriodExtension:
    """Move a wave's payment deadline later (perpanjangan masa pembayaran)."""
    wave = _wave(session, wave_id)
    if not isinstance(new_deadline, date) or isinstance(new_deadline, datetime):
        raise TokenError("the new deadline must be a date, got {value}", value=repr(new_deadline))
    if new_deadline <= wave.payment_deadline:
        raise TokenError("the new deadline {new} is not after the current one, {current}", new=new_deadline,
                         current=wave.payment_deadline)
    extension = PaymentPeriodExtension(wave_id=wave.id, previous_deadline=wave.payment_deadline,
                                       new_deadline=new_deadline, recorded_by=actor, recorded_at=utcnow(),
                                       note=_clean(note))
    session.add(extension)
    audit.record(session, actor, "tokens.extension", f"wave:{wave.code}",
                 {"from": wave.payment_deadline.isoformat(), "to": new_deadline.isoformat(), "note": extension.note},
                 ip)
    wave.payment_deadline = new_deadline
    return extension


def _wave(session: Session, wave_id: int) -> AdmissionWave:
    wave = session.get(AdmissionWave, wave_id)
    if wave is None:
        raise TokenError("no admission wave {id}", id=wave_id)
    return wave


def _clean(note: str | None) -> str | None:
    return (note or "").strip() or None
