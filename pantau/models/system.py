"""Collector runs: what ran, when, and whether it worked; the header's data freshness comes from here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime


class CollectorRun(Base):
    __tablename__ = "collector_runs"
    __table_args__ = (Index(None, "collector", "finished_at"), Index(None, "finished_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    collector: Mapped[str] = mapped_column(String(48))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(default=False)
    items: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)


class CollectorLease(Base):
    """Who may run the collectors: one row per lease name, held by one process until it stops renewing it.

    `holder` is the holding process's random token; `host`, `pid` and `acquired_at` say who and since when for
    people (a standby prints them); `expires_at` is in the store's clock, so hosts' clocks do not matter.
    """

    __tablename__ = "collector_lease"

    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SourceStatus(Base):
    """How each source fared, one row per kind and name (see `pantau.sources`): a collector, a monitor, a bill
    source, the bank inbox, an event source, a host agent, and the collector process itself (kind "process").

    `interval_s` is how often data is expected (a source older than two of them shows as having no recent
    data); `consecutive_failures` and `failing_since` count the current run of failed attempts, which alerts
    the source's owner after a configured number. `check_requested_at` is the sources page's "check now",
    picked up and cleared by the active collector. `pushed` sources (agents, the events API) send data
    themselves and cannot be checked from here.
    """

    __tablename__ = "source_status"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    interval_s: Mapped[float | None]
    pushed: Mapped[bool] = mapped_column(default=False)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_kind: Mapped[str | None] = mapped_column(String(24))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_message: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_requested_by: Mapped[str | None] = mapped_column(String(80))
