"""Admission waves (gelombang), payment-token movements and payment-period extensions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow

TOKEN_MOVEMENTS = ("initial", "topup", "issued")


class AdmissionWave(Base):
    __tablename__ = "admission_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    year: Mapped[int]
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    payment_deadline: Mapped[date] = mapped_column(Date)


class TokenMovement(Base):
    """Stock of a wave and channel = Σ initial + Σ topup − Σ issued."""

    __tablename__ = "token_movements"
    __table_args__ = (Index(None, "wave_id", "channel", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("admission_waves.id"))
    channel: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[int]
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class PaymentPeriodExtension(Base):
    """A perpanjangan masa pembayaran: who moved a wave's payment deadline, when, and why."""

    __tablename__ = "payment_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("admission_waves.id"))
    previous_deadline: Mapped[date] = mapped_column(Date)
    new_deadline: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
