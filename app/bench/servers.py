"""Server health benchmarks: a probe round of 200 monitors, the page's callbacks against history length,
and the store size of a year of monitoring.

* A round of 200 loopback monitors, half of them dead (TCP to a listener whose accept queue is full,
  so connection attempts hang), 1 s timeout: the round (probing and writing) against the timeout,
  once the dead ones are known to be down, and the round in which they go down (incidents, alerts).
* One refresh of the server page (its four callbacks) at the 24 h and 1 y ranges, on a store with
  10 monitors x 1 year at 30 s, with the same on 1 day of history as the baseline: the ratio shows
  whether the cost is flat in history. The same refresh on the runner's demo store of each scale.
* The size of the 10 monitors x 1 year store (SQLite, retention-shaped; see ``server_history``).
"""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import Engine, select

from collectors.monitors import MonitorsCollector
from pantau import migrate
from pantau.db import make_engine
from pantau.models import Monitor
from pantau.settings import Settings

from .registry import BenchContext, Measurement, benchmark
from .server_history import write_history
from .web import bench_user

ROUNDS = 5
DOWN_AFTER = 3
REFRESHES = 12
TIMEOUT_S = 1.0


@benchmark("servers")
def servers(context: BenchContext) -> list[Measurement]:
    round_times, going_down = _probe_rounds(context.workdir)
    year, day, size_mb = _histories()
    found = [
        Measurement("server round: 200 monitors, 100 dead, 1 s timeout", round_times),
        Measurement("server round ÷ timeout", [t / TIMEOUT_S for t in round_times], unit="×"),
        Measurement("server round in which the 100 go down (incidents, alerts)", [going_down]),
        Measurement("monitoring store, 10 monitors × 1 y at 30 s", [size_mb], unit="MB"),
    ]
    for range_key in ("24h", "1y"):
        found.append(Measurement(f"server page refresh ({range_key} range), 1 y vs 1 d history",
                                 _refreshes(context.settings, year, range_key),
                                 baseline=_refreshes(context.settings, day, range_key)))
        found.append(Measurement(f"server page refresh ({range_key} range), demo store",
                                 _refreshes(context.settings, context.engine, range_key)))
    return found


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class _Quiet(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"OK"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _loopback_targets() -> Iterator[tuple[int, int, int]]:
    """A listening TCP port that accepts, an HTTP server, and a port whose accept queue is full."""
    with ExitStack() as stack:
        live = stack.enter_context(socket.create_server(("127.0.0.1", 0), backlog=256))
        stop = threading.Event()

        def accept() -> None:
            live.settimeout(0.2)
            while not stop.is_set():
                try:
                    live.accept()[0].close()
                except TimeoutError:
                    continue

        acceptor = threading.Thread(target=accept, daemon=True)
        acceptor.start()
        stack.callback(acceptor.join)
        stack.callback(stop.set)
        http = _Server(("127.0.0.1", 0), _Quiet)
        threading.Thread(target=http.serve_forever, daemon=True).start()
        stack.callback(http.server_close)
        stack.callback(http.shutdown)
        full = stack.enter_context(socket.create_server(("127.0.0.1", 0), backlog=0))
        stack.enter_context(socket.create_connection(full.getsockname(), timeout=5))
        yield live.getsockname()[1], http.server_address[1], full.getsockname()[1]


def _probe_rounds(workdir: Path) -> tuple[list[float], float]:
    """Seconds per round once the dead monitors are known to be down, and of the round they go down in."""
    engine = make_engine(f"sqlite:///{workdir / 'server-round.db'}")
    migrate.upgrade(engine)
    with _loopback_targets() as (tcp_port, http_port, full_port):
        monitors = [_monitor(f"tcp-{n}", "tcp", f"127.0.0.1:{tcp_port}") for n in range(50)]
        monitors += [_monitor(f"http-{n}", "http", f"http://127.0.0.1:{http_port}/") for n in range(50)]
        monitors += [_monitor(f"dead-{n}", "tcp", f"127.0.0.1:{full_port}") for n in range(100)]
        collector = MonitorsCollector(Settings(data_dir=workdir, monitors=monitors, language="en"), engine)
        collector.check([])
        times = []
        for _ in range(DOWN_AFTER + ROUNDS):
            started = time.perf_counter()
            report = collector.check()
            times.append(time.perf_counter() - started)
            failed = sum(not item.result.ok for item in report.checked)
            if failed != 100:
                raise RuntimeError(f"server round: {failed} monitors failed, expected the 100 dead ones")
    engine.dispose()
    return times[DOWN_AFTER:], times[DOWN_AFTER - 1]


def _monitor(name: str, check: str, target: str) -> dict:
    return {"name": name, "role": "other", "check": check, "target": target, "interval_s": 30,
            "timeout_s": TIMEOUT_S, "down_after": DOWN_AFTER}


@cache
def _histories() -> tuple[Engine, Engine, float]:
    """Stores with 10 monitors x 1 year and x 1 day at 30 s (built once per run); the year's size in MB."""
    root = Path(tempfile.mkdtemp(prefix="pantau-bench-servers-"))
    engines = []
    for days in (365, 1):
        engine = make_engine(f"sqlite:///{root / f'{days}d.db'}")
        migrate.upgrade(engine)
        write_history(engine, days=days)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engines.append(engine)
    return engines[0], engines[1], (root / "365d.db").stat().st_size / 1e6


def _refreshes(settings: Settings, engine: Engine, range_key: str) -> list[float]:
    """Seconds for the page's four callbacks, as one refresh of the IT head's browser does them."""
    from dashboard.app import create_app

    app = create_app(settings.model_copy(update={"database_url": str(engine.url)}), engine)
    client = app.server.test_client()
    username, password = bench_user(engine, "kepala_it")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"})
    with engine.connect() as connection:
        monitor_id = connection.scalar(select(Monitor.id).order_by(Monitor.id).limit(1))
    requests = _callbacks(monitor_id, range_key)
    samples = []
    for _ in range(REFRESHES):
        started = time.perf_counter()
        for request in requests:
            response = client.post("/_dash-update-component", json=request)
            if response.status_code != 200:
                raise RuntimeError(f"server page callback answered {response.status_code}: {response.text[:200]}")
        samples.append(time.perf_counter() - started)
    return samples


def _callbacks(monitor_id: int | None, range_key: str) -> list[dict]:
    tick = {"id": "server-tick", "property": "n_intervals", "value": 1}
    picked = [{"id": "server-monitor", "property": "value", "value": monitor_id},
              {"id": "server-range", "property": "value", "value": range_key}]
    host = [{"id": "server-host", "property": "value", "value": "server-pembayaran"},
            {"id": "server-range", "property": "value", "value": range_key}]
    shapes = [
        (["tiles.children", "uptime.children"], [tick]),
        (["latency.children", "level.children", "timeline.children", "incidents.children",
          "maintenance.children"], [tick, *picked]),
        (["host-chart.children", "host-now.children"], [tick, *host]),
        (["alerts.children", "certificates.children"], [tick]),
    ]
    requests = []
    for outputs, inputs in shapes:
        named = [f"server-{output}" for output in outputs]
        requests.append({
            "output": ".." + "...".join(named) + "..",
            "outputs": [{"id": name.rsplit(".", 1)[0], "property": name.rsplit(".", 1)[1]} for name in named],
            "inputs": inputs, "changedPropIds": ["server-tick.n_intervals"], "state": [],
        })
    return requests
