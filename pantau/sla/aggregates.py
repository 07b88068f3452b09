"""Monthly counts, and half-yearly performers, medians and P90s, rebuilt for the groups a change touched.

A group is one SOP step in one local month. The page and the report read these small tables
instead of the step results, so their cost does not grow with the number of cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import pandas as pd
from sqlalchemy import case, delete, func, select, tuple_
from sqlalchemy.orm import Session

from pantau.models.workflow import SlaMonthly, SlaPerformer, SlaQuantile, StepResult
from pantau.sla.measure import BREACHED, MET
from pantau.sla.periods import half_of, months_of

Group = tuple[str, str, str]
"""(SOP code, step key, month "YYYY-MM")."""

TOP_PERFORMERS = 10
"""Performers kept by name per SOP step and half-year; the others are summed under `OTHERS`."""
OTHERS = "*"

MEDIAN, P90 = 0.5, 0.9


def quantile(values: pd.Series, share: float) -> int | None:
    """The `share` quantile of `values` in whole seconds, the one definition /sla and /ktm use: interpolated
    between neighbours, so the median of an even count is the mean of its two middle values (None when
    there are none)."""
    values = values.dropna().astype(float)
    return None if values.empty else int(round(values.quantile(share)))


_CHUNK = 200
_MONTHLY = SlaMonthly.__table__
_PERFORMERS = SlaPerformer.__table__
_QUANTILES = SlaQuantile.__table__


def refresh_aggregates(session: Session, groups: Iterable[Group]) -> int:
    """Rebuild `sla_monthly` for each group, and `sla_performers` and `sla_quantiles` for each group's
    SOP step and half-year. Returns how many groups were asked for."""
    groups = set(groups)
    for part in _chunks(sorted(groups)):
        _rebuild_months(session, part)
    by_half: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sop_code, step_key, month in groups:
        by_half[half_of(month)].add((sop_code, step_key))
    for half, steps in sorted(by_half.items()):
        for part in _chunks(sorted(steps)):
            _rebuild_half(session, half, part)
    return len(groups)


def _rebuild_months(session: Session, groups: Sequence[Group]) -> None:
    connection = session.connection()
    connection.execute(delete(_MONTHLY).where(tuple_(_MONTHLY.c.sop_code, _MONTHLY.c.step_key,
                                                     _MONTHLY.c.month).in_(groups)))
    rows = connection.execute(
        select(
            StepResult.sop_code, StepResult.step_key, StepResult.month, StepResult.outside_party, func.count(),
            func.sum(case((StepResult.measured, 1), else_=0)),
            func.sum(case((StepResult.state == MET, 1), else_=0)),
            func.sum(case((StepResult.state == BREACHED, 1), else_=0)),
            func.sum(case((StepResult.measured, StepResult.elapsed_s), else_=0)),
        )
        .where(tuple_(StepResult.sop_code, StepResult.step_key, StepResult.month).in_(groups),
               StepResult.completed_at.is_not(None))
        .group_by(StepResult.sop_code, StepResult.step_key, StepResult.month, StepResult.outside_party)
    ).all()
    merged: dict[Group, dict] = {}
    for sop_code, step_key, month, outside, completed, measured, met, breached, elapsed in rows:
        row = merged.setdefault((sop_code, step_key, month), dict(
            sop_code=sop_code, step_key=step_key, month=month, outside_party=False,
            completed=0, measured=0, met=0, breached=0, elapsed_s=0))
        row["outside_party"] = row["outside_party"] or bool(outside)
        for name, value in (("completed", completed), ("measured", measured), ("met", met),
                            ("breached", breached), ("elapsed_s", elapsed)):
            row[name] += int(value or 0)
    if merged:
        connection.execute(_MONTHLY.insert(), list(merged.values()))


def _rebuild_half(session: Session, half: str, steps: Sequence[tuple[str, str]]) -> None:
    connection = session.connection()
    for table in (_QUANTILES, _PERFORMERS):
        connection.execute(delete(table).where(table.c.period == half,
                                               tuple_(table.c.sop_code, table.c.step_key).in_(steps)))
    rows = connection.execute(
        select(StepResult.sop_code, StepResult.step_key, func.coalesce(StepResult.performer, ""), StepResult.measured,
               StepResult.state, StepResult.elapsed_s, StepResult.allowed_s)
        .where(tuple_(StepResult.sop_code, StepResult.step_key).in_(steps), StepResult.month.in_(months_of(half)),
               StepResult.completed_at.is_not(None))
    ).all()
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["sop_code", "step_key", "performer", "measured", "state", "elapsed", "allowed"])
    frame["measured"] = frame["measured"].astype(bool)
    frame["met"] = frame["state"] == MET
    connection.execute(_PERFORMERS.insert(), _performers(frame, half))
    timed = frame[frame["measured"] & (frame["allowed"].fillna(0) > 0)]
    if not timed.empty:
        connection.execute(_QUANTILES.insert(), _quantiles(timed, half))


def _performers(frame: pd.DataFrame, half: str) -> list[dict]:
    counts = (frame.groupby(["sop_code", "step_key", "performer"])
              .agg(completed=("state", "size"), measured=("measured", "sum"), met=("met", "sum")).reset_index())
    counts = counts.sort_values(["sop_code", "step_key", "completed", "performer"], ascending=[True, True, False, True])
    counts["rank"] = counts.groupby(["sop_code", "step_key"]).cumcount()
    counts.loc[counts["rank"] >= TOP_PERFORMERS, "performer"] = OTHERS
    summed = counts.groupby(["sop_code", "step_key", "performer"])[["completed", "measured", "met"]].sum().reset_index()
    return [dict(sop_code=r.sop_code, step_key=r.step_key, period=half, performer=r.performer,
                 completed=int(r.completed), measured=int(r.measured), met=int(r.met)) for r in summed.itertuples()]


def _quantiles(frame: pd.DataFrame, half: str) -> list[dict]:
    frame = frame.astype({"elapsed": float, "allowed": float})
    frame = frame.assign(ratio=frame["elapsed"] / frame["allowed"])
    grouped = frame.groupby(["sop_code", "step_key"])
    summary = pd.DataFrame({
        "measured": grouped.size(),
        "median_ratio": grouped["ratio"].quantile(MEDIAN), "p90_ratio": grouped["ratio"].quantile(P90),
        "median_elapsed_s": grouped["elapsed"].quantile(MEDIAN).round(),
        "p90_elapsed_s": grouped["elapsed"].quantile(P90).round(),
        "median_allowed_s": grouped["allowed"].quantile(MEDIAN).round(),
    }).reset_index()
    return [dict(sop_code=r.sop_code, step_key=r.step_key, period=half, measured=int(r.measured),
                 median_ratio=float(r.median_ratio), p90_ratio=float(r.p90_ratio),
                 median_elapsed_s=int(r.median_elapsed_s), p90_elapsed_s=int(r.p90_elapsed_s),
                 median_allowed_s=int(r.median_allowed_s)) for r in summary.itertuples()]


def _chunks(items: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
