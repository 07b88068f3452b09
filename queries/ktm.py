"""KTM elektronik, read side: the pipeline of an intake's students through the KTM SOP, batch by batch.

A KTM case is one student (`sop_cases` with sop_code "KTM" and attrs `intake`, `batch`, `nim`); its
stages are the SOP's steps, measured by the SLA engine into `step_results`. A batch is sent to the bank
when its first student's card-making step (`pembuatan_ktm`) starts; a card is distributed when the
`distribusi` step completes. Everything is aggregated in SQL; nothing loads a whole intake.

KTM selesai (UI.md): students of an intake whose card was distributed ÷ students of that intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from pantau.models import SopCase, Student
from pantau.models.workflow import StepResult
from pantau.sla.measure import BREACHED, MET
from queries.sla import live_state

SOP = "KTM"
SENT_STEP = "pembuatan_ktm"
DISTRIBUTED_STEP = "distribusi"


def _intake():
    return SopCase.attrs["intake"].as_integer()


def _batch():
    return SopCase.attrs["batch"].as_integer()


def _cases(intake: int, batch: int | None = None):
    """The WHERE clause of an intake's KTM cases (of one batch when given)."""
    clause = and_(SopCase.sop_code == SOP, _intake() == intake)
    return and_(clause, _batch() == batch) if batch is not None else clause


def _frame(engine: Engine, query, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=columns)


def intakes(engine: Engine) -> list[int]:
    """Intake years that have KTM cases, newest first."""
    query = select(_intake()).where(SopCase.sop_code == SOP).distinct()
    with engine.connect() as connection:
        return sorted((int(year) for year in connection.scalars(query) if year is not None), reverse=True)


def batch_numbers(engine: Engine, intake: int) -> list[int]:
    """The batch numbers of an intake's KTM cases, in order."""
    query = select(_batch()).where(_cases(intake)).distinct()
    with engine.connect() as connection:
        return sorted(int(number) for number in connection.scalars(query) if number is not None)


@dataclass(frozen=True)
class Completion:
    """KTM selesai for one intake: `share` is None when the intake has no students at all."""

    intake: int
    students: int
    distributed: int

    @property
    def share(self) -> float | None:
        return self.distributed / self.students if self.students else None


def intake_students(engine: Engine, intake: int) -> int:
    """Students of an intake: the student register's count, or the intake's KTM cases where the register
    has none of them (students not synced)."""
    with engine.connect() as connection:
        registered = connection.scalar(select(func.count()).select_from(Student).where(Student.angkatan == intake))
        if registered:
            return int(registered)
        return int(connection.scalar(select(func.count()).select_from(SopCase).where(_cases(intake))) or 0)


def completion(engine: Engine, intake: int, until: datetime | None = None) -> Completion:
    """Students of `intake` whose card was distributed (by `until`, when given) over the intake's students."""
    done = (
        select(func.count())
        .select_from(StepResult)
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(_cases(intake), StepResult.step_key == DISTRIBUTED_STEP, StepResult.completed_at.is_not(None))
    )
    if until is not None:
        done = done.where(StepResult.completed_at <= until)
    with engine.connect() as connection:
        distributed = int(connection.scalar(done) or 0)
    return Completion(intake, intake_students(engine, intake), distributed)


def distributed_by_month(engine: Engine, intake: int) -> pd.DataFrame:
    """Cards of an intake distributed per local month, with the running total: month, cards, cumulative."""
    query = (
        select(StepResult.month, func.count())
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(_cases(intake), StepResult.step_key == DISTRIBUTED_STEP, StepResult.completed_at.is_not(None))
        .group_by(StepResult.month)
        .order_by(StepResult.month)
    )
    frame = _frame(engine, query, ["month", "cards"])
    frame["cards"] = frame["cards"].astype("int64")
    frame["cumulative"] = frame["cards"].cumsum()
    return frame


FUNNEL_COLUMNS = ["step_key", "reached", "completed", "open", "open_breached"]


def funnel(engine: Engine, intake: int, now: datetime, batch: int | None = None) -> pd.DataFrame:
    """Per KTM step: students who reached it, completed it, are in it now, and are in it past its standard."""
    state = live_state(now)
    query = (
        select(StepResult.step_key, func.count(), func.count(StepResult.completed_at),
               func.sum(case((StepResult.completed_at.is_(None), 1), else_=0)),
               func.sum(case((and_(StepResult.completed_at.is_(None), state == BREACHED), 1), else_=0)))
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(_cases(intake, batch))
        .group_by(StepResult.step_key)
    )
    frame = _frame(engine, query, FUNNEL_COLUMNS)
    for column in FUNNEL_COLUMNS[1:]:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


STAGE_COLUMNS = ["step_key", "completed", "measured", "met", "breached", "median_s", "p90_s", "allowed_s"]


def stage_times(engine: Engine, intake: int, batch: int | None = None) -> pd.DataFrame:
    """Per KTM step, over the intake's completed steps: counts met and breached, and the median and P90 of
    the time used (nearest rank, in the step's own clock) beside its standard `allowed_s`."""
    base = (
        select(StepResult.step_key.label("step_key"), StepResult.elapsed_s.label("elapsed"),
               StepResult.allowed_s.label("allowed"), StepResult.state.label("state"),
               StepResult.measured.label("measured"),
               func.row_number().over(partition_by=StepResult.step_key, order_by=StepResult.elapsed_s).label("rank"),
               func.count().over(partition_by=StepResult.step_key).label("total"))
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(_cases(intake, batch), StepResult.completed_at.is_not(None), StepResult.elapsed_s.is_not(None))
        .subquery()
    )
    median_rank = (base.c.total + 1) // 2
    p90_rank = (base.c.total * 9 + 9) // 10
    query = (
        select(base.c.step_key, func.count(), func.sum(case((base.c.measured, 1), else_=0)),
               func.sum(case((base.c.state == MET, 1), else_=0)), func.sum(case((base.c.state == BREACHED, 1), else_=0)),
               func.max(case((base.c.rank == median_rank, base.c.elapsed))),
               func.max(case((base.c.rank == p90_rank, base.c.elapsed))), func.max(base.c.allowed))
        .group_by(base.c.step_key)
    )
    frame = _frame(engine, query, STAGE_COLUMNS)
    for column in ("completed", "measured", "met", "breached"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


BATCH_COLUMNS = ["batch", "students", "opened_at", "sent_at", "sent", "cards_made", "distributed"]


def batches(engine: Engine, intake: int) -> pd.DataFrame:
    """Per batch of an intake: students, first opened, when data first went to the bank and how many were
    sent, cards made by the bank, and cards distributed."""
    rows = (
        select(_batch().label("batch"), SopCase.id.label("case_id"), SopCase.opened_at, StepResult.step_key,
               StepResult.started_at, StepResult.completed_at)
        .outerjoin(StepResult, StepResult.case_id == SopCase.id)
        .where(_cases(intake))
        .subquery()
    )
    sent = rows.c.step_key == SENT_STEP
    done = rows.c.completed_at.is_not(None)
    query = (
        select(rows.c.batch, func.count(func.distinct(rows.c.case_id)), func.min(rows.c.opened_at),
               func.min(case((sent, rows.c.started_at))), func.sum(case((sent, 1), else_=0)),
               func.sum(case((and_(sent, done), 1), else_=0)),
               func.sum(case((and_(rows.c.step_key == DISTRIBUTED_STEP, done), 1), else_=0)))
        .group_by(rows.c.batch)
        .order_by(rows.c.batch)
    )
    frame = _frame(engine, query, BATCH_COLUMNS)
    for column in ("opened_at", "sent_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in ("students", "sent", "cards_made", "distributed"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


STUCK_COLUMNS = ["case_id", "nim", "subject", "batch", "step_key", "started_at", "due_at", "state"]


def stuck(engine: Engine, intake: int, now: datetime, batch: int | None = None, limit: int = 20) -> pd.DataFrame:
    """The intake's students whose current step has waited longest, longest first (at most `limit`)."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.subject, _batch(), StepResult.step_key, StepResult.started_at,
               StepResult.due_at, live_state(now))
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(_cases(intake, batch), StepResult.completed_at.is_(None))
        .order_by(StepResult.started_at, SopCase.id)
        .limit(limit)
    )
    frame = _frame(engine, query, STUCK_COLUMNS)
    for column in ("started_at", "due_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def batch_members(engine: Engine, intake: int) -> pd.DataFrame:
    """NIM, batch and whether the batch's data went to the bank yet, for each KTM case of an intake (what
    the photo check needs to tell which batches missing photos block)."""
    sent = (
        select(StepResult.case_id)
        .where(StepResult.sop_code == SOP, StepResult.step_key == SENT_STEP)
        .subquery()
    )
    query = (
        select(func.coalesce(SopCase.attrs["nim"].as_string(), SopCase.case_ref), _batch(),
               sent.c.case_id.is_not(None))
        .outerjoin(sent, sent.c.case_id == SopCase.id)
        .where(_cases(intake))
    )
    frame = _frame(engine, query, ["nim", "batch", "sent"])
    frame["sent"] = frame["sent"].astype(bool)
    return frame
