"""`pantau report monthly [--month 2026-10] [--html FILE] [--send]`: the directors' monthly report, printed,
written as a printable HTML file, or mailed now through the directors' alert channels."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from rich.markup import escape

from collectors.monthly_report import deliver
from pantau import formatting
from pantau.phrases import Phrases
from pantau.roles import role_name
from pantau.sla.periods import month_label
from queries import monthly_report as monthly

from .common import console, engine, fail, settings, words
from .report import app


@app.command("monthly")
def report_monthly(
    month: str = typer.Option(None, "--month", help="the month, e.g. 2026-10 (default: the previous month)"),
    html: Path = typer.Option(None, "--html", help="write the printable HTML report to this file"),
    send: bool = typer.Option(False, "--send", help="mail it now to the directors' alert channels"),
) -> None:
    """The overview's KPIs as of the end of a month: value, status, change and note."""
    config = settings()
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        fail(escape(words(config)("--month {month}: write a month as 2026-10", month=repr(month))))
    store = engine(config)
    report = monthly.build(store, config, month)
    t, named = words(config), month_label(report.month, config.language)
    if html is not None:
        html.write_text(monthly.render_html(report, config.language, config.timezone), encoding="utf-8")
        console.print(t("Report {month} written to {file}", month=named, file=escape(str(html))), highlight=False)
    else:
        console.print(monthly.render_text(report, config.language, config.timezone), highlight=False)
    if send:
        try:
            channels = deliver(store, config, report, actor="cli")
        except RuntimeError as error:
            fail(escape(_refusal(str(error), named, config.language)), code=1)
        console.print(t("Report {month} sent through {channels} channels", month=named,
                        channels=formatting.number(channels, config.language)), highlight=False)


def _refusal(message: str, month: str, lang: str) -> str:
    """Why `deliver` did not send the report (its English RuntimeError), in `lang`: the month and roles by name."""
    def roles(codes: str, lang: str) -> str:
        return ", ".join(role_name(code, lang) for code in codes.split(", "))

    refusals = Phrases("report {month} not sent: no alert channel carries {roles}",
                       "report {month} not delivered: {errors}",
                       values={"month": lambda _value, _lang: month, "roles": roles})
    return refusals.say(message, lang)
