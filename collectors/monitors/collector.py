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
from pantau.models import utcnow
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
        """Rounds dropped from a full backlog since this collector was made."""
        self.dropped_away = 0
        """Of them, those dropped since the store was last written."""
        self.returned = ""
        """What the last return of the store wrote, said once by the next run."""

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
        due = self._take_due()
        report = self.check(due)
        if self.backlog:
            return CollectorResult(len(due), self._kept_text())
        if self.returned:
            message, self.returned = self.returned, ""
            return CollectorResult(len(report.checked), f"{report.summary()} {message}")
        return CollectorResult(len(report.checked), report.summary())

    def observe(self) -> CollectorResult | None:
        """While the store cannot be reached (the scheduler cannot confirm its lease): check the due monitors
        and keep the round in memory, written when the store returns."""
        if self.error is not None or not self.monitors:
            return None
        due = self._take_due()
        self.check(due, write=False)
        return CollectorResult(len(due), self._kept_text())

    def _take_due(self) -> list[str]:
        """The monitors due now; each one's next time moves on by its interval."""
        now = self.clock()
        early = min(1.0, self.interval_s / 10)
        due = [monitor.name for monitor in self.monitors if self._due.get(monitor.name, 0.0) <= now + early]
        for monitor in self.monitors:
            if monitor.name in due:
                previous = self._due.get(monitor.name, now)
                self._due[monitor.name] = max(previous + monitor.interval_s, now + monitor.interval_s / 2)
        return due

    def _kept_text(self) -> str:
        dropped = f", {self.dropped_away} oldest dropped" if self.dropped_away else ""
        return f"the store cannot be reached: {len(self.backlog)} rounds kept in memory until it returns{dropped}"

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

    def check(self, names: list[str] | None = None, *, write: bool = True) -> RoundReport:
        """Check the named monitors (all when None) now, concurrently, and write the round (with any rounds kept
        before it, oldest first); with `write` False, or while the store cannot be reached, keep it in memory."""
        chosen = [m for m in self.monitors if names is None or m.name in names]
        if not chosen:
            return RoundReport([])
        deadline = max(monitor.round_bound_s for monitor in chosen) + ROUND_SLACK_S
        results = run_round({monitor.name: check_for(monitor) for monitor in chosen}, deadline_s=deadline)
        if write and len(self.backlog) == self.backlog.maxlen:
            self._flush()  # the store may be back: make room by writing, not by dropping
        self._keep([monitor.name for monitor in chosen], results)
        if not write:
            return RoundReport([])
        report = self._flush()
        if report is None:
            return RoundReport([])
        try:
            certificate_alerts(self.engine, limit_days=self.options.cert_alert_days, lang=self.settings.language,
                               zone=self.settings.timezone)
        except SQLAlchemyError as error:  # the store went away right after the round was written
            if not dbfault.is_store_fault(error):
                raise
            log.warning("%s; the certificate alerts wait for the next round", dbfault.describe(
                error, self.settings.resolved_database_url))
        return report

    def _keep(self, names: list[str], results: dict) -> None:
        """Add a round to the backlog; at its bound, the oldest round kept goes, counted and logged."""
        if len(self.backlog) == self.backlog.maxlen:
            oldest = self.backlog.popleft()
            self.dropped += 1
            self.dropped_away += 1
            log.warning("monitors: %d rounds kept in memory while the store cannot be reached, the most kept "
                        "(BACKLOG_ROUNDS); dropped the oldest, of %s checked at %s (%d dropped in this outage)",
                        self.backlog.maxlen, ", ".join(oldest["names"]), oldest["at"].isoformat(timespec="seconds"),
                        self.dropped_away)
        at = min((result.checked_at for result in results.values()), default=None) or utcnow()
        self.backlog.append({"names": names, "results": results, "at": at})

    def _flush(self) -> RoundReport | None:
        """Write the kept rounds, oldest first; None when the store cannot be reached (they stay kept). After an
        outage, `returned` says how many rounds observed meanwhile were written and how many dropped."""
        report, written = RoundReport([]), 0
        first = self.backlog[0]["at"] if self.backlog else None
        while self.backlog:
            try:
                report = self._write(self.backlog[0]["names"], self.backlog[0]["results"])
            except SQLAlchemyError as error:
                if not dbfault.is_store_fault(error):
                    self.backlog.popleft()
                    raise
                log.warning("%s; %d rounds kept in memory (%d dropped)", dbfault.describe(
                    error, self.settings.resolved_database_url), len(self.backlog), self.dropped)
                return None
            self.backlog.popleft()
            written += 1
        if written > 1 or self.dropped_away:
            self.returned = (f"The store is back: wrote {written} rounds kept in memory since "
                             f"{first.isoformat(timespec='seconds')}" + (
                                 f", {self.dropped_away} oldest rounds dropped (BACKLOG_ROUNDS)." if self.dropped_away
                                 else "."))
            log.warning("monitors: %s", self.returned)
            self.dropped_away = 0
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
