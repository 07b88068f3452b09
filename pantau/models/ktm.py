"""KTM elektronik: the photo check of an intake, and the pipeline counts the KTM page and the overview read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String
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


class KtmIntake(Base):
    """KTM selesai of one intake as the `ktm-pipeline` collector last counted it: `students` of the intake
    (the student register, or its KTM cases where the register has none), its KTM `cases`, and the
    students whose card was `distributed`. `evaluated_through` is the newest `evaluated_at` of its cases the
    count saw: a case the SLA engine marks later, whatever the mark's time, makes the intake count again."""

    __tablename__ = "ktm_intakes"

    intake: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    students: Mapped[int] = mapped_column(default=0)
    cases: Mapped[int] = mapped_column(default=0)
    distributed: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evaluated_through: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KtmStage(Base):
    """One KTM step of one batch of an intake (batch 0: the whole intake), counted by the `ktm-pipeline`
    collector from the SLA engine's step results, so the KTM page and the overview cost the same
    whatever the intake's size.

    `reached` students started the step, `completed` finished it; of the open ones, `open_breached` were
    past their due time when counted. `median_s`, `p90_s` and `allowed_s` are nearest-rank figures of the
    time used and of the standard, in the step's own clock; `first_started_at` is the batch's earliest
    start of the step (for `pembuatan_ktm`: when its data went to the bank); `monthly` counts completions
    per local month ("2026-09": 41).
    """

    __tablename__ = "ktm_stages"

    intake: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    batch: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    step_key: Mapped[str] = mapped_column(String(48), primary_key=True)
    cases: Mapped[int] = mapped_column(default=0)
    reached: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    open_breached: Mapped[int] = mapped_column(default=0)
    measured: Mapped[int] = mapped_column(default=0)
    met: Mapped[int] = mapped_column(default=0)
    breached: Mapped[int] = mapped_column(default=0)
    median_s: Mapped[int | None] = mapped_column(BigInteger)
    p90_s: Mapped[int | None] = mapped_column(BigInteger)
    allowed_s: Mapped[int | None] = mapped_column(BigInteger)
    first_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    monthly: Mapped[dict] = mapped_column(JSON, default=dict)
