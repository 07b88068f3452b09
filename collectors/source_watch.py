"""The ``source-watch`` collector: a host agent that stopped pushing fails no attempt, it just goes silent, so
this counts it as failing for each interval it stays silent beyond two of them; its owner is alerted after
the configured number, and its next push resolves the alert (with how long it was silent)."""

from __future__ import annotations

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau.db import session_scope
from pantau.sources import check_silent


@register
class SourceWatchCollector(Collector):
    name = "source-watch"

    @property
    def interval_s(self) -> float:
        return min(self.settings.source_status.agent_every_s, 60.0)

    def run(self) -> CollectorResult:
        with session_scope(self.engine) as session:
            silent = check_silent(session, self.settings)
        return CollectorResult(len(silent), f"silent agents: {', '.join(silent)}" if silent else "every agent pushes")
