"""`pantau serve`, `pantau collect` and `pantau run` (both, as `make run` starts them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, select

from app.demo.settle import settle_demo
from app.demo_users import create_demo_users, read_credentials
from pantau import formatting, migrate
from pantau.models import Prodi

from .collected import collected_words
from .common import console, engine, fail, settings, words
from .startup import Steps, configure_logging, summary


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("collect")(collect)
    app.command("run")(run)


def serve(
    host: str = typer.Option(None, help="address to listen on (config: web.host)"),
    port: int = typer.Option(None, help="port (config: web.port)"),
    workers: int = typer.Option(None, help="gunicorn worker processes (config: web.workers)"),
    verbose: bool = typer.Option(False, "--verbose", help="log every request"),
) -> None:
    """Serve the dashboard with gunicorn (web.workers processes of web.threads threads, each building the app
    itself; no collectors run here); warnings and errors only, every request with --verbose."""
    from gunicorn.app.base import BaseApplication

    configure_logging(verbose)
    web = settings().web
    options = {
        "bind": f"{host or web.host}:{port or web.port}",
        "workers": workers or web.workers,
        "worker_class": "gthread",
        "threads": web.threads,
        "timeout": web.timeout_s,
        "graceful_timeout": web.graceful_timeout_s,
        "max_requests": web.max_requests,
        "max_requests_jitter": web.max_requests // 10,
        "keepalive": web.keepalive_s,
        "accesslog": "-" if verbose else None,
        "errorlog": "-",
        "loglevel": "info" if verbose else "warning",
    }

    class Gunicorn(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from dashboard.app import wsgi

            return wsgi()

    Gunicorn().run()


def collect(
    once: bool = typer.Option(False, "--once", help="run every collector once, print what it found, exit"),
    only: list[str] = typer.Option(None, "--only", help="run only these collectors"),
    verbose: bool = typer.Option(False, "--verbose", help="log every collector run"),
    quiet: bool = typer.Option(False, "--quiet", help="say nothing but warnings (pantau run starts it so)"),
) -> None:
    """Run the collectors on their schedules (the one process that writes from sources).

    Exactly one collector is active: it holds a lease in the store. Another `pantau collect` says who holds it
    and waits as a standby, taking over within `collector.lease_s` seconds when the active one dies."""
    from collectors import scheduler
    from pantau.lease import Lease
    from queries.first_run import startup_warnings

    configure_logging(verbose)
    config = settings()
    store, t, lang = engine(config), words(config), config.language
    migrate.upgrade(store)
    if not once:
        if not quiet:
            for line in startup_warnings(config):
                say(f"[yellow]![/] {line}")
            say(t("Collectors starting; Ctrl-C stops them."))
        scheduler.serve(config, store, names=only or None,
                        say=(lambda _line: None) if quiet else (lambda line: say(collected_words(line, lang))))
        return
    lease = Lease(store, config.collector.lease_s)
    holder = lease.acquire()
    if holder.token != lease.token:
        fail(t("another collector is active ({holder}): --once would write beside it; stop that one first",
               holder=holder.describe(config.timezone)), code=1)
    with lease.kept():
        outcomes = scheduler.run_once(config, store, names=only or None)
    table = Table(t("Collector"), t("Result"), t("Items"), t("Message"))
    for outcome in outcomes:
        table.add_row(outcome.collector, f"[green]{t('ok')}[/]" if outcome.ok else f"[red]{t('failed')}[/]",
                      formatting.number(outcome.items, lang), escape(collected_words(outcome.message or "", lang)))
    console.print(table)
    if not all(outcome.ok for outcome in outcomes):
        raise typer.Exit(1)


def say(line: str) -> None:
    """One line for the operator, written out at once (a standby's output is read while it waits)."""
    console.print(line, highlight=False, soft_wrap=True)
    console.file.flush()


def run(
    scale: str = typer.Option("medium", help="demo scale when the store is empty"),
    demo: bool = typer.Option(True, help="seed a demo campus into an empty store"),
    verbose: bool = typer.Option(False, "--verbose", help="show every request and collector run"),
) -> None:
    """Create/migrate the store, seed the demo if empty, then run collectors and the web app until Ctrl-C."""
    configure_logging(verbose)
    config = settings()
    store = engine(config)
    with Steps(console) as steps:
        with steps.step("Migrating the store…") as said:
            migrate.upgrade(store)
            said.append("Store up to date")
        with store.connect() as connection:
            empty = not connection.scalar(select(func.count()).select_from(Prodi))
        if empty and demo:
            from app.demo import generate

            with steps.step(f"Seeding the demo campus ({scale})…") as said:
                seeded = generate(store, scale)
                said.append(f"Demo campus seeded ({scale}, {seeded.seconds:,.1f} s)")
            with steps.step("Settling the demo: SLA, reconciliation, photos, alerts…") as said:
                lines: list[str] = []
                settle_demo(store, config, say=lines.append if not verbose else console.print)
                said.append("Demo settled: SLA measured, bank feed reconciled, alerts raised")
        create_demo_users(store, config.data_dir)
        _demo_banks(store, config)
        services = _demo_servers(store, config, steps)
        store.dispose()
        with steps.step("Starting the collector and the web server…") as said:
            quiet = [] if verbose else ["--quiet"]
            flags = ["--verbose"] if verbose else []
            children = [
                subprocess.Popen([sys.executable, "-m", "app", "collect", *quiet, *flags]),
                subprocess.Popen([sys.executable, "-m", "app", "serve", *flags]),
            ]
            said.append(f"Collector and web server started ({config.web.workers} workers)")
    summary(console, config, read_credentials(config.data_dir))
    try:
        _wait_then_stop(children)
    finally:
        if services is not None:
            services.stop()


def _demo_banks(store, config) -> None:
    """On the demo campus, without ``[banks]`` of the campus's own, give the collector and web processes the
    demo's (the bank of each of its accounts), as its settling reconciled with them."""
    from app.demo.bank import BANKS, holds_demo

    with store.connect() as connection:
        if not config.banks and holds_demo(connection):
            os.environ["PANTAU_BANKS"] = json.dumps(BANKS)


def _demo_servers(store, config, steps: Steps):
    """On the demo campus, without ``[[monitors]]`` of the campus's own, start loopback services answering the
    demo's monitors and give the collector (and web) processes those monitors, so the collector probes them for
    real (see :mod:`app.demo.live`); the services, or None when it is not the demo."""
    from app.demo.live import DemoServices, certificate_expiries, demo_monitors

    if config.monitors:
        return None
    with store.connect() as connection:
        monitors = demo_monitors(connection)
        expiries = certificate_expiries(connection) if monitors else {}
    if not monitors:
        return None
    with steps.step("Starting the demo's servers on loopback addresses…") as said:
        services = DemoServices(monitors, expiries).start()
        os.environ["PANTAU_MONITORS"] = json.dumps(monitors)
        said.append(f"Demo servers answering {len(monitors)} monitors on loopback addresses")
    for problem in services.problems:
        console.print(f"[yellow]![/] demo servers: cannot listen at {problem}; its monitor will fail", highlight=False)
    return services


def _wait_then_stop(children: list[subprocess.Popen]) -> None:
    """Wait until Ctrl-C, SIGTERM or a child exits; then stop every child, politely first."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        if any(child.poll() is not None for child in children):
            break
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    console.print("Pantau stopped.")
