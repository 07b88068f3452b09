"""The KTM photo check: does every student of an intake have one readable photo named by their NIM?"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class KtmPhotoCheck(Base):
    """The newest NIM ↔ photo comparison of one intake (the `ktm-photos` collector replaces it each run).

    `issues` lists every problem as {"problem", "nim", "file"}: problem is `missing` (a student without
    a photo), `extra` (a photo of a NIM not on the list), `bad_name` (a file name that is not a NIM),
    `not_image` (not a JPEG or PNG by its first bytes, or empty), `unreadable` or `duplicate` (one NIM,
    several files). `blocked_batches` are the batches not yet sent to the bank that have students
    without a usable photo.
    """

    __tablename__ = "ktm_photo_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake: Mapped[int] = mapped_column(Integer, unique=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    nim_source: Mapped[str] = mapped_column(String(255))
    photo_dir: Mapped[str] = mapped_column(String(255))
    students: Mapped[int] = mapped_column(default=0)
    photos: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    extra: Mapped[int] = mapped_column(default=0)
    mismatched: Mapped[int] = mapped_column(default=0)
    blocked_batches: Mapped[list] = mapped_column(JSON, default=list)
    issues: Mapped[list] = mapped_column(JSON, default=list)
