"""The half-yearly SLA report: per SOP its compliance, verdict and open steps; per step its counts,
median and P90 against the standard, and counts by performer. `pantau report sla` prints it."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from pantau import formatting
from pantau.models import utcnow
from pantau.sla.aggregates import OTHERS
from pantau.sla.context import SlaContext
from pantau.sla.periods import half_of, month_of, months_of, previous_half
from pantau.sla.scope import Scope, narrow
from pantau.sops import Sop
from pantau.sops.names import sop_label
from queries.sla import (
    half_years,
    monthly_compliance,
    open_counts_by_sop,
    performer_counts,
    sop_compliance,
    step_stats,
)

GOOD = "good"
POOR = "poor"


def verdict(compliance: float | None, threshold: float) -> str | None:
    """"good" (berjalan baik) when compliance reaches the threshold, "poor" (tidak berjalan baik) below
    it, None without measured steps."""
    if compliance is None or math.isnan(compliance):
        return None
    return GOOD if compliance >= threshold else POOR


def default_period(engine: Engine, ctx: SlaContext, scope: Scope = None, now: datetime | None = None) -> str:
    """The newest half-year with completed steps, else the current one."""
    halves = half_years(engine, scope)
    return halves[0] if halves else half_of(month_of(now or utcnow(), ctx.calendar.zone))


def build_report(
    engine: Engine,
    ctx: SlaContext,
    *,
    sop: str | None = None,
    period: str | None = None,
    scope: Scope = None,
    now: datetime | None = None,
) -> dict:
    """The report as plain data: `period`, `previous_period` and one entry per SOP in `sops`.

    Raises ValueError for an SOP code the catalogue does not have.
    """
    if sop is not None and sop not in ctx.catalogue:
        raise ValueError(f"unknown SOP {sop!r}; known: {', '.join(ctx.catalogue)}")
    now = now or utcnow()
    scope = narrow(scope, ctx.catalogue, sop)
    period = period or default_period(engine, ctx, scope, now)
    months, previous = months_of(period), previous_half(period)
    totals = sop_compliance(engine, months, scope).set_index("sop_code")
    before = sop_compliance(engine, months_of(previous), scope).set_index("sop_code")
    trend = monthly_compliance(engine, months, scope, by="sop")
    steps = step_stats(engine, period, months, scope)
    performers = performer_counts(engine, period, scope)
    codes = [code for code in ctx.catalogue if scope is None or code in scope]
    opened = open_counts_by_sop(engine, now, {code: narrow(scope, ctx.catalogue, code)[code] for code in codes})
    entries = []
    for code in codes:
        definition = ctx.catalogue[code]
        threshold = ctx.config.threshold(code)
        row = totals.loc[code] if code in totals.index else None
        compliance = _number(row["compliance"]) if row is not None else None
        entries.append({
            "code": code,
            "name": definition.name,
            "label": sop_label(code, ctx.catalogue),
            "institution": definition.institution,
            "document_number": definition.document_number,
            "threshold": threshold,
            "completed": int(row["completed"]) if row is not None else 0,
            "measured": int(row["measured"]) if row is not None else 0,
            "met": int(row["met"]) if row is not None else 0,
            "breached": int(row["breached"]) if row is not None else 0,
            "compliance": compliance,
            "previous_compliance": _number(before.loc[code]["compliance"]) if code in before.index else None,
            "verdict": verdict(compliance, threshold),
            "monthly": {r.month: _number(r.compliance) for r in trend[trend["sop_code"] == code].itertuples()},
            "open": opened[code],
            "steps": _steps(definition, scope, steps[steps["sop_code"] == code],
                            performers[performers["sop_code"] == code]),
        })
    return {"period": period, "previous_period": previous, "generated_at": now.isoformat(), "sops": entries}


def _steps(definition: Sop, scope: Scope, steps: pd.DataFrame, performers: pd.DataFrame) -> list[dict]:
    """Every visible step of the SOP in its file's order, with its figures (zero without completions)."""
    stats = {row.step_key: row for row in steps.itertuples()}
    by_step = {key: [{"performer": None if p.performer in ("", OTHERS) else p.performer,
                      "others": p.performer == OTHERS,
                      "completed": int(p.completed), "met": int(p.met), "compliance": _number(p.compliance)}
                     for p in group.itertuples()]
               for key, group in performers.groupby("step_key", sort=False)}
    out = []
    for step in definition.steps:
        if scope is not None and step.key not in scope.get(definition.code, ()):
            continue
        row = stats.get(step.key)
        out.append({
            "number": step.number, "key": step.key, "name": step.name, "flow": step.flow,
            "performer_role": step.performer_role.value,
            "standard": step.time.written or formatting.standard_time(step.time.value, step.time.unit.value),
            "standard_value": step.time.value, "standard_unit": step.time.unit.value,
            "outside_party": step.outside_party,
            "completed": int(row.completed) if row else 0, "measured": int(row.measured) if row else 0,
            "met": int(row.met) if row else 0, "breached": int(row.breached) if row else 0,
            "compliance": _number(row.compliance) if row else None,
            "median_s": _whole(row.median_elapsed_s) if row else None, "p90_s": _whole(row.p90_elapsed_s) if row
            else None,
            "median_ratio": _number(row.median_ratio) if row else None,
            "p90_ratio": _number(row.p90_ratio) if row else None,
            "performers": by_step.get(step.key, []),
        })
    return out


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _whole(value) -> int | None:
    number = _number(value)
    return None if number is None else int(number)
