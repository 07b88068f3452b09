"""The ``bills`` collector: sync every configured bill source, then reconcile if anything changed."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from collectors.base import Collector, CollectorResult, SourceFailures
from collectors.registry import register
from pantau.db import session_scope
from pantau.recon import reconcile
from pantau.sources import BILL_SOURCE, SourceRef, record_attempt

from .config import BillSource, bill_sources
from .records import BillDataError
from .sync import SyncReport, sync_source


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
        reports, failures = [], []
        for source in sources:
            try:
                report = sync_source(self.engine, source, self.settings.timezone)
            except (BillDataError, OSError, SQLAlchemyError) as error:
                failures.append(str(error))
                self._record(source.name, error=error)
                continue
            reports.append(report)
            self._record(source.name, report=report)
        changed = sum(report.changed for report in reports)
        if changed:
            reconcile(self.engine, self.settings)
        if failures:
            raise SourceFailures("; ".join(failures))
        return CollectorResult(changed, "; ".join(_line(report) for report in reports))

    def _record(self, name: str, *, report: SyncReport | None = None, error: Exception | None = None) -> None:
        with session_scope(self.engine) as session:
            record_attempt(session, self.settings, BILL_SOURCE, name, ok=error is None, error=error,
                           message=_line(report) if report else None, interval_s=self.interval_s)


def _line(report: SyncReport) -> str:
    return f"{report.source}: {report.read} read, {report.written} written, {report.deleted} deleted"
