"""The scheduled jobs of the workflow subject: reading source databases, and the SLA clock."""

from __future__ import annotations

from pantau.db import session_scope
from pantau.sla.alerts import sync_alerts
from pantau.sla.context import sla_context
from pantau.sla.engine import evaluate_pending

from ..base import Collector, CollectorResult
from ..registry import register
from .source_db import read_source


@register
class WorkflowSourcesCollector(Collector):
    """Read every `[[sops.sources]]` database through its mapping query."""

    name = "workflow-sources"

    @property
    def interval_s(self) -> float:
        sources = self.settings.sops.sources
        return min((source.every_s for source in sources), default=300)

    def run(self) -> CollectorResult:
        ctx = sla_context(self.settings)
        stored, lines, failures = 0, [], []
        for source in self.settings.sops.sources:
            try:
                read = read_source(self.engine, source, ctx)
            except Exception as error:  # noqa: BLE001 - one source down must not stop the others
                failures.append(f"{source.name}: {str(error).splitlines()[0]}")
                continue
            stored += read.report.stored
            line = f"{source.name}: {read.report.stored} new events of {read.report.received}"
            if read.skipped:
                line += f", {len(read.skipped)} rows skipped ({read.skipped[0]})"
            lines.append(line)
        if failures:
            raise RuntimeError("; ".join(failures + lines))
        return CollectorResult(stored, "; ".join(lines) or "no sources configured")


@register
class SlaClockCollector(Collector):
    """Measure cases not yet evaluated, then raise and clear alerts for open steps by the clock."""

    name = "sla"

    @property
    def interval_s(self) -> float:
        return self.settings.sops.evaluate_every_s

    def run(self) -> CollectorResult:
        ctx = sla_context(self.settings)
        evaluation = evaluate_pending(self.engine, ctx)
        with session_scope(self.engine) as session:
            alerts = sync_alerts(session, ctx, language=self.settings.language)
        return CollectorResult(
            evaluation.cases,
            f"{evaluation.cases} cases measured ({evaluation.steps} steps); alerts: {alerts.raised} raised, "
            f"{alerts.cleared} cleared, {alerts.live} live",
        )
