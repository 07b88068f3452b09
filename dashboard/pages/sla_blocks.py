"""Building blocks of the SLA compliance page: KPI cards, the SOP table, the step and open-step
tables, step names and heat-map labels, the case header, and the frames (and period) behind the downloads."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting
from pantau.roles import role_name
from pantau.sla.context import SlaContext
from pantau.sla.periods import half_label, months_of

from .. import context, ids
from ..components import exports
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.sparkline import sparkline
from ..components.status import badge, grade, label
from ..components.tables import data_table
from ..theme import COLORWAY

MINUTE = timedelta(minutes=1)
VERDICT_WORDS = {"good": ("Running well", "success", "check-circle-fill"),
                 "poor": ("Not running well", "danger", "x-octagon-fill"),
                 None: ("No data", "secondary", "dash-circle")}


def step_names(ctx: SlaContext) -> dict[tuple[str, str], str]:
    """Each step of every SOP as ``(code, key) -> "number. name"``, the name cut at 60 characters."""
    return {(code, step.key): f"{step.number}. {step.name[:60]}" + ("…" if len(step.name) > 60 else "")
            for code, sop in ctx.catalogue.items() for step in sop.steps}


def short_label(ctx: SlaContext, code: str, step) -> str:
    """A heat-map row label: number, a short name, and the flow where an SOP has several."""
    name = step.name if len(step.name) <= 40 else step.name[:39] + "…"
    flows = [flow.key for flow in ctx.catalogue[code].flows]
    number = f"{chr(ord('a') + flows.index(step.flow))}.{step.number}" if step.flow in flows else str(step.number)
    return f"{number}. {name}"


def share(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def points(now: float | None, before: float | None) -> str | None:
    """The change between two shares in percentage points, worded."""
    if now is None or before is None:
        return None
    change = (now - before) * 100
    return context.t("{change} points against the previous half-year",
                     change=formatting.change(change, context.lang(), 1))


def kpi_row(overall: float | None, previous: float | None, trend: list[float], counts: dict[str, int],
            threshold, period: str, at_risk_share: float, fresh=None) -> dbc.Row:
    """The answer first: compliance over the half-year, then what needs someone now; each card with the age of
    its data (`fresh`, the workflow feed's)."""
    t, lang = context.t, context.lang()
    cards = [
        kpi_card(t("SLA compliance"), formatting.percent(overall, lang),
                 grade(overall, threshold.good, threshold.warn, threshold.higher_is_better),
                 change=points(overall, previous), card_id=ids.make("sla", "kpi-compliance"),
                 note=[sparkline(trend, COLORWAY[0]) if len(trend) > 1 else None, half_label(period, lang)],
                 fresh=fresh),
        kpi_card(t("At risk"), formatting.number(counts["at_risk"], lang), "warn" if counts["at_risk"] else "good",
                 note=t("Open steps past {share} of their standard time",
                        share=formatting.percent(at_risk_share, lang, 0)), fresh=fresh),
        kpi_card(t("Breached, still open"), formatting.number(counts["breached"], lang),
                 "bad" if counts["breached"] else "good", note=t("Open steps past their due time"), fresh=fresh),
        kpi_card(t("Waiting on outside party"), formatting.number(counts["waiting"], lang), "info",
                 note=t("Tracked apart from the institution's own time"), fresh=fresh),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])


def verdict_badge(verdict: str | None) -> dbc.Badge:
    text, colour, icon = VERDICT_WORDS[verdict]
    return dbc.Badge([html.I(className=f"bi bi-{icon} me-1", **{"aria-hidden": "true"}), context.t(text)],
                     color=colour, className="status-badge")


def sop_table(report: dict, threshold) -> dbc.Table:
    """One row per SOP: steps completed, those with a standard time (the share's denominator), the share within
    standard, change, monthly trend and the verdict."""
    t, lang = context.t, context.lang()
    head = html.Thead(html.Tr([html.Th(t(name)) for name in
                               ("SOP", "Completed", "With a standard time", "Within standard", "Change", "Trend",
                                "Half-year verdict")]))
    rows = []
    for entry in report["sops"]:
        trend = [value for value in entry["monthly"].values() if value is not None]
        status = grade(entry["compliance"], threshold.good, threshold.warn, threshold.higher_is_better)
        rows.append(html.Tr([
            html.Td([html.Strong(entry["label"]), html.Div(entry["name"], className="small text-body-secondary")]),
            html.Td(formatting.number(entry["completed"], lang), className="text-end"),
            html.Td(formatting.number(entry["measured"], lang), className="text-end"),
            html.Td([formatting.percent(entry["compliance"], lang), " ", badge(status)]),
            html.Td(points(entry["compliance"], entry["previous_compliance"]) or "–", className="small"),
            html.Td(sparkline(trend, COLORWAY[0]) if len(trend) > 1 else "–", style={"minWidth": "7rem"}),
            html.Td([verdict_badge(entry["verdict"]),
                     html.Div(t("threshold {share}", share=formatting.percent(entry["threshold"], lang, 0)),
                              className="small text-body-secondary")]),
        ]))
    return dbc.Table([head, html.Tbody(rows)], hover=True, responsive=True, className="align-middle mb-0",
                     id="sla-sop-table")


def step_frame(report: dict) -> pd.DataFrame:
    """The steps of every SOP in the report, formatted for the page's table."""
    t, lang = context.t, context.lang()
    rows = []
    for entry in report["sops"]:
        flows = _flow_letters(entry)
        for step in entry["steps"]:
            name = step["name"] if len(step["name"]) <= 90 else step["name"][:89] + "…"
            rows.append({
                "sop": entry["label"], "number": f"{flows.get(step['flow'], '')}{step['number']}",
                "step": name + (f" ({t('outside party')})" if step["outside_party"] else ""),
                "role": label_role(step["performer_role"]),
                "standard": formatting.standard_time(step["standard_value"], step["standard_unit"], lang),
                "completed": formatting.number(step["completed"], lang),
                "measured": formatting.number(step["measured"], lang),
                "within": formatting.percent(step["compliance"], lang),
                "median": spread(step["median_s"], step["median_ratio"], step["standard_unit"]),
                "p90": spread(step["p90_s"], step["p90_ratio"], step["standard_unit"]),
                "performers": ", ".join(f"{who(p)}: {formatting.number(p['completed'], lang)}"
                                        for p in step["performers"][:4]),
            })
    return pd.DataFrame(rows, columns=["sop", "number", "step", "role", "standard", "completed", "measured", "within",
                                       "median", "p90", "performers"])


def who(performer: dict) -> str:
    """A performer's name, "Others" for the rest summed, or a dash when none was recorded."""
    return context.t("Others") if performer["others"] else performer["performer"] or "–"


def _flow_letters(entry: dict) -> dict[str, str]:
    """"a.", "b." … for the flows of an SOP with several, in the order its steps list them."""
    keys = list(dict.fromkeys(step["flow"] for step in entry["steps"] if step["flow"]))
    return {key: f"{chr(ord('a') + index)}." for index, key in enumerate(keys)}


def spread(seconds: int | None, ratio: float | None, unit: str = "") -> str:
    """Time used in the clock of the standard's unit (working days and hours of the calendar for a working
    unit), and its share of the standard measured on that clock."""
    if seconds is None:
        return "–"
    lang, day_s = context.lang(), context.settings().calendar.working_day_s
    return f"{formatting.time_used(seconds, unit, day_s, lang)} ({formatting.percent(ratio, lang, 0)})"


def label_role(role: str) -> str:
    return role_name(role, context.lang())


def open_frame(frame: pd.DataFrame, names: dict[tuple[str, str], str], now,
               sops: dict[str, str] | None = None) -> pd.DataFrame:
    """Open steps formatted for a table: the SOP by its label (`sops`, `pantau.sops.names`), due times, time left
    or overdue, and the state in words."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return frame.assign(step="", started="", due="", status="", left="")
    out = frame.copy()
    out["step"] = [names.get((s, k), k) for s, k in zip(frame["sop_code"], frame["step_key"])]
    out["sop_code"] = [(sops or {}).get(code, code) for code in frame["sop_code"]]
    out["started"] = [moment(v.to_pydatetime(), lang, tz) for v in frame["started_at"]]
    out["due"] = [moment(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–" for v in frame["due_at"]]
    out["status"] = [label(state if state != "open" else "in_progress") for state in frame["state"]]
    out["left"] = [
        "–" if pd.isna(due) else
        (t("{span} overdue", span=_duration((now - due.to_pydatetime()) // MINUTE, lang)) if due.to_pydatetime() < now
         else t("{span} left", span=_duration((due.to_pydatetime() - now) // MINUTE, lang)))
        for due in frame["due_at"]
    ]
    return out


def open_table(frame: pd.DataFrame, names: dict[tuple[str, str], str], now, table_id: str, empty: str,
               limit: int, sops: dict[str, str] | None = None) -> html.Div:
    """Open steps as a selectable table (a row opens its case), saying so when only the first `limit` are shown;
    `empty` when there are none."""
    t = context.t
    if frame.empty:
        return empty_state(empty, icon="check2-circle")
    shown = open_frame(frame, names, now, sops)
    columns = {"case_ref": t("Case"), "sop_code": t("SOP"), "step": t("Step"), "unit": t("Unit"),
               "started": t("Started"), "due": t("Due"), "status": t("Status"), "left": t("Time")}
    note = html.Div(t("Showing the first {count}, soonest due first.", count=limit),
                    className="small text-body-secondary") if len(frame) == limit else None
    return html.Div([data_table(table_id, shown, columns, page_size=10, row_selectable="single", selected_rows=[]),
                     note])


def moment(value: datetime, lang: str, tz: str) -> str:
    """`formatting.moment`, with its day and its clock time each formatted once per process."""
    local = value.astimezone(ZoneInfo(tz))
    return f"{_day(local.date(), lang)} {_clock(local.hour, local.minute, lang, tz)}"


@lru_cache(maxsize=4096)
def _day(day: date, lang: str) -> str:
    return formatting.day(day, lang)


@lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, lang: str, tz: str) -> str:
    """The clock time with the zone's abbreviation (Indonesian zones keep one offset all year)."""
    return formatting.clock(datetime(2000, 1, 3, hour, minute, tzinfo=ZoneInfo(tz)), lang, tz)


@lru_cache(maxsize=8192)
def _duration(minutes: int, lang: str) -> str:
    return formatting.duration(timedelta(minutes=minutes), lang)


def case_header(info: dict, names: dict[str, str], sop: str | None = None) -> html.Div:
    """The case's SOP (its label, `sop`) and number, subject, when it opened and closed, and its outcome."""
    t, lang, tz = context.t, context.lang(), context.tz()
    outcome = info["outcome"] or "–"
    parts = [
        html.Strong(f"{sop or info['sop_code']} · {info['case_ref']}"),
        html.Span(f" · {info['subject']}" if info["subject"] else ""),
        html.Div([
            f"{t('Opened')}: {formatting.moment(info['opened_at'], lang, tz)} · ",
            f"{t('Closed')}: {formatting.moment(info['closed_at'], lang, tz)} · " if info["closed_at"] else
            f"{t('Still running')} · ",
            f"{t('Outcome')}: {outcome}",
        ], className="small text-body-secondary"),
    ]
    return html.Div(parts, className="mb-2")


def flow_names(ctx: SlaContext) -> dict[tuple[str, str], str]:
    """Each SOP's flows by name, for the downloads."""
    return {(code, flow.key): flow.name for code, sop in ctx.catalogue.items() for flow in sop.flows}


def download_sheets(report: dict, open_steps: pd.DataFrame, names: dict[tuple[str, str], str],
                    flows: dict[tuple[str, str], str] | None = None) -> list[exports.Sheet]:
    """The steps, their performers and the open steps as downloads (shares as fractions, durations in seconds,
    times of the open steps as they were stored: `exports` words and types them); `flows` names the flows."""
    steps, performers = [], []
    for entry in report["sops"]:
        for step in entry["steps"]:
            steps.append({"period": report["period"], "sop": entry["code"], "sop_name": entry["label"],
                          "flow": step["flow"], "number": step["number"],
                          "flow_name": (flows or {}).get((entry["code"], step["flow"])),
                          "step": step["name"], "performer_role": step["performer_role"], "standard": step["standard"],
                          "outside_party": step["outside_party"], "completed": step["completed"],
                          "measured": step["measured"], "met": step["met"], "breached": step["breached"],
                          "within_standard": step["compliance"], "median_s": step["median_s"], "p90_s": step["p90_s"],
                          "median_of_standard": step["median_ratio"], "p90_of_standard": step["p90_ratio"]})
            performers += [{"period": report["period"], "sop": entry["code"], "sop_name": entry["label"],
                            "number": step["number"],
                            "step": step["name"], "performer": who(p), "completed": p["completed"],
                            "met": p["met"], "within_standard": p["compliance"]} for p in step["performers"]]
    opened = open_steps.copy()
    if not opened.empty:
        opened["step"] = [names.get((s, k), k) for s, k in zip(opened["sop_code"], opened["step_key"])]
        labels = {entry["code"]: entry["label"] for entry in report["sops"]}
        opened["sop_name"] = [labels.get(code, code) for code in opened["sop_code"]]
    return [exports.Sheet("steps", "Steps", pd.DataFrame(steps, columns=[*STEP_COLUMNS, "flow_name", "sop_name"]),
                          STEP_EXPORT),
            exports.Sheet("performers", "Performers",
                          pd.DataFrame(performers, columns=[*PERFORMER_COLUMNS, "sop_name"]), PERFORMER_EXPORT),
            exports.Sheet("open", "Open steps", opened, OPEN_EXPORT)]


def is_half(period) -> bool:
    """A half-year as the period menu offers it (`2026-H2`); anything else means the default period."""
    if not isinstance(period, str):
        return False
    try:
        months_of(period)
    except ValueError:
        return False
    return True


STEP_COLUMNS = ["period", "sop", "flow", "number", "step", "performer_role", "standard", "outside_party", "completed",
                "measured", "met", "breached", "within_standard", "median_s", "p90_s", "median_of_standard",
                "p90_of_standard"]
PERFORMER_COLUMNS = ["period", "sop", "number", "step", "performer", "completed", "met", "within_standard"]
"""The downloads' columns, written as the header even when no step matches the filters."""
_PERIOD = exports.Column("period", "Period (half-year)", words=lambda half: half_label(half, context.lang()))
_COUNTS = {"completed": exports.Column("completed", "Completed", exports.COUNT),
           "measured": exports.Column("measured", "With a standard time", exports.COUNT),
           "met": exports.Column("met", "Met", exports.COUNT),
           "breached": exports.Column("breached", "Breached", exports.COUNT),
           "within_standard": exports.Column("within_standard", "Within standard", exports.PERCENT)}
_SOP = exports.Column("sop", "SOP", words="sop_name")
"""The SOP's code; by its label ("KTM · Pembuatan KTM") in the human download."""
STEP_EXPORT = [_PERIOD, _SOP, exports.Column("flow", "Flow", words="flow_name"),
               exports.Column("number", "Step no.", exports.WHOLE), exports.Column("step", "Step"),
               exports.Column("performer_role", "Performer", words=label_role),
               exports.Column("standard", "Standard time"),
               exports.Column("outside_party", "Outside party", exports.FLAG), *_COUNTS.values(),
               exports.Column("median_s", "Median (hours)", exports.HOURS),
               exports.Column("p90_s", "P90 (hours)", exports.HOURS),
               exports.Column("median_of_standard", "Median, share of the standard time", exports.PERCENT),
               exports.Column("p90_of_standard", "P90, share of the standard time", exports.PERCENT)]
PERFORMER_EXPORT = [_PERIOD, _SOP, exports.Column("number", "Step no.", exports.WHOLE),
                    exports.Column("step", "Step"), exports.Column("performer", "Performer"), _COUNTS["completed"],
                    _COUNTS["met"], _COUNTS["within_standard"]]
OPEN_EXPORT = [exports.Column("case_id", "Case ID", exports.WHOLE), exports.Column("case_ref", "Case number"),
               exports.Column("sop_code", "SOP", words="sop_name"), exports.Column("step_key", "Step", words="step"),
               exports.Column("step_number", "Step no.", exports.WHOLE),
               exports.Column("performer_role", "Role", words=label_role), exports.Column("unit", "Unit"),
               exports.Column("performer", "Performer"), exports.Column("started_at", "Started", exports.DATETIME),
               exports.Column("due_at", "Due", exports.DATETIME), exports.Column("state", "Status", words=label)]
"""The downloads' sheets: what each column holds, its machine header (the key) and its human one."""
