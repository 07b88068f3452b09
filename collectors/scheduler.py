"""Run collectors: once (`pantau collect --once`) or each on its own interval until told to stop."""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pantau.db import session_scope
from pantau.models import CollectorRun, utcnow
from pantau.settings import Settings

from .base import Collector
from .registry import build

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """One run of one collector, as recorded in `collector_runs`."""

    collector: str
    ok: bool
    items: int
    message: str
    started_at: datetime
    finished_at: datetime


def run_collector(collector: Collector) -> RunOutcome:
    """Run one collector once and record the run; an exception becomes a failed run, never a crash."""
    started = utcnow()
    try:
        result = collector.run()
        ok, items, message = True, result.items, result.message
        log.info("%s: %d items. %s", collector.name, items, message)
    except Exception as exc:
        ok, items, message = False, 0, traceback.format_exception_only(exc)[-1].strip()
        log.exception("%s failed", collector.name)
    outcome = RunOutcome(collector.name, ok, items, message, started, utcnow())
    try:
        with session_scope(collector.engine) as session:
            session.add(
                CollectorRun(
                    collector=outcome.collector,
                    started_at=outcome.started_at,
                    finished_at=outcome.finished_at,
                    ok=outcome.ok,
                    items=outcome.items,
                    message=outcome.message,
                )
            )
    except SQLAlchemyError:
        log.exception("%s: the run could not be recorded", collector.name)
    return outcome


def run_once(settings: Settings, engine: Engine, names: Iterable[str] | None = None) -> list[RunOutcome]:
    """Run each collector (all registered ones unless `names` are given) once, in turn."""
    return [run_collector(collector) for collector in build(settings, engine, names)]


def serve(
    settings: Settings,
    engine: Engine,
    stop_event: threading.Event | None = None,
    names: Iterable[str] | None = None,
) -> None:
    """Run every collector on its own interval until `stop_event` is set or SIGINT/SIGTERM arrives.

    Each collector has its own worker thread, at most one run at a time, and runs that fell behind are
    merged into one, so a slow or hung source never delays the others. Running jobs finish before
    this returns.
    """
    stop = stop_event or threading.Event()
    collectors = build(settings, engine, names)
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=max(len(collectors), 1))},
        job_defaults={"max_instances": 1, "coalesce": True},
        timezone=timezone.utc,
    )
    for collector in collectors:
        scheduler.add_job(
            run_collector,
            "interval",
            args=[collector],
            seconds=collector.interval_s,
            id=collector.name,
            name=collector.name,
            next_run_time=utcnow(),
            misfire_grace_time=max(int(collector.interval_s), 1),
        )
    restore_signals = _stop_on_signals(stop)
    scheduler.start()
    log.info("collecting: %s", ", ".join(repr(collector) for collector in collectors) or "nothing")
    try:
        while not stop.wait(1.0):
            pass
    finally:
        log.info("stopping collectors")
        scheduler.shutdown(wait=True)
        restore_signals()


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGINT and SIGTERM set `stop`; return what restores the previous handlers."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum, _frame) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()

    for sig in previous:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
