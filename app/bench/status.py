"""The public status page under load: requests per second on loopback with one worker process, and store
queries per request (SQL statements counted with an SQLAlchemy event), for /status and /status.json.

The store holds 90 days of monitoring history of 6 monitors (small) or 24 (large), every one published,
with a posted incident each. Readers refresh from 8 keep-alive connections; the worker serves its cached
page and reads the store once per language and `[status] cache_s`. Baseline: the same requests with the cache
off (cache_s 0), each one building the page from the store, as a page without the cache would.
"""

from __future__ import annotations

import http.client
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from pantau import migrate
from pantau.db import make_engine, session_scope
from pantau.models import Incident, Monitor
from pantau.statuspage import post_incident, publish_service

from .registry import BenchContext, Measurement, benchmark
from .server_history import write_history
from .web import serving

MONITORS = {"small": 6, "large": 24}
READERS = 8
SECONDS = 3.0
SAMPLES = 3


@benchmark("status", demo=False)
def status(context: BenchContext) -> list[Measurement]:
    engine = make_engine(f"sqlite:///{context.workdir / 'status.db'}")
    migrate.upgrade(engine)
    started = time.perf_counter()
    _fill(engine, MONITORS.get(context.scale, MONITORS["small"]))
    measured = [Measurement("status: store build (90 days)", [time.perf_counter() - started])]
    for path in ("/status", "/status.json"):
        rates, queries = _load(context, engine, path, cache_s=30.0)
        plain, plain_queries = _load(context, engine, path, cache_s=0.0, samples=1)
        measured.append(Measurement(f"status: {path} requests/s (1 worker, {READERS} readers)", rates,
                                    unit="req/s", baseline=plain))
        measured.append(Measurement(f"status: {path} store queries per request", queries, unit="queries",
                                    baseline=plain_queries))
    engine.dispose()
    return measured


def _fill(engine, monitors: int) -> None:
    now = datetime.now(UTC)
    write_history(engine, monitors=monitors, days=90, interval_s=60, now=now)
    with session_scope(engine) as session:
        for position, monitor_id in enumerate(session.scalars(select(Monitor.id).order_by(Monitor.id)).all()):
            publish_service(session, monitor_id=monitor_id, label=f"Layanan {position + 1}", position=position,
                            actor="bench")
            incident = Incident(monitor_id=monitor_id, kind="down", started_at=now - timedelta(hours=position + 1))
            session.add(incident)
            session.flush()
            post_incident(session, incident_id=incident.id, title=f"Gangguan layanan {position + 1}",
                          state="investigating", note="Sedang diperiksa.", actor="bench")


def _load(context: BenchContext, engine, path: str, *, cache_s: float,
          samples: int = SAMPLES) -> tuple[list[float], list[float]]:
    """Requests per second and SQL statements per request over `samples` runs of SECONDS each."""
    settings = context.settings.model_copy(update={"status": {"cache_s": cache_s}})
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    rates, queries = [], []
    with serving(settings, engine) as url:
        host, port = url.removeprefix("http://").split(":")
        _reader(host, int(port), path, time.perf_counter(), [0], 0, at_least=1)  # the first build, unclocked
        event.listen(engine, "before_cursor_execute", count)
        try:
            for _ in range(samples):
                statements[0] = 0
                done = [0] * READERS
                end = time.perf_counter() + SECONDS
                threads = [threading.Thread(target=_reader, args=(host, int(port), path, end, done, index))
                           for index in range(READERS)]
                began = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                total = sum(done)
                rates.append(total / (time.perf_counter() - began))
                queries.append(statements[0] / max(total, 1))
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return rates, queries


def _reader(host: str, port: int, path: str, end: float, done: list[int], index: int, at_least: int = 0) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    while time.perf_counter() < end or done[index] < at_least:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        done[index] += 1
    connection.close()

