"""The ``reconciliation`` collector: reconcile when bills or bank entries changed, then alert the
bendahara while cases are past their 1x24 jam."""

from __future__ import annotations

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau.db import session_scope
from pantau.recon import is_stale, overdue_alert, recon_settings, reconcile


@register
class ReconCollector(Collector):
    """Every ``[recon] every_s``: reconcile if anything changed, then refresh the overdue alert."""

    name = "reconciliation"

    @property
    def interval_s(self) -> float:
        return recon_settings(self.settings).every_s

    def run(self) -> CollectorResult:
        message = "nothing changed since the last run"
        items = 0
        if is_stale(self.engine):
            run = reconcile(self.engine, self.settings)
            items = sum(run.bills.values()) + sum(run.credits.values())
            message = (f"{sum(run.bills.values())} bills, {sum(run.credits.values())} credits; cases: "
                       f"{run.cases.opened} opened, {run.cases.reopened} reopened, {run.cases.cleared} cleared")
        with session_scope(self.engine) as session:
            overdue = overdue_alert(session, language=self.settings.language, zone=self.settings.timezone)
        return CollectorResult(items, f"{message}; {overdue} cases overdue")
