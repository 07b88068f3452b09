"""The public status page: which monitors are published under which label, and the public incident posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

PUBLIC_STATES = ("investigating", "identified", "monitoring", "resolved")
"""What an incident post says of the work on it, in order."""


class StatusService(Base):
    """A monitor shown on the public page under a plain-language label (English optional), in `position`
    order; unpublishing keeps the row (and its incident posts) without showing it."""

    __tablename__ = "status_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusIncident(Base):
    """The public post about one incident of a published monitor: a title; its notes are `StatusUpdate` rows."""

    __tablename__ = "status_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusUpdate(Base):
    """One public note on an incident post: the state of the work (`PUBLIC_STATES`) and what students read.

    `edited_at`/`edited_by` record its last edit (the public page marks it "diperbarui"); a withdrawn note
    (`withdrawn_at`) is no longer shown, the row and the audit log keep it."""

    __tablename__ = "status_updates"
    __table_args__ = (Index(None, "status_incident_id", "posted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status_incident_id: Mapped[int] = mapped_column(ForeignKey("status_incidents.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    posted_by: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
