"""`pantau init` and `pantau demo`: create or migrate the store, fill it with a demo campus."""

from __future__ import annotations

from typing import Literal

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from app.demo.settle import settle_demo
from app.demo_users import create_demo_users
from pantau import formatting, migrate
from pantau.tables import table_words

from .common import console, engine, failed, settings, words


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
    t, where = words(config), escape(store.url.render_as_string(hide_password=True))
    if before is None:
        said = t("Store created at revision [bold]{revision}[/]: {store}", revision=after, store=where)
    elif before != after:
        said = t("Store migrated to revision [bold]{revision}[/]: {store}", revision=after, store=where)
    else:
        said = t("Store up to date at revision [bold]{revision}[/]: {store}", revision=after, store=where)
    console.print(said)


def demo(
    scale: Literal["small", "medium", "large"] = typer.Option("medium", help="small (tests), medium, large (bench)"),
    seed: int = typer.Option(42, help="same seed, same campus"),
    replace: bool = typer.Option(False, help="clear existing demo data first"),
    users: bool = typer.Option(True, help="create one demo user per role if there are no users"),
) -> None:
    """Fill the store with a believable demo polytechnic."""
    from app.demo import DemoNotEmptyError, generate

    config = settings()
    store, t, lang = engine(config), words(config), config.language
    migrate.upgrade(store)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,.0f}"),
                  TimeElapsedColumn(), console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, advance: int = 1) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(escape(table_words(step, lang)), total=None)
            bar.advance(tasks[step], advance)

        try:
            summary = generate(store, scale, seed=seed, progress=progress, replace=replace)
        except DemoNotEmptyError as error:
            tables = ", ".join(table_words(table, lang) for table in error.tables)
            console.print(f"{failed(lang)} " + escape(t("the store already holds data ({tables}); --replace clears "
                                                         "the demo's tables first", tables=tables)))
            raise typer.Exit(2) from error
        except ValueError as error:
            console.print(f"{failed(lang)} {escape(t(str(error)))}")
            raise typer.Exit(2) from error
    console.print(t("Demo campus ({scale}, seed {seed}) written in {seconds} s.", scale=t(scale), seed=seed,
                    seconds=formatting.number(summary.seconds, lang, 1)), highlight=False)
    settle_demo(store, config)
    for table, count in summary.counts.items():
        console.print(f"  {table_words(table, lang):<32} {formatting.number(count, lang):>12}", highlight=False,
                      markup=False)
    if users:
        created = create_demo_users(store, config.data_dir)
        if created:
            console.print(t("Demo log-ins written to {file}", file=config.data_dir / "demo-credentials.txt"),
                          highlight=False, markup=False)
