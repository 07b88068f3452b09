"""Digital service accounts and webservice accounts with their one-year validity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class DigitalAccount(Base):
    """An account of a digital service the unit manages (register of the Akun Layanan Berbasis Digital SOP)."""

    __tablename__ = "digital_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(80))
    account_name: Mapped[str] = mapped_column(String(120))
    custodian: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(80))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="aktif")


class WebserviceAccount(Base):
    """A webservice account a unit asked for (WS SOP), valid for one year from its creation.

    `last_used_at` is the newest use the source reports; `expiry_notice_for` is the `valid_until` the
    requesting unit's contact was last e-mailed about, so each validity period is announced once.
    """

    __tablename__ = "webservice_accounts"
    __table_args__ = (Index(None, "valid_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(120))
    contact_name: Mapped[str] = mapped_column(String(120))
    nip: Mapped[str] = mapped_column(String(24))
    phone: Mapped[str] = mapped_column(String(24))
    email: Mapped[str] = mapped_column(String(120))
    data_scope: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expiry_notice_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
