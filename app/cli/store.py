"""`pantau init` and `pantau demo`: create or migrate the store, fill it with a demo campus."""

from __future__ import annotations

from typing import Literal

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from app.demo.settle import settle_demo
from app.demo_users import create_demo_users
from pantau import migrate

from .common import console, engine, settings


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)


def init() -> None:
    """Create the database, or migrate it to the newest schema."""
    config = settings()
    store = engine(config)
    before = migrate.current_revision(store)
    migrate.upgrade(store)
    after = migrate.current_revision(store)
    state = "created" if before is None else ("migrated" if before != after else "up to date")
    console.print(f"Store {state} at revision [bold]{after}[/]: {store.url.render_as_string(hide_password=True)}")


def demo(
    scale: Literal["small", "medium", "large"] = typer.Option("medium", help="small (tests), medium, large (bench)"),
    seed: int = typer.Option(42, help="same seed, same campus"),
    replace: bool = typer.Option(False, help="clear existing demo data first"),
    users: bool = typer.Option(True, help="create one demo user per role if there are no users"),
) -> None:
    """Fill the store with a believable demo polytechnic."""
    from app.demo import generate

    config = settings()
    store = engine(config)
    migrate.upgrade(store)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,.0f}"),
                  TimeElapsedColumn(), console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, advance: int = 1) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=None)
            bar.advance(tasks[step], advance)

        try:
            summary = generate(store, scale, seed=seed, progress=progress, replace=replace)
        except ValueError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from error
    console.print(f"Demo campus ({scale}, seed {seed}) written in {summary.seconds:,.1f} s.")
    settle_demo(store, config)
    for table, count in summary.counts.items():
        console.print(f"  {table:<24} {count:>12,}")
    if users:
        created = create_demo_users(store, config.data_dir)
        if created:
            console.print(f"Demo log-ins written to {config.data_dir / 'demo-credentials.txt'}")
