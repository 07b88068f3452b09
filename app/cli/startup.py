"""What `pantau run` prints while it starts: one line per step with a spinner while it works, one summary
warning for what is not configured, then the address and the demo log-ins. Logging is quiet unless asked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pantau.settings import Settings
from queries.first_run import startup_warnings


def configure_logging(verbose: bool) -> None:
    """Warnings and errors only; with `verbose`, every collector run and request as well."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)


class Steps:
    """A Rich progress of the start-up steps: each shows a spinner while it runs, then a tick and what it did."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/]"), TextColumn("{task.description}"),
                                 TimeElapsedColumn(), console=console, transient=False)

    def __enter__(self) -> Steps:
        self.progress.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.progress.stop()

    @contextmanager
    def step(self, doing: str) -> Iterator[list[str]]:
        """Run one step; what the caller appends to the yielded list replaces `doing` once it is done."""
        task = self.progress.add_task(doing, total=1)
        said: list[str] = []
        yield said
        self.progress.update(task, description=" ".join(said) or doing, completed=1)


def summary(console: Console, config: Settings, credentials: str) -> None:
    """The warning for what is not configured (one line a subject), the address and the demo log-ins."""
    for line in startup_warnings(config):
        console.print(f"[yellow]![/] {line}", highlight=False)
    web = config.web
    console.print(f"\n[bold green]Pantau is running at http://{web.host}:{web.port}[/]")
    if credentials:
        console.print(f"Demo log-ins (role, username, password; also in {config.data_dir}/demo-credentials.txt):")
        console.print(credentials.rstrip("\n"), highlight=False)
    console.print("Press Ctrl-C to stop. Request logs: pantau run --verbose.")
