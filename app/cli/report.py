"""`pantau report sla [--sop CODE] [--period 2026-H1] [--json]`: the half-yearly SOP monitoring report."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from pantau import formatting
from pantau.i18n import translate
from pantau.roles import role_name
from pantau.sla.context import sla_context
from pantau.sla.periods import half_label, is_half
from queries.sla_report import GOOD, build_report

from .common import console, engine, fail, settings

app = typer.Typer(help="Reports for people who do not open the dashboard.", no_args_is_help=True)

VERDICTS = {GOOD: ("Running well", "green"), "poor": ("Not running well", "red"), None: ("No data", "dim")}


@app.command("sla")
def report_sla(
    sop: str = typer.Option(None, "--sop", help="only this SOP (its code, e.g. KTM)"),
    period: str = typer.Option(None, "--period", help="half-year, e.g. 2026-H1 (default: the newest with data)"),
    json_out: bool = typer.Option(False, "--json", help="print JSON for scripts"),
) -> None:
    """SLA compliance per SOP and step for a half-year, with the verdict against the threshold."""
    config = settings()
    if period is not None and not is_half(period):
        fail(f"--period {period!r}: write a half-year as 2026-H1 or 2026-H2")
    try:
        store = engine(config)
        report = build_report(store, sla_context(config, store), sop=sop.upper() if sop else None, period=period)
    except ValueError as error:
        fail(str(error))
    if json_out:
        console.print_json(json.dumps(report))
        return
    render(report, config.language)


def render(report: dict, lang: str) -> None:
    """Print the report with Rich tables in `lang`."""
    t = lambda text, **values: translate(text, lang, **values)  # noqa: E731
    console.print(f"[bold]{t('SLA compliance')}[/] · {half_label(report['period'], lang)}")
    for entry in report["sops"]:
        word, colour = VERDICTS[entry["verdict"]]
        console.print()
        console.print(f"[bold]{entry['code']}[/] {entry['name']} ({entry['institution']}, {entry['document_number']})")
        console.print(
            f"  {t('Within standard')}: {formatting.percent(entry['compliance'], lang)} "
            f"({formatting.number(entry['met'], lang)}/{formatting.number(entry['measured'], lang)}) · "
            f"{t('Threshold')}: {formatting.percent(entry['threshold'], lang)} · "
            f"{t('Previous half-year')}: {formatting.percent(entry['previous_compliance'], lang)} · "
            f"[{colour}]{t(word)}[/]"
        )
        opened = entry["open"]
        console.print(
            f"  {t('Open steps')}: {t('At risk')} {opened['at_risk']}, {t('Breached')} {opened['breached']}, "
            f"{t('In progress')} {opened['open']}, {t('Waiting on outside party')} {opened['waiting']}"
        )
        if entry["steps"]:
            console.print(_steps_table(entry["steps"], lang, t))


def _steps_table(steps: list[dict], lang: str, t) -> Table:
    table = Table(t("No."), t("Step"), t("Performer"), t("Standard time"), t("Completed"), t("Within standard"),
                  t("Median"), "P90", t("By performer"), show_lines=False)
    for step in steps:
        name = step["name"] if len(step["name"]) <= 48 else step["name"][:47] + "…"
        if step["outside_party"]:
            name += f" [dim]({t('outside party')})[/]"
        who = ", ".join(f"{_who(p, t)} {p['completed']}" for p in step["performers"][:3])
        table.add_row(
            str(step["number"]), name, role_name(step["performer_role"], lang),
            formatting.standard_time(step["standard_value"], step["standard_unit"], lang),
            formatting.number(step["completed"], lang), formatting.percent(step["compliance"], lang),
            _spread(step["median_s"], step["median_ratio"], lang), _spread(step["p90_s"], step["p90_ratio"], lang), who,
        )
    return table


def _who(performer: dict, t) -> str:
    return t("Others") if performer["others"] else performer["performer"] or "–"


def _spread(seconds: int | None, ratio: float | None, lang: str) -> str:
    if seconds is None:
        return "–"
    return f"{formatting.duration(seconds, lang)} ({formatting.percent(ratio, lang, 0)})"
