"""`pantau serve`, `pantau collect` and `pantau run` (both, as `make run` starts them)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import typer
from rich.table import Table
from sqlalchemy import func, select

from app.demo_users import create_demo_users, read_credentials
from pantau import migrate
from pantau.models import Prodi

from .common import console, engine, fail, settings
from .seeding import settle_demo


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("collect")(collect)
    app.command("run")(run)


def serve(
    host: str = typer.Option(None, help="address to listen on (config: web.host)"),
    port: int = typer.Option(None, help="port (config: web.port)"),
    workers: int = typer.Option(None, help="gunicorn worker processes (config: web.workers)"),
) -> None:
    """Serve the dashboard with gunicorn."""
    from gunicorn.app.base import BaseApplication

    web = settings().web
    options = {
        "bind": f"{host or web.host}:{port or web.port}",
        "workers": workers or web.workers,
        "timeout": 120,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
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
) -> None:
    """Run the collectors on their schedules (the one process that writes from sources).

    Exactly one collector is active: it holds a lease in the store. Another `pantau collect` says who holds it
    and waits as a standby, taking over within `collector.lease_s` seconds when the active one dies."""
    from collectors import scheduler
    from pantau.lease import Lease

    config = settings()
    store = engine(config)
    migrate.upgrade(store)
    if not once:
        say("Collectors starting; Ctrl-C stops them.")
        scheduler.serve(config, store, names=only or None, say=say)
        return
    lease = Lease(store, config.collector.lease_s)
    holder = lease.acquire()
    if holder.token != lease.token:
        fail(f"another collector is active ({holder.describe(config.timezone)}): --once would write beside it; "
             "stop that one first", code=1)
    with lease.kept():
        outcomes = scheduler.run_once(config, store, names=only or None)
    table = Table("collector", "result", "items", "message")
    for outcome in outcomes:
        table.add_row(outcome.collector, "[green]ok[/]" if outcome.ok else "[red]failed[/]", f"{outcome.items:,}",
                      outcome.message or "")
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
) -> None:
    """Create/migrate the store, seed the demo if empty, then run collectors and the web app until Ctrl-C."""
    config = settings()
    store = engine(config)
    migrate.upgrade(store)
    with store.connect() as connection:
        empty = not connection.scalar(select(func.count()).select_from(Prodi))
    if empty and demo:
        from app.demo import generate

        with console.status(f"Seeding the demo campus ({scale})…"):
            summary = generate(store, scale)
        console.print(f"Demo campus seeded in {summary.seconds:,.1f} s.")
        settle_demo(store, config)
    create_demo_users(store, config.data_dir)
    store.dispose()

    children = [
        subprocess.Popen([sys.executable, "-m", "app", "collect"]),
        subprocess.Popen([sys.executable, "-m", "app", "serve"]),
    ]
    web = config.web
    console.print(f"\n[bold green]Pantau is running at http://{web.host}:{web.port}[/]")
    credentials = read_credentials(config.data_dir)
    if credentials:
        console.print(f"Demo log-ins (role, username, password; also in {config.data_dir}/demo-credentials.txt):")
        console.print(credentials, highlight=False)
    console.print("Press Ctrl-C to stop.")
    _wait_then_stop(children)


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
