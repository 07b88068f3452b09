"""One reconciliation run: match, rebuild the page rollups, sync the exception queue; all or nothing."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update

from pantau.models import BankImport, Bill, utcnow
from pantau.models.bank import ReconSummary
from pantau.settings import Settings

from . import cases, engine, rollups
from .config import ReconSettings, bank_settings, recon_settings
from .sql import drop_temp

SYNC_MARGIN = timedelta(minutes=10)
TEMP_TABLES = ("recon_open", "recon_bill_changes", "recon_credit_changes", "recon_agg", "recon_touched", "recon_link")


@dataclass(frozen=True)
class ReconRun:
    """What a run found: bills and credits per state, how many of each changed state, and the cases it
    opened, reopened and cleared."""

    run_at: datetime
    seconds: float
    bills: dict[str, int]
    credits: dict[str, int]
    bills_changed: int
    credits_changed: int
    cases: cases.CaseChanges

    def as_dict(self) -> dict:
        data = asdict(self)
        data["run_at"] = self.run_at.isoformat()
        return data


def reconcile(db: Engine, settings: Settings, *, now: datetime | None = None,
              config: ReconSettings | None = None, full: bool = False) -> ReconRun:
    """Reconcile every live bill against every stored bank credit, in one transaction. A ``full`` run links
    every credit again even when nothing was synced (after a change of ``[banks]``)."""
    started = time.perf_counter()
    now = now or utcnow()
    config = config or recon_settings(settings)
    banks = bank_settings(settings)
    with db.connect() as connection, connection.begin():
        previous = connection.scalar(select(func.max(ReconSummary.run_at)))
        synced = full or _synced_since(connection, previous) or _relinked_since(connection, previous)
        bills_changed, credits_changed = engine.match(connection, now, full=synced, banks=banks)
        if synced:
            rollups.rebuild(connection, settings.timezone, now)
        elif bills_changed:
            rollups.move_changed(connection, settings.timezone, now)
        if synced or bills_changed or credits_changed:
            rollups.summarise(connection, now)
        else:
            connection.execute(update(ReconSummary).values(run_at=now))
        changes = cases.sync_cases(connection, config, now)
        rows = connection.execute(select(ReconSummary.subject, ReconSummary.state, ReconSummary.items)).all()
        drop_temp(connection, *TEMP_TABLES)
    counts: dict[str, dict[str, int]] = {"bill": {}, "credit": {}}
    for subject, state, items in rows:
        counts[subject][state] = items
    return ReconRun(now, time.perf_counter() - started, counts["bill"], counts["credit"], bills_changed,
                    credits_changed, changes)


def _synced_since(connection, moment: datetime | None) -> bool:
    """Whether a sync may have written bills the rollups of the run at ``moment`` did not see (always
    when there was no run). A sync committing while that run ran stamped its bills a little earlier,
    hence the margin."""
    if moment is None:
        return True
    latest = connection.scalar(select(func.max(Bill.synced_at)))
    return latest is not None and latest > moment - SYNC_MARGIN


def _relinked_since(connection, moment: datetime | None) -> bool:
    """Whether an import since ``moment`` made stored bank rows evidence of another payment (or
    removed a replaced statement's rows), which a run over the new credits alone would not see."""
    if moment is None:
        return True
    return connection.scalar(
        select(func.count()).select_from(BankImport).where(BankImport.imported_at > moment - SYNC_MARGIN,
                                                           BankImport.relinked > 0)
    ) > 0


def is_stale(db: Engine) -> bool:
    """Whether bills or bank entries changed since the last run (or it never ran)."""
    with db.connect() as connection:
        ran = connection.scalar(select(func.max(ReconSummary.run_at)))
        if ran is None:
            return True
        synced = connection.scalar(select(func.max(Bill.synced_at)))
        imported = connection.scalar(select(func.max(BankImport.imported_at)))
    return any(moment is not None and moment > ran for moment in (synced, imported))
