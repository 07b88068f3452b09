"""The `ktm-pipeline` collector: count each intake's KTM pipeline into `ktm_intakes` and `ktm_stages`.

An intake is counted again when it has no counts yet, when any of its cases was measured after the newest
measurement its last count saw (by the SLA engine's marks, not by the clock: an evaluation that began before
a count and marked its cases after it still counts), or while any of its students is still in a step (an open
step can pass its due time).
Each count reads the intake's step results once and aggregates them in memory, per batch and for the
whole intake (batch 0), so the pages read a few dozen rows whatever the intake's size.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, select
from sqlalchemy.orm import Session

from pantau.db import session_scope
from pantau.models import KtmIntake, KtmStage, SopCase, Student, utcnow
from pantau.models.workflow import StepResult
from pantau.sla.aggregates import MEDIAN, P90, quantile
from pantau.sla.measure import BREACHED, MET
from queries.ktm import DISTRIBUTED_STEP, SOP, case_filter, intake_key

from .base import Collector, CollectorResult
from .registry import register

ALL_BATCHES = 0
COLUMNS = ["case_id", "batch", "step_key", "completed", "overdue", "elapsed_s", "allowed_s", "state", "measured",
           "month"]


def _stage_rows(intake: int, batch: int, rows: pd.DataFrame, cases: int, starts: dict) -> list[dict]:
    out = []
    for step_key, steps in rows.dropna(subset=["step_key"]).groupby("step_key"):
        done = steps[steps["completed"].astype(bool)]
        timed = done[done["elapsed_s"].notna()]
        months = done["month"].dropna().value_counts().sort_index()
        out.append(dict(
            intake=intake, batch=batch, step_key=step_key, cases=cases, reached=len(steps), completed=len(done),
            open_breached=int(steps["overdue"].astype(bool).sum()), measured=int(done["measured"].astype(bool).sum()),
            met=int((done["state"] == MET).sum()), breached=int((done["state"] == BREACHED).sum()),
            median_s=quantile(timed["elapsed_s"], MEDIAN), p90_s=quantile(timed["elapsed_s"], P90),
            allowed_s=quantile(done["allowed_s"], MEDIAN), first_started_at=starts.get((batch, step_key)),
            monthly={month: int(count) for month, count in months.items()},
        ))
    return out


def _first_starts(session: Session, intake: int) -> dict[tuple[int, str], datetime]:
    """The earliest start of each step, per batch and for the whole intake (batch 0)."""
    rows = (
        select(func.coalesce(intake_key("batch"), ALL_BATCHES).label("batch"), StepResult.step_key,
               StepResult.started_at)
        .join(StepResult, StepResult.case_id == SopCase.id)
        .where(case_filter(intake))
        .subquery()
    )
    query = select(rows.c.batch, rows.c.step_key, func.min(rows.c.started_at)).group_by(rows.c.batch, rows.c.step_key)
    starts = {(int(batch), key): moment for batch, key, moment in session.connection().execute(query)}
    for (_, key), moment in list(starts.items()):
        whole = (ALL_BATCHES, key)
        starts[whole] = min(moment, starts.get(whole, moment))
    return starts


def count_intake(session: Session, intake: int, now: datetime) -> KtmIntake:
    """Count one intake's pipeline again, replacing its rows in `ktm_intakes` and `ktm_stages`."""
    # The newest mark first: a case marked by then has its step results stored, so the read below sees them.
    evaluated_through = session.scalar(select(func.max(SopCase.evaluated_at)).where(case_filter(intake)))
    query = (
        select(SopCase.id, func.coalesce(intake_key("batch"), ALL_BATCHES), StepResult.step_key,
               StepResult.completed_at.is_not(None),
               and_(StepResult.completed_at.is_(None), StepResult.due_at < now), StepResult.elapsed_s,
               StepResult.allowed_s, StepResult.state, StepResult.measured, StepResult.month)
        .outerjoin(StepResult, StepResult.case_id == SopCase.id)
        .where(case_filter(intake))
    )
    result = session.connection().execute(query)
    rows = pd.DataFrame.from_records(list(map(tuple, result)), columns=COLUMNS)
    starts = _first_starts(session, intake)
    stages = _stage_rows(intake, ALL_BATCHES, rows, rows["case_id"].nunique(), starts)
    for batch, members in rows.groupby("batch"):
        if int(batch) != ALL_BATCHES:
            stages += _stage_rows(intake, int(batch), members, members["case_id"].nunique(), starts)
    registered = session.scalar(select(func.count()).select_from(Student).where(Student.angkatan == intake)) or 0
    cases = int(rows["case_id"].nunique())
    distributed = next((s["completed"] for s in stages if s["batch"] == ALL_BATCHES
                        and s["step_key"] == DISTRIBUTED_STEP), 0)
    session.execute(delete(KtmStage).where(KtmStage.intake == intake))
    session.execute(delete(KtmIntake).where(KtmIntake.intake == intake))
    if stages:
        session.execute(KtmStage.__table__.insert(), stages)
    summary = KtmIntake(intake=intake, students=int(registered) or cases, cases=cases, distributed=int(distributed),
                        refreshed_at=now, evaluated_through=evaluated_through)
    session.add(summary)
    return summary


def stale_intakes(session: Session) -> list[int]:
    """Intakes to count again: without counts, with cases measured since, or with students still in a step."""
    counted = dict(session.execute(select(KtmIntake.intake, KtmIntake.evaluated_through)).all())
    known = {int(year)
             for year in session.scalars(select(intake_key("intake")).where(SopCase.sop_code == SOP).distinct())
             if year is not None}
    touched: set[int] = set()
    if counted:
        seen = [moment for moment in counted.values() if moment is not None]
        newer = (SopCase.evaluated_at > min(seen) if len(seen) == len(counted) else SopCase.evaluated_at.is_not(None))
        measured = select(intake_key("intake").label("intake"), SopCase.evaluated_at).where(
            SopCase.sop_code == SOP, newer).subquery()
        changed = select(measured.c.intake, func.max(measured.c.evaluated_at)).group_by(measured.c.intake)
        touched = {int(year) for year, last in session.execute(changed) if year is not None and
                   (counted.get(year) is None or last > counted[year])}
    running = set(session.scalars(select(KtmStage.intake).where(KtmStage.batch == ALL_BATCHES,
                                                                KtmStage.reached > KtmStage.completed).distinct()))
    for gone in set(counted) - known:
        session.execute(delete(KtmStage).where(KtmStage.intake == gone))
        session.execute(delete(KtmIntake).where(KtmIntake.intake == gone))
    return sorted((known - set(counted)) | (touched & known) | (running & known), reverse=True)


def refresh(engine: Engine, now: datetime | None = None, intakes: list[int] | None = None) -> list[int]:
    """Count the stale intakes (or the given ones) again; returns the intakes counted."""
    now = now or utcnow()
    with session_scope(engine) as session:
        chosen = stale_intakes(session) if intakes is None else intakes
    for intake in chosen:
        with session_scope(engine) as session:
            count_intake(session, intake, now)
    return chosen


@register
class KtmPipelineCollector(Collector):
    """Keep the KTM pipeline counts current."""

    name = "ktm-pipeline"
    default_interval_s = 300

    def run(self) -> CollectorResult:
        counted = refresh(self.engine)
        return CollectorResult(len(counted), f"intakes counted: {', '.join(map(str, counted)) or 'none changed'}")
