"""Monthly counts and half-yearly medians and P90s, rebuilt for the groups a change touched.

A group is one SOP step in one local month. The page and the report read these small tables
instead of the step results, so their cost does not grow with the number of cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import pandas as pd
from sqlalchemy import case, delete, func, select, tuple_
from sqlalchemy.orm import Session

from pantau.models.workflow import SlaMonthly, SlaQuantile, StepResult
from pantau.sla.measure import BREACHED, MET
from pantau.sla.periods import half_of, months_of

Group = tuple[str, str, str]
"""(SOP code, step key, month "YYYY-MM")."""

_CHUNK = 200
_MONTHLY = SlaMonthly.__table__
_QUANTILES = SlaQuantile.__table__


def refresh_aggregates(session: Session, groups: Iterable[Group]) -> int:
    """Rebuild `sla_monthly` for each group's SOP and month, and `sla_quantiles` for each group's SOP
    step and half-year. Returns how many groups were asked for."""
    groups = set(groups)
    months = sorted({(sop_code, month) for sop_code, _, month in groups})
    for part in _chunks(months):
        _rebuild_months(session, part)
    by_half: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sop_code, step_key, month in groups:
        by_half[half_of(month)].add((sop_code, step_key))
    for half, steps in sorted(by_half.items()):
        for part in _chunks(sorted(steps)):
            _rebuild_quantiles(session, half, part)
    return len(groups)


def _rebuild_months(session: Session, pairs: Sequence[tuple[str, str]]) -> None:
    connection = session.connection()
    connection.execute(delete(_MONTHLY).where(tuple_(_MONTHLY.c.sop_code, _MONTHLY.c.month).in_(pairs)))
    performer = func.coalesce(StepResult.performer, "")
    rows = connection.execute(
        select(
            StepResult.sop_code, StepResult.step_key, StepResult.month, performer, StepResult.outside_party,
            func.count(),
            func.sum(case((StepResult.measured, 1), else_=0)),
            func.sum(case((StepResult.state == MET, 1), else_=0)),
            func.sum(case((StepResult.state == BREACHED, 1), else_=0)),
            func.sum(case((StepResult.measured, StepResult.elapsed_s), else_=0)),
        )
        .where(tuple_(StepResult.sop_code, StepResult.month).in_(pairs), StepResult.completed_at.is_not(None))
        .group_by(StepResult.sop_code, StepResult.step_key, StepResult.month, performer, StepResult.outside_party)
    ).all()
    merged: dict[tuple, dict] = {}
    for sop_code, step_key, month, who, outside, completed, measured, met, breached, elapsed in rows:
        row = merged.setdefault(
            (sop_code, step_key, month, who),
            dict(sop_code=sop_code, step_key=step_key, month=month, performer=who, outside_party=False,
                 completed=0, measured=0, met=0, breached=0, elapsed_s=0),
        )
        row["outside_party"] = row["outside_party"] or bool(outside)
        for name, value in (("completed", completed), ("measured", measured), ("met", met),
                            ("breached", breached), ("elapsed_s", elapsed)):
            row[name] += int(value or 0)
    if merged:
        connection.execute(_MONTHLY.insert(), list(merged.values()))


def _rebuild_quantiles(session: Session, half: str, steps: Sequence[tuple[str, str]]) -> None:
    connection = session.connection()
    connection.execute(delete(_QUANTILES).where(
        _QUANTILES.c.period == half, tuple_(_QUANTILES.c.sop_code, _QUANTILES.c.step_key).in_(steps)))
    rows = connection.execute(
        select(StepResult.sop_code, StepResult.step_key, StepResult.elapsed_s, StepResult.allowed_s).where(
            tuple_(StepResult.sop_code, StepResult.step_key).in_(steps),
            StepResult.month.in_(months_of(half)),
            StepResult.measured,
            StepResult.completed_at.is_not(None),
            StepResult.allowed_s > 0,
        )
    ).all()
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["sop_code", "step_key", "elapsed", "allowed"]).astype(
        {"elapsed": float, "allowed": float})
    frame["ratio"] = frame["elapsed"] / frame["allowed"]
    grouped = frame.groupby(["sop_code", "step_key"])
    summary = pd.DataFrame({
        "measured": grouped.size(),
        "median_ratio": grouped["ratio"].median(), "p90_ratio": grouped["ratio"].quantile(0.9),
        "median_elapsed_s": grouped["elapsed"].median().round(), "p90_elapsed_s": grouped["elapsed"].quantile(0.9).round(),
        "median_allowed_s": grouped["allowed"].median().round(),
    }).reset_index()
    connection.execute(_QUANTILES.insert(), [
        dict(sop_code=r.sop_code, step_key=r.step_key, period=half, measured=int(r.measured),
             median_ratio=float(r.median_ratio), p90_ratio=float(r.p90_ratio),
             median_elapsed_s=int(r.median_elapsed_s), p90_elapsed_s=int(r.p90_elapsed_s),
             median_allowed_s=int(r.median_allowed_s))
        for r in summary.itertuples()
    ])


def _chunks(items: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
