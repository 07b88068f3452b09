"""Monthly counts and half-yearly medians and P90s, rebuilt for the groups a change touched.

A group is one SOP step in one local month. The page and the report read these small tables
instead of the step results, so their cost does not grow with the number of cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from pantau.models.workflow import SlaMonthly, SlaQuantile, StepResult
from pantau.sla.measure import BREACHED, MET
from pantau.sla.periods import half_of, months_of

Group = tuple[str, str, str]
"""(SOP code, step key, month "YYYY-MM")."""


def refresh_aggregates(session: Session, groups: Iterable[Group]) -> int:
    """Rebuild `sla_monthly` for each group and `sla_quantiles` for each group's half-year.

    Returns how many groups were rebuilt.
    """
    groups = set(groups)
    by_month: dict[tuple[str, str], set[str]] = defaultdict(set)
    halves: set[tuple[str, str, str]] = set()
    for sop_code, step_key, month in groups:
        by_month[(sop_code, month)].add(step_key)
        halves.add((sop_code, step_key, half_of(month)))
    for (sop_code, month), keys in sorted(by_month.items()):
        _rebuild_month(session, sop_code, month, sorted(keys))
    for sop_code, step_key, half in sorted(halves):
        _rebuild_quantiles(session, sop_code, step_key, half)
    return len(groups)


def _rebuild_month(session: Session, sop_code: str, month: str, keys: list[str]) -> None:
    session.execute(
        delete(SlaMonthly).where(SlaMonthly.sop_code == sop_code, SlaMonthly.month == month, SlaMonthly.step_key.in_(keys))
    )
    performer = func.coalesce(StepResult.performer, "")
    rows = session.execute(
        select(
            StepResult.step_key,
            performer,
            StepResult.outside_party,
            func.count(),
            func.sum(case((StepResult.measured, 1), else_=0)),
            func.sum(case((StepResult.state == MET, 1), else_=0)),
            func.sum(case((StepResult.state == BREACHED, 1), else_=0)),
            func.sum(case((StepResult.measured, StepResult.elapsed_s), else_=0)),
        )
        .where(
            StepResult.sop_code == sop_code,
            StepResult.month == month,
            StepResult.step_key.in_(keys),
            StepResult.completed_at.is_not(None),
        )
        .group_by(StepResult.step_key, performer, StepResult.outside_party)
    ).all()
    merged: dict[tuple[str, str], dict] = {}
    for step_key, who, outside, completed, measured, met, breached, elapsed in rows:
        row = merged.setdefault(
            (step_key, who),
            dict(sop_code=sop_code, step_key=step_key, month=month, performer=who, outside_party=False,
                 completed=0, measured=0, met=0, breached=0, elapsed_s=0),
        )
        row["outside_party"] = row["outside_party"] or bool(outside)
        for name, value in (("completed", completed), ("measured", measured), ("met", met),
                            ("breached", breached), ("elapsed_s", elapsed)):
            row[name] += int(value or 0)
    if merged:
        session.execute(insert(SlaMonthly), list(merged.values()))


def _rebuild_quantiles(session: Session, sop_code: str, step_key: str, half: str) -> None:
    session.execute(
        delete(SlaQuantile).where(
            SlaQuantile.sop_code == sop_code, SlaQuantile.step_key == step_key, SlaQuantile.period == half
        )
    )
    values = session.execute(
        select(StepResult.elapsed_s, StepResult.allowed_s).where(
            StepResult.sop_code == sop_code,
            StepResult.step_key == step_key,
            StepResult.month.in_(months_of(half)),
            StepResult.measured,
            StepResult.completed_at.is_not(None),
            StepResult.allowed_s > 0,
        )
    ).all()
    if not values:
        return
    elapsed = np.array([row[0] for row in values], dtype=float)
    allowed = np.array([row[1] for row in values], dtype=float)
    ratio = elapsed / allowed
    session.execute(
        insert(SlaQuantile),
        [dict(
            sop_code=sop_code, step_key=step_key, period=half, measured=len(values),
            median_ratio=float(np.median(ratio)), p90_ratio=float(np.percentile(ratio, 90)),
            median_elapsed_s=int(round(np.median(elapsed))), p90_elapsed_s=int(round(np.percentile(elapsed, 90))),
            median_allowed_s=int(round(np.median(allowed))),
        )],
    )
