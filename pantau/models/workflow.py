"""SOP cases and their step events: the event log every SLA figure is measured from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow


class SopCase(Base):
    __tablename__ = "sop_cases"
    __table_args__ = (
        UniqueConstraint("sop_code", "case_ref"),
        Index(None, "sop_code", "opened_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    case_ref: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(80))
    subject: Mapped[str | None] = mapped_column(String(160))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(24), default="import")
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)


class StepEvent(Base):
    """A step of a case, started and/or completed; `event_uid` makes every arrival path idempotent."""

    __tablename__ = "step_events"
    __table_args__ = (
        Index(None, "case_id", "step_key"),
        Index(None, "completed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(96), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("sop_cases.id", ondelete="CASCADE"))
    step_key: Mapped[str] = mapped_column(String(48))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    performer: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(24))
    channel: Mapped[str | None] = mapped_column(String(16))
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
