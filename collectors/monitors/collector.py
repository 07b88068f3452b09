"""The ``monitors`` collector: every monitor on its own interval, the due ones checked side by side."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from functools import reduce

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from collectors.base import Collector, CollectorResult
from collectors.probes import run_round
from collectors.registry import register
from pantau import dbfault
from pantau.db import session_scope
from pantau.monitoring.config import MonitorConfig
from pantau.monitoring.settings import load_monitors, monitoring_settings, zone_of
from pantau.settings import Settings
from pantau.sources import MONITOR, SourceRef, record_attempt

from .certificates import certificate_alerts
from .checks import check_for
from .recorder import RoundReport, record_round
from .sync import sync_monitors

ROUND_SLACK_S = 2.0
"""Seconds a round waits beyond the slowest check's own bound before calling it failed."""
BACKLOG_ROUNDS = 2_000
"""Rounds kept in memory while the store cannot be reached (the oldest dropped beyond it): at a 10 s tick,
over five hours of results, written in order when the store returns."""
log = logging.getLogger(__name__)


@register
class MonitorsCollector(Collector):
    """Checks the configured ``[[monitors]]``. The scheduler runs it every "tick" (the greatest common
    divisor of the monitors' intervals); each run checks the monitors that are due, concurrently, and
    writes the round in one transaction. A bad configuration fails every run with its message. While the
    store cannot be reached, rounds are kept in memory (at most `BACKLOG_ROUNDS`) and written, oldest first,
    by the first run that reaches it again, so states, incidents and rollups follow what was observed."""

    name = "monitors"

    def __init__(self, settings: Settings, engine: Engine) -> None:
        super().__init__(settings, engine)
        self.error: Exception | None = None
        self.monitors: list[MonitorConfig] = []
        try:
            self.options = monitoring_settings(settings)
            self.monitors = load_monitors(settings)
        except ValueError as error:
            self.error = error
        self.clock = time.monotonic
        self._due: dict[str, float] = {}
        self._synced = False
        self.backlog: deque[dict] = deque(maxlen=BACKLOG_ROUNDS)
        self.dropped = 0

    @property
    def interval_s(self) -> float:
        if not self.monitors:
            return self.default_interval_s
        return max(reduce(math.gcd, (monitor.interval_s for monitor in self.monitors)), 5)

    def run(self) -> CollectorResult:
        if self.error is not None:
            raise self.error
        if not self.monitors:
            return CollectorResult(0, "no monitors configured ([[monitors]] in the configuration file)")
        now = self.clock()
        early = min(1.0, self.interval_s / 10)
        due = [monitor.name for monitor in self.monitors if self._due.get(monitor.name, 0.0) <= now + early]
        report = self.check(due)
        for monitor in self.monitors:
            if monitor.name in due:
                previous = self._due.get(monitor.name, now)
                self._due[monitor.name] = max(previous + monitor.interval_s, now + monitor.interval_s / 2)
        if self.backlog:
            return CollectorResult(len(due), f"the store cannot be reached: {len(self.backlog)} rounds kept in "
                                             "memory until it returns")
        return CollectorResult(len(report.checked), report.summary())

    def sources(self) -> list[SourceRef]:
        if self.error is not None:
            raise self.error
        return [SourceRef(MONITOR, monitor.name, monitor.interval_s) for monitor in self.monitors]

    def check_source(self, kind: str, name: str) -> CollectorResult:
        """Check one monitor now (the sources page's "check now"), recorded like any round."""
        if self.error is not None:
            raise self.error
        if kind != MONITOR or name not in {monitor.name for monitor in self.monitors}:
            raise LookupError(f"no monitor {name!r} is configured")
        report = self.check([name])
        return CollectorResult(len(report.checked), report.summary())

    def check(self, names: list[str] | None = None) -> RoundReport:
        """Check the named monitors (all when None) now, concurrently, and write the round."""
        chosen = [m for m in self.monitors if names is None or m.name in names]
        if not chosen:
            return RoundReport([])
        deadline = max(monitor.round_bound_s for monitor in chosen) + ROUND_SLACK_S
        results = run_round({monitor.name: check_for(monitor) for monitor in chosen}, deadline_s=deadline)
        if len(self.backlog) == self.backlog.maxlen:
            self.dropped += 1
        self.backlog.append({"names": [monitor.name for monitor in chosen], "results": results})
        report = RoundReport([])
        while self.backlog:
            try:
                report = self._write(self.backlog[0]["names"], self.backlog[0]["results"])
            except SQLAlchemyError as error:
                if not dbfault.is_store_fault(error):
                    self.backlog.popleft()
                    raise
                log.warning("%s; %d rounds kept in memory (%d dropped)", dbfault.describe(
                    error, self.settings.resolved_database_url), len(self.backlog), self.dropped)
                return RoundReport([])
            self.backlog.popleft()
        certificate_alerts(self.engine, limit_days=self.options.cert_alert_days, lang=self.settings.language,
                           zone=self.settings.timezone)
        return report

    def _write(self, names: list[str], results: dict) -> RoundReport:
        """Write one round (the monitors checked and their results) in one transaction."""
        chosen = [m for m in self.monitors if m.name in names]
        if not self._synced:
            with session_scope(self.engine) as session:
                sync_monitors(session, self.monitors)
            self._synced = True
        with session_scope(self.engine) as session:
            report = record_round(session, self.monitors, results, options=self.options,
                                  zone=zone_of(self.settings), lang=self.settings.language)
            intervals = {monitor.name: monitor.interval_s for monitor in chosen}
            for item in report.checked:
                record_attempt(session, self.settings, MONITOR, item.name, ok=item.result.ok, at=item.result.checked_at,
                               error=None if item.result.ok else item.result.message, message=item.describe(),
                               interval_s=intervals.get(item.name))
        return report
