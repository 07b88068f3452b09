"""The scheduled jobs of the workflow subject: reading source databases, and the SLA clock."""

from __future__ import annotations

from pantau.alerts.sla import sync_alerts
from pantau.db import session_scope
from pantau.sla.context import sla_context
from pantau.sla.engine import evaluate_pending
from pantau.sources import EVENT_SOURCE, SourceRef, record_attempt

from ..base import Collector, CollectorResult, SourceFailures
from ..registry import register
from .source_db import read_source


@register
class WorkflowSourcesCollector(Collector):
    """Read every `[[sops.sources]]` database through its mapping query; each source's attempt is recorded
    on its status (one failing several times in a row alerts the administrator)."""

    name = "workflow-sources"

    @property
    def interval_s(self) -> float:
        sources = self.settings.sops.sources
        return min((source.every_s for source in sources), default=300)

    def sources(self) -> list[SourceRef]:
        every = self.interval_s
        return [SourceRef(EVENT_SOURCE, source.name, every) for source in self.settings.sops.sources]

    def run(self) -> CollectorResult:
        return self._read(list(self.settings.sops.sources))

    def check_source(self, kind: str, name: str) -> CollectorResult:
        chosen = [source for source in self.settings.sops.sources if source.name == name]
        if kind != EVENT_SOURCE or not chosen:
            raise LookupError(f"no event source {name!r} is configured")
        return self._read(chosen)

    def _read(self, sources) -> CollectorResult:
        ctx = sla_context(self.settings, self.engine)
        stored, lines, failures = 0, [], []
        for source in sources:
            try:
                read = read_source(self.engine, source, ctx)
            except Exception as error:  # noqa: BLE001 - one source down must not stop the others
                failures.append(f"{source.name}: {str(error).splitlines()[0]}")
                self._record(source.name, error=error)
                continue
            stored += read.report.stored
            line = f"{source.name}: {read.report.stored} new events of {read.report.received}"
            if read.skipped:
                line += f", {len(read.skipped)} rows skipped ({read.skipped[0]})"
            lines.append(line)
            self._record(source.name, message=line)
        if failures:
            raise SourceFailures("; ".join(failures + lines))
        return CollectorResult(stored, "; ".join(lines) or "no sources configured")

    def _record(self, name: str, *, message: str | None = None, error: Exception | None = None) -> None:
        with session_scope(self.engine) as session:
            record_attempt(session, self.settings, EVENT_SOURCE, name, ok=error is None, error=error,
                           message=message, interval_s=self.interval_s)


@register
class SlaClockCollector(Collector):
    """Measure cases not yet evaluated, then raise and clear alerts for open steps by the clock."""

    name = "sla"

    @property
    def interval_s(self) -> float:
        return self.settings.sops.evaluate_every_s

    def run(self) -> CollectorResult:
        ctx = sla_context(self.settings, self.engine)
        evaluation = evaluate_pending(self.engine, ctx)
        with session_scope(self.engine) as session:
            alerts = sync_alerts(session, ctx, language=self.settings.language)
        return CollectorResult(
            evaluation.cases,
            f"{evaluation.cases} cases measured ({evaluation.steps} steps); alerts: {alerts.raised} raised, "
            f"{alerts.cleared} cleared, {alerts.live} live",
        )
