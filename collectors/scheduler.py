"""Run collectors: once (`pantau collect --once`) or each on its own interval until told to stop."""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pantau import dbfault, sources
from pantau.alerts import has_unsent
from pantau.db import session_scope
from pantau.lease import Lease
from pantau.models import CollectorRun, utcnow
from pantau.settings import Settings

from .base import Collector, SourceFailures
from .on_request import CheckRequests
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
    """Run one collector once and record the run, and the collector's status as a source; an exception becomes
    a failed run, never a crash. Runs of one collector never overlap (scheduled, requested or once)."""
    with collector.run_lock:
        started = utcnow()
        failure: Exception | None = None
        try:
            result = collector.run()
            ok, items, message = True, result.items, result.message
            log.info("%s: %d items. %s", collector.name, items, message)
        except SourceFailures as exc:
            ok, items, message = False, 0, str(exc)
            log.warning("%s: some sources failed: %s", collector.name, exc)
        except Exception as exc:
            ok, items, message = False, 0, traceback.format_exception_only(exc)[-1].strip()
            failure = exc
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
                sources.record_attempt(session, collector.settings, sources.COLLECTOR, collector.name,
                                       ok=failure is None, at=outcome.finished_at, error=failure,
                                       message=outcome.message, interval_s=_interval(collector))
        except SQLAlchemyError as error:
            _store_error(error, f"{collector.name}: the run could not be recorded")
        return outcome


def _store_error(error: SQLAlchemyError, what: str) -> None:
    """Log a failed write or read of the store: one line while it cannot be reached, else with the traceback."""
    if dbfault.is_store_fault(error):
        log.warning("%s: %s", what, str(getattr(error, "orig", None) or error).splitlines()[0])
    else:
        log.exception("%s", what, exc_info=error)


def _interval(collector: Collector) -> float | None:
    try:
        return float(collector.interval_s)
    except ValueError:  # a bad configuration: its runs say so
        return None


def declare_sources(settings: Settings, engine: Engine, collectors: list[Collector], *, retire: bool) -> None:
    """List every collector and the sources each reads in the store (the sources page shows them before their
    first attempt); with `retire`, sources no longer read go, unless a collector could not list its own."""
    refs, complete = [], True
    for collector in collectors:
        refs.append(sources.SourceRef(sources.COLLECTOR, collector.name, _interval(collector)))
        try:
            refs += collector.sources()
        except Exception:  # noqa: BLE001 - a bad configuration fails the collector's runs with its message
            log.warning("%s: its sources could not be listed", collector.name, exc_info=True)
            complete = False
    try:
        with session_scope(engine) as session:
            sources.declare(session, refs, retire=retire and complete, lang=settings.language)
    except SQLAlchemyError:
        log.exception("the sources could not be listed in the store")


def run_once(settings: Settings, engine: Engine, names: Iterable[str] | None = None) -> list[RunOutcome]:
    """Run each collector (all registered ones unless `names` are given) once, in turn; the one that sends
    the alert outbox last, so what the others raised goes out in this pass."""
    collectors = sorted(build(settings, engine, names), key=lambda collector: collector.courier)
    declare_sources(settings, engine, collectors, retire=False)
    return [run_collector(collector) for collector in collectors]


def run_then_deliver(collector: Collector, courier: Collector | None) -> RunOutcome:
    """Run `collector`; if its run put a message in the alert outbox, run the `courier` at once (its lock
    keeps it to one run at a time), so an alert is sent in the pass that raised it, not an interval later."""
    outcome = run_collector(collector)
    if courier is None or collector is courier:
        return outcome
    try:
        with session_scope(collector.engine) as session:
            waiting = has_unsent(session)
    except SQLAlchemyError as error:
        _store_error(error, f"{collector.name}: the alert outbox could not be read")
        return outcome
    if waiting:
        run_collector(courier)
    return outcome


def serve(
    settings: Settings,
    engine: Engine,
    stop_event: threading.Event | None = None,
    names: Iterable[str] | None = None,
    say: Callable[[str], None] | None = None,
) -> None:
    """Run every collector on its own interval until `stop_event` is set or SIGINT/SIGTERM arrives, while this
    process holds the collector lease; wait as a standby while another process holds it.

    Each collector has its own worker thread, at most one run at a time, and runs that fell behind are
    merged into one, so a slow or hung source never delays the others. A run starts only while the lease is
    fresh; losing the lease stops the schedule and makes this process a standby again. `say` hears the
    changes of role (active, standby and who holds the lease). Running jobs finish before this returns.
    """
    stop = stop_event or threading.Event()
    say = say or log.info
    lease = Lease(engine, settings.collector.lease_s)
    restore_signals = _stop_on_signals(stop)
    try:
        while not stop.is_set():
            if _wait_for_lease(lease, stop, say, settings.timezone):
                _lead(settings, engine, names, lease, stop, say)
    finally:
        try:
            lease.release()
        except SQLAlchemyError:
            log.exception("the collector lease could not be released; it lapses by itself")
        restore_signals()


def _wait_for_lease(lease: Lease, stop: threading.Event, say: Callable[[str], None], zone: str) -> bool:
    """Take the lease, or wait as a standby until it lapses and this process takes it; False once stopped."""
    seen: str | None = None
    while not stop.is_set():
        try:
            holder = lease.acquire()
        except SQLAlchemyError as error:
            log.warning("the collector lease could not be read: %s", error)
            holder = None
        if holder is not None and holder.token == lease.token:
            say(f"Active collector ({lease.host}, pid {lease.pid}); lease period {lease.period_s:g} s.")
            return True
        if holder is not None and holder.token != seen:
            seen = holder.token
            say(f"Standby: the collector lease is held by {holder.describe(zone)}; "
                f"taking over if it lapses (lease period {lease.period_s:g} s).")
        stop.wait(lease.poll_every_s)
    return False


def _lead(settings: Settings, engine: Engine, names: Iterable[str] | None, lease: Lease, stop: threading.Event,
          say: Callable[[str], None]) -> None:
    """Run the schedule while the lease is ours: renew it, and stop the schedule when it is lost or on `stop`."""
    collectors = build(settings, engine, names)
    declare_sources(settings, engine, collectors, retire=names is None)
    courier = next((collector for collector in collectors if collector.courier), None)
    requests = CheckRequests(collectors, lambda collector: run_then_deliver(collector, courier))
    who = f"host {lease.host}, pid {lease.pid}"
    tick = min(lease.renew_every_s, settings.collector.heartbeat_s)
    _beat(engine, settings, who)
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=len(collectors) + 2)},
        job_defaults={"max_instances": 1, "coalesce": True},
        timezone=UTC,
    )
    for collector in collectors:
        scheduler.add_job(
            _run_if_leading,
            "interval",
            args=[collector, lease, courier],
            seconds=collector.interval_s,
            id=collector.name,
            name=collector.name,
            next_run_time=utcnow(),
            misfire_grace_time=max(int(collector.interval_s), 1),
        )
    scheduler.start()
    log.info("collecting: %s", ", ".join(repr(collector) for collector in collectors) or "nothing")
    lost = False
    try:
        while not stop.wait(tick):
            try:
                if not lease.renew():
                    lost = True
                    break
            except SQLAlchemyError as error:
                log.warning("the collector lease could not be renewed: %s; while the store cannot be reached the "
                            "monitors keep probing (rounds kept in memory) and the other collectors wait", error)
            if lease.fresh():
                _beat(engine, settings, who)
                _take_requests(requests, scheduler)
    finally:
        log.info("stopping collectors")
        scheduler.shutdown(wait=not lost)
        if not lost:
            _stopped(engine, who)
    if lost:
        say("Lost the collector lease (it lapsed and another collector took it); standing by.")


def _beat(engine: Engine, settings: Settings, who: str) -> None:
    """Report this active collector alive (pages show a banner when it has not for two heartbeats)."""
    try:
        sources.heartbeat(engine, interval_s=settings.collector.heartbeat_s, who=who)
    except SQLAlchemyError as error:
        log.warning("the collector's heartbeat could not be written: %s", error)


def _stopped(engine: Engine, who: str) -> None:
    try:
        sources.stopped(engine, who=who)
    except SQLAlchemyError as error:
        log.warning("the collector's stop could not be written: %s", error)


def _take_requests(requests: CheckRequests, scheduler: BackgroundScheduler) -> None:
    """Start the checks people asked for on the sources page, each in a worker thread of its own job."""
    try:
        requests.poll(lambda function, *args: scheduler.add_job(function, args=list(args), misfire_grace_time=None))
    except SQLAlchemyError as error:
        log.warning("the sources' check requests could not be read: %s", error)


def _run_if_leading(collector: Collector, lease: Lease, courier: Collector | None = None) -> RunOutcome | None:
    """Run the collector (and the courier after it, when it raised alerts) if this process still holds a fresh
    lease; skip the run otherwise."""
    if not lease.fresh():
        if lease.cut_off:
            observe(collector)
        else:
            log.warning("%s: run skipped, the collector lease is not confirmed", collector.name)
        return None
    return run_then_deliver(collector, courier)


def observe(collector: Collector) -> None:
    """While the store cannot be reached: let the collector observe what it can keep in memory (the monitors
    probe on, their rounds written when the store returns); the others wait. Nothing is written."""
    with collector.run_lock:
        try:
            result = collector.observe()
        except Exception:
            log.exception("%s: observing without the store failed", collector.name)
            return
    if result is not None:
        log.info("%s: %d items. %s", collector.name, result.items, result.message)


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
