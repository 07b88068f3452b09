"""Published versions of the SOP catalogue: an SOP imported from its document and published by an administrator.

A case keeps the version it started on (`SopCase.sop_version`); a case without one follows the catalogue files.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class SopVersion(Base):
    """One published version of one SOP: its whole definition in the catalogue's format (never changed after)."""

    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("sop_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column()
    definition: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200))
    """The document it was imported from (its file name)."""
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
