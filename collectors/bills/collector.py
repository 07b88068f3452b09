"""The ``bills`` collector: sync every configured bill source, then reconcile if anything changed. The same
run serves `pantau sync bills`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from collectors.base import Collector, CollectorResult, SourceFailures
from collectors.registry import register
from pantau.billkinds import sync_kinds
from pantau.db import session_scope
from pantau.recon import reconcile
from pantau.settings import Settings
from pantau.sources import BILL_SOURCE, SourceRef, describe_error, record_attempt

from .config import BillSource, bill_sources
from .records import BillDataError
from .sync import ACTOR, SourceUnreadable, SyncReport, sync_source


@dataclass(frozen=True)
class Outcome:
    """One source's sync: its report, or the one line saying why it failed."""

    source: str
    report: SyncReport | None = None
    error: str | None = None


def sync_sources(engine: Engine, settings: Settings, sources: list[BillSource], *, actor: str = ACTOR,
                 interval_s: float | None = None) -> list[Outcome]:
    """Sync each source in turn with quarantine (a source that fails does not stop the others), record each
    attempt on the source's status, and reconcile once if any bill changed. The configuration's
    ``[[bill_kinds]]`` are written into the store first (a wrong entry fails every source with one line naming it)."""
    outcomes = []
    try:
        sync_kinds(engine, settings.bill_kinds)
    except ValueError as error:
        for source in sources:
            outcomes.append(Outcome(source.name, error=f"bill source {source.name!r} not synced: {error}"))
            _record(engine, settings, source.name, interval_s, error=error)
        return outcomes
    for source in sources:
        try:
            report = sync_source(engine, source, settings.timezone, actor=actor, quarantine=True)
        except (BillDataError, SourceUnreadable, OSError, SQLAlchemyError) as error:
            outcomes.append(Outcome(source.name, error=failure_line(source.name, error)))
            _record(engine, settings, source.name, interval_s, error=error)
            continue
        outcomes.append(Outcome(source.name, report=report))
        _record(engine, settings, source.name, interval_s, report=report)
    if any(outcome.report and outcome.report.changed for outcome in outcomes):
        reconcile(engine, settings)
    return outcomes


def failure_line(name: str, error: BaseException) -> str:
    """One line naming the source, never a driver's traceback or SQL."""
    if isinstance(error, (BillDataError, SourceUnreadable)):
        return str(error)
    kind, detail = describe_error(error)
    return f"bill source {name!r} failed: {detail or kind}"


@register
class BillsCollector(Collector):
    """Every ``interval_s`` (the shortest of the sources'): sync each source in turn; a source that
    fails does not stop the others, but fails the run with its reason. Each source's attempt is recorded
    on its status (a bill source failing several times in a row alerts the bendahara)."""

    name = "bills"

    @property
    def interval_s(self) -> float:
        sources = bill_sources(self.settings)
        return min((source.interval_s for source in sources.values()), default=300)

    def sources(self) -> list[SourceRef]:
        every = self.interval_s
        return [SourceRef(BILL_SOURCE, name, every) for name in bill_sources(self.settings)]

    def run(self) -> CollectorResult:
        sources = bill_sources(self.settings)
        if not sources:
            return CollectorResult(0, "no bill source configured ([sources.bills.<name>])")
        return self._sync(list(sources.values()))

    def check_source(self, kind: str, name: str) -> CollectorResult:
        source = bill_sources(self.settings).get(name)
        if kind != BILL_SOURCE or source is None:
            raise LookupError(f"no bill source {name!r} is configured")
        return self._sync([source])

    def _sync(self, sources: list[BillSource]) -> CollectorResult:
        outcomes = sync_sources(self.engine, self.settings, sources, interval_s=self.interval_s)
        failures = [outcome.error for outcome in outcomes if outcome.error]
        reports = [outcome.report for outcome in outcomes if outcome.report]
        if failures:
            raise SourceFailures("; ".join(failures))
        return CollectorResult(sum(report.changed for report in reports), "; ".join(map(summary, reports)))


def _record(engine: Engine, settings: Settings, name: str, interval_s: float | None, *,
            report: SyncReport | None = None, error: Exception | None = None) -> None:
    with session_scope(engine) as session:
        record_attempt(session, settings, BILL_SOURCE, name, ok=error is None, error=error,
                       message=summary(report) if report else None, interval_s=interval_s)


def summary(report: SyncReport) -> str:
    """``keuangan: 10 read, 9 written, 0 deleted`` (and ``, 1 set aside`` when rows were quarantined)."""
    line = f"{report.source}: {report.read} read, {report.written} written, {report.deleted} deleted"
    return f"{line}, {len(report.quarantined)} set aside" if report.quarantined else line
