"""The ``bills`` collector: sync every configured bill source, then reconcile if anything changed."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau.recon import reconcile

from .config import bill_sources
from .records import BillDataError
from .sync import sync_source


@register
class BillsCollector(Collector):
    """Every ``interval_s`` (the shortest of the sources'): sync each source in turn; a source that
    fails does not stop the others, but fails the run with its reason."""

    name = "bills"

    @property
    def interval_s(self) -> float:
        sources = bill_sources(self.settings)
        return min((source.interval_s for source in sources.values()), default=300)

    def run(self) -> CollectorResult:
        sources = bill_sources(self.settings)
        if not sources:
            return CollectorResult(0, "no bill source configured ([sources.bills.<name>])")
        reports, failures = [], []
        for source in sources.values():
            try:
                reports.append(sync_source(self.engine, source, self.settings.timezone))
            except (BillDataError, OSError, SQLAlchemyError) as error:
                failures.append(str(error))
        changed = sum(report.changed for report in reports)
        if changed:
            reconcile(self.engine, self.settings)
        if failures:
            raise RuntimeError("; ".join(failures))
        return CollectorResult(changed, "; ".join(
            f"{r.source}: {r.read} read, {r.written} written, {r.deleted} deleted" for r in reports))
