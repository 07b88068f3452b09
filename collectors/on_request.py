"""The sources page's "check now": the web worker only writes a request on the source's status row; the
active collector looks for requests at every heartbeat and runs the check in its own worker threads, so web
workers never probe, hold no scheduler, and never write beside the collector that holds the lease.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from pantau.db import session_scope
from pantau.sources import COLLECTOR, finish_check, pending_checks, record_attempt

from .base import Collector, SourceFailures

log = logging.getLogger(__name__)


class CheckRequests:
    """Routes each requested (kind, name) to the collector that reads it and runs one check at a time per
    source; `run_collector` is the scheduler's recorded run, used when a whole collector is asked for."""

    def __init__(self, collectors: Iterable[Collector], run_collector: Callable[[Collector], object]) -> None:
        self.collectors = list(collectors)
        self.run_collector = run_collector
        self.routes: dict[tuple[str, str], Collector] = {}
        for collector in self.collectors:
            self.routes[(COLLECTOR, collector.name)] = collector
            try:
                refs = collector.sources()
            except Exception:  # noqa: BLE001 - a bad configuration fails the collector's runs, not this
                log.exception("%s: its sources could not be listed", collector.name)
                refs = []
            for ref in refs:
                self.routes.setdefault(ref.key, collector)
        self._running: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def poll(self, submit: Callable[..., object]) -> int:
        """Hand each new request to `submit(function, *args)`; returns how many were handed over."""
        if not self.collectors:
            return 0
        engine = self.collectors[0].engine
        with session_scope(engine) as session:
            pending = pending_checks(session)
        handed = 0
        for kind, name, requested_at in pending:
            with self._lock:
                if (kind, name) in self._running:
                    continue
                self._running.add((kind, name))
            submit(self.check, kind, name, requested_at)
            handed += 1
        return handed

    def check(self, kind: str, name: str, requested_at: datetime) -> None:
        """Run the requested check, record what it found, and clear the request."""
        try:
            collector = self.routes.get((kind, name))
            if collector is None:
                self._failed(kind, name, "no running collector reads this source")
            elif kind == COLLECTOR:
                self.run_collector(collector)
            else:
                with collector.run_lock:
                    try:
                        collector.check_source(kind, name)
                        log.info("%s %s checked on request", kind, name)
                    except SourceFailures:
                        pass  # the collector recorded it on the source
                    except Exception as error:  # noqa: BLE001 - recorded on the source, never a crash
                        log.exception("%s %s: the requested check failed", kind, name)
                        self._failed(kind, name, error, collector)
            with session_scope(self._engine(collector)) as session:
                finish_check(session, kind, name, requested_at)
        except SQLAlchemyError:
            log.exception("%s %s: the requested check could not be recorded", kind, name)
        finally:
            with self._lock:
                self._running.discard((kind, name))

    def _engine(self, collector: Collector | None):
        return (collector or self.collectors[0]).engine

    def _failed(self, kind: str, name: str, error, collector: Collector | None = None) -> None:
        owner = collector or self.collectors[0]
        with session_scope(owner.engine) as session:
            record_attempt(session, owner.settings, kind, name, ok=False, error=error)
