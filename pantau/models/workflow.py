"""SOP cases, their step events (the event log every SLA figure is measured from), and what the SLA
engine derives from them: one result per step of a case, and monthly and half-yearly aggregates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow


class SopCase(Base):
    """One run of an SOP (a request, an application). `evaluated_at` is None until the SLA engine has
    measured the case's current events; every write path that adds events clears it. `sop_version` is the
    published catalogue version the case started on (`SopVersion`), None for the catalogue files."""

    __tablename__ = "sop_cases"
    __table_args__ = (
        UniqueConstraint("sop_code", "case_ref"),
        Index(None, "sop_code", "opened_at"),
        Index(None, "evaluated_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    case_ref: Mapped[str] = mapped_column(String(64))
    flow: Mapped[str | None] = mapped_column(String(48))
    unit: Mapped[str | None] = mapped_column(String(80))
    subject: Mapped[str | None] = mapped_column(String(160))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(24), default="import")
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sop_version: Mapped[int | None] = mapped_column(Integer)


class StepEvent(Base):
    """A step of a case, started and/or completed; `event_uid` makes every arrival path idempotent.
    Events are never rewritten: one that changes a start or completion already stored is added with
    `correction` set (and an audit entry), and the latest correction counts."""

    __tablename__ = "step_events"
    __table_args__ = (
        Index(None, "case_id", "step_key"),
        Index(None, "completed_at"),
        Index(None, "recorded_by", "completed_at"),
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
    correction: Mapped[bool] = mapped_column(default=False, server_default=false())


class StepResult(Base):
    """One step of one case as the SLA engine measured it.

    Open steps keep `due_at` and `risk_at` (when the at-risk share of the standard is used), so a
    query can tell open, at risk and breached apart at any moment without working-time arithmetic;
    a partial index holds only the open steps, with every column those queries filter, count and order
    them by (`completed_at` too, always empty there, so SQLite sees that the index covers them), and
    they read nothing else until they fetch the few rows they show.
    Completed steps keep their elapsed and allowed time in the step's clock, and the local `month`
    of completion that the aggregates group by. A data error (state `data_error`, `problem` saying which:
    `pantau.sla.timeline.PROBLEMS`) has neither and is listed on the SLA page, never counted.
    """

    __tablename__ = "step_results"
    __table_args__ = (
        UniqueConstraint("case_id", "step_key"),
        Index(None, "sop_code", "month", "step_key"),
        Index("ix_step_results_open", "sop_code", "step_key", "due_at", "risk_at", "outside_party", "case_id",
              "completed_at",
              sqlite_where=text("completed_at IS NULL"), postgresql_where=text("completed_at IS NULL")),
        # the SLA page's steps that could not be measured, latest first (a few among half a million)
        Index("ix_step_results_data_error", "completed_at", "id",
              sqlite_where=text("state = 'data_error'"), postgresql_where=text("state = 'data_error'")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("sop_cases.id", ondelete="CASCADE"))
    sop_code: Mapped[str] = mapped_column(String(16))
    flow: Mapped[str | None] = mapped_column(String(48))
    step_key: Mapped[str] = mapped_column(String(48))
    step_number: Mapped[int] = mapped_column(Integer)
    performer_role: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(80))
    performer: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(24))
    outside_party: Mapped[bool] = mapped_column(default=False)
    measured: Mapped[bool] = mapped_column(default=True)
    implicit: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    risk_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    elapsed_s: Mapped[int | None] = mapped_column(BigInteger)
    allowed_s: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(12))
    problem: Mapped[str | None] = mapped_column(String(16))
    month: Mapped[str | None] = mapped_column(String(7))
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaMonthly(Base):
    """Completed steps of one SOP step in one local month: what compliance and its trend sum up."""

    __tablename__ = "sla_monthly"
    __table_args__ = (UniqueConstraint("sop_code", "step_key", "month"), Index(None, "month"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    step_key: Mapped[str] = mapped_column(String(48))
    month: Mapped[str] = mapped_column(String(7))
    outside_party: Mapped[bool] = mapped_column(default=False)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    measured: Mapped[int] = mapped_column(Integer, default=0)
    met: Mapped[int] = mapped_column(Integer, default=0)
    breached: Mapped[int] = mapped_column(Integer, default=0)
    elapsed_s: Mapped[int] = mapped_column(BigInteger, default=0)


class SlaPerformer(Base):
    """Steps of one SOP step completed in one half-year by each of its most frequent performers; the
    rest are summed under the performer "*" (students and applicants perform some steps, one each)."""

    __tablename__ = "sla_performers"
    __table_args__ = (UniqueConstraint("sop_code", "step_key", "period", "performer"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    step_key: Mapped[str] = mapped_column(String(48))
    period: Mapped[str] = mapped_column(String(7))
    performer: Mapped[str] = mapped_column(String(120))
    completed: Mapped[int] = mapped_column(Integer)
    measured: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)


class SlaQuantile(Base):
    """Median and P90 of one SOP step's measured steps completed in one half-year ("2026-H1")."""

    __tablename__ = "sla_quantiles"
    __table_args__ = (UniqueConstraint("sop_code", "step_key", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(16))
    step_key: Mapped[str] = mapped_column(String(48))
    period: Mapped[str] = mapped_column(String(7))
    measured: Mapped[int] = mapped_column(Integer)
    median_ratio: Mapped[float] = mapped_column(Float)
    p90_ratio: Mapped[float] = mapped_column(Float)
    median_elapsed_s: Mapped[int] = mapped_column(BigInteger)
    p90_elapsed_s: Mapped[int] = mapped_column(BigInteger)
    median_allowed_s: Mapped[int] = mapped_column(BigInteger)


class SlaFingerprint(Base):
    """What each SOP's results were measured with (its file, the calendar, the at-risk share); when
    that changes, the SOP's cases are measured again."""

    __tablename__ = "sla_fingerprints"

    sop_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
