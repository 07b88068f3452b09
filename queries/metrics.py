"""What `/metrics` reports from the store: probe results per monitor, bank and bill imports, alerts by
severity and state, and each source's last good read. Read at each scrape, so every web worker (and every
host) answers the same figures, whichever process wrote them (the collector, a `pantau import` run).

Each function returns plain rows, a few per monitor, source or format; none grows with the data's age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, case, func, select

from pantau.models import Alert, BankImport, BillQuarantine, CollectorRun, Monitor, ProbeSample, SourceStatus

BILL_SYNC_COLLECTOR = "bills"
"""The collector whose runs are the bill syncs."""


@dataclass(frozen=True)
class MonitorReading:
    """A monitor's state and its latest probe round."""

    name: str
    role: str
    check: str
    status: str
    checked_at: datetime | None
    ok: bool | None
    latency_ms: float | None


@dataclass(frozen=True)
class BankImports:
    """Bank files read in one format, and their lines by outcome."""

    format: str
    files: int
    stored: int
    duplicates: int
    rejected: int


@dataclass(frozen=True)
class BillSyncs:
    """Bill syncs (runs of the bills collector) that worked or failed, the bills they wrote, and the rows each
    source's latest sync set aside."""

    ok: int
    failed: int
    written: int
    quarantined: dict[str, int]


@dataclass(frozen=True)
class Freshness:
    """A source's last good read and its current run of failures."""

    kind: str
    name: str
    last_success_at: datetime | None
    consecutive_failures: int


def monitors(engine: Engine) -> list[MonitorReading]:
    """Every enabled monitor with its latest probe sample (one index look-up each)."""
    latest = (select(ProbeSample.id).where(ProbeSample.monitor_id == Monitor.id)
              .order_by(ProbeSample.checked_at.desc()).limit(1).correlate(Monitor).scalar_subquery())
    query = (select(Monitor.name, Monitor.role, Monitor.check, Monitor.status, ProbeSample.checked_at,
                    ProbeSample.ok, ProbeSample.latency_ms)
             .outerjoin(ProbeSample, ProbeSample.id == latest)
             .where(Monitor.enabled.is_(True)).order_by(Monitor.name))
    with engine.connect() as connection:
        return [MonitorReading(*row) for row in connection.execute(query)]


def bank_imports(engine: Engine) -> list[BankImports]:
    """Bank files and lines per format since the store began."""
    query = (select(BankImport.format, func.count(), func.sum(BankImport.added), func.sum(BankImport.duplicates),
                    func.sum(BankImport.rejected))
             .group_by(BankImport.format).order_by(BankImport.format))
    with engine.connect() as connection:
        return [BankImports(fmt, int(files), int(stored or 0), int(dups or 0), int(rejected or 0))
                for fmt, files, stored, dups, rejected in connection.execute(query)]


def bill_syncs(engine: Engine) -> BillSyncs:
    """Runs of the bills collector by outcome, the bills they wrote, and the rows set aside per source."""
    runs = (select(func.count(case((CollectorRun.ok.is_(True), 1))), func.count(case((CollectorRun.ok.is_(False), 1))),
                   func.sum(case((CollectorRun.ok.is_(True), CollectorRun.items), else_=0)))
            .where(CollectorRun.collector == BILL_SYNC_COLLECTOR))
    held = select(BillQuarantine.source, func.count()).group_by(BillQuarantine.source)
    with engine.connect() as connection:
        ok, failed, written = connection.execute(runs).one()
        quarantined = {source: int(count) for source, count in connection.execute(held)}
    return BillSyncs(int(ok or 0), int(failed or 0), int(written or 0), quarantined)


def alert_counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Alerts per (severity, state)."""
    query = select(Alert.severity, Alert.state, func.count()).group_by(Alert.severity, Alert.state)
    with engine.connect() as connection:
        return {(severity, state): int(count) for severity, state, count in connection.execute(query)}


def freshness(engine: Engine) -> list[Freshness]:
    """Every source the store knows, with its last good read."""
    query = (select(SourceStatus.kind, SourceStatus.name, SourceStatus.last_success_at,
                    SourceStatus.consecutive_failures)
             .order_by(SourceStatus.kind, SourceStatus.name))
    with engine.connect() as connection:
        return [Freshness(kind, name, at, int(failures or 0)) for kind, name, at, failures in connection.execute(query)]
