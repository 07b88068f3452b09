"""Alerts with a lifecycle (open → acknowledged → resolved) and their delivery outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow

ALERT_STATES = ("open", "acknowledged", "resolved")
SEVERITIES = ("info", "warning", "critical")


class Alert(Base):
    """One condition, one alert: `dedup_key` is unique among alerts that are not resolved."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_live_dedup_key",
            "dedup_key",
            unique=True,
            sqlite_where=text("state != 'resolved'"),
            postgresql_where=text("state != 'resolved'"),
        ),
        Index(None, "role", "state", "opened_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(160))
    source: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8), default="warning")
    level: Mapped[int] = mapped_column(default=0, server_default="0")
    """How far the condition has gone (a certificate's 14, 7, 1 days, expired): raising it again at a higher
    level escalates the alert."""
    role: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    texts: Mapped[dict | None] = mapped_column(JSON)
    """The title and body in each language of the interface, ``{"en": [title, body], ...}`` (`pantau.alerts.texts`);
    None for an alert raised with plain text."""
    link: Mapped[str | None] = mapped_column(String(200))
    sop_code: Mapped[str | None] = mapped_column(String(16))
    """The SOP the alert is about, if any (with `step_key`, one step of it): operators see it only when it is
    assigned to their unit, as its pages (`pantau.alerts.audience`)."""
    step_key: Mapped[str | None] = mapped_column(String(48))
    state: Mapped[str] = mapped_column(String(12), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution_note: Mapped[str | None] = mapped_column(Text)


class AlertDelivery(Base):
    """Outbox: one row per message to send (opened, reminder, resolved); the collector drains it."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index(None, "sent_at", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
