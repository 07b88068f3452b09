"""KTM elektronik, read side: the pipeline of an intake's students through the KTM SOP, batch by batch.

A KTM case is one student (`sop_cases` with sop_code "KTM" and attrs `intake`, `batch`, `nim`); its
stages are the SOP's steps as the SLA engine measured them. The `ktm-pipeline` collector counts each
intake into `ktm_intakes` and `ktm_stages` (batch 0 is the whole intake), which the funnel, the stage
times, the batches and the completion KPI read; only the stuck students and the photo check's batch
list read the cases themselves, and only a page of them. A batch was sent to the bank when its first
student's card-making step (`pembuatan_ktm`) started; a card is distributed when `distribusi` completes.

KTM selesai (UI.md): students of an intake whose card was distributed ÷ students of that intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from pantau.models import KtmIntake, KtmPhotoCheck, KtmStage, SopCase
from pantau.models.workflow import StepResult
from pantau.sla.periods import month_of
from queries.sla import live_state

from .frames import read_frame

SOP = "KTM"
SENT_STEP = "pembuatan_ktm"
DISTRIBUTED_STEP = "distribusi"
ALL_BATCHES = 0


def intake_key(name: str):
    """A whole-number attribute of a KTM case (`intake`, `batch`) as a SQL expression."""
    return SopCase.attrs[name].as_integer()


def case_filter(intake: int, batch: int | None = None):
    """The WHERE clause of an intake's KTM cases (of one batch when given)."""
    clause = and_(SopCase.sop_code == SOP, intake_key("intake") == intake)
    return and_(clause, intake_key("batch") == batch) if batch is not None else clause


def _frame(engine: Engine, query, columns: list[str], times: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = read_frame(connection, query, columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def intakes(engine: Engine) -> list[int]:
    """Counted intakes, newest first."""
    with engine.connect() as connection:
        return list(connection.scalars(select(KtmIntake.intake).order_by(KtmIntake.intake.desc())))


def batch_numbers(engine: Engine, intake: int) -> list[int]:
    """The batch numbers of an intake, in order."""
    query = (select(KtmStage.batch).where(KtmStage.intake == intake, KtmStage.batch != ALL_BATCHES).distinct()
             .order_by(KtmStage.batch))
    with engine.connect() as connection:
        return list(connection.scalars(query))


@dataclass(frozen=True)
class Completion:
    """KTM selesai for one intake: `share` is None when the intake has no students at all; `monthly` holds the
    cards distributed per local month ("2026-09": 41), oldest first, where read."""

    intake: int
    students: int
    distributed: int
    counted_at: datetime | None = None
    monthly: tuple[tuple[str, int], ...] = ()

    @property
    def share(self) -> float | None:
        return self.distributed / self.students if self.students else None

    def cumulative_shares(self) -> tuple[float, ...]:
        """The share of the intake with its card at the end of each month of `monthly`."""
        if not self.students:
            return ()
        shares, total = [], 0
        for _, cards in self.monthly:
            total += cards
            shares.append(total / self.students)
        return tuple(shares)


def completion(engine: Engine, intake: int) -> Completion:
    """Students of `intake` whose card was distributed, over the intake's students."""
    with engine.connect() as connection:
        row = connection.execute(select(KtmIntake.students, KtmIntake.distributed, KtmIntake.refreshed_at)
                                 .where(KtmIntake.intake == intake)).first()
    return Completion(intake, *row) if row else Completion(intake, 0, 0)


def completions(engine: Engine, limit: int = 6, as_of: datetime | None = None,
                zone: str = "Asia/Jakarta") -> list[Completion]:
    """KTM selesai of the newest `limit` intakes, newest first, with their cards per month.

    With `as_of`, as known then: only intakes whose first step had started, and the cards distributed up to the
    end of its local month (the counts are kept per month, so the end of a past month is exact; the running
    month counts its cards so far).
    """
    month = month_of(as_of, ZoneInfo(zone)) if as_of is not None else None
    started = (select(KtmStage.intake, func.min(KtmStage.first_started_at).label("started_at"))
               .where(KtmStage.batch == ALL_BATCHES).group_by(KtmStage.intake).subquery())
    cards = (select(KtmStage.intake, KtmStage.monthly).where(KtmStage.batch == ALL_BATCHES,
                                                            KtmStage.step_key == DISTRIBUTED_STEP).subquery())
    query = (select(KtmIntake.intake, KtmIntake.students, KtmIntake.distributed, KtmIntake.refreshed_at,
                    started.c.started_at, cards.c.monthly)
             .outerjoin(started, started.c.intake == KtmIntake.intake)
             .outerjoin(cards, cards.c.intake == KtmIntake.intake)
             .order_by(KtmIntake.intake.desc()))
    out = []
    with engine.connect() as connection:
        for intake, students, distributed, counted_at, started_at, monthly in connection.execute(query):
            months = tuple(sorted((key, int(count)) for key, count in (monthly or {}).items()
                                  if month is None or key <= month))
            if month is not None:
                if started_at is None or started_at > as_of:
                    continue
                distributed = sum(count for _, count in months)
            out.append(Completion(intake, students, distributed, counted_at, months))
            if len(out) == limit:
                break
    return out


def distributed_by_month(engine: Engine, intake: int) -> pd.DataFrame:
    """Cards of an intake distributed per local month, with the running total: month, cards, cumulative."""
    query = select(KtmStage.monthly).where(KtmStage.intake == intake, KtmStage.batch == ALL_BATCHES,
                                           KtmStage.step_key == DISTRIBUTED_STEP)
    with engine.connect() as connection:
        months = connection.scalar(query) or {}
    frame = pd.DataFrame(sorted(months.items()), columns=["month", "cards"]).astype({"cards": "int64"})
    frame["cumulative"] = frame["cards"].cumsum()
    return frame


FUNNEL_COLUMNS = ["step_key", "reached", "completed", "open", "open_breached"]


def funnel(engine: Engine, intake: int, batch: int | None = None) -> pd.DataFrame:
    """Per KTM step: students who reached it, completed it, are in it, and were in it past its standard."""
    query = select(KtmStage.step_key, KtmStage.reached, KtmStage.completed, KtmStage.reached - KtmStage.completed,
                   KtmStage.open_breached).where(KtmStage.intake == intake,
                                                 KtmStage.batch == (ALL_BATCHES if batch is None else batch))
    return _frame(engine, query, FUNNEL_COLUMNS)


STAGE_COLUMNS = ["step_key", "completed", "measured", "met", "breached", "median_s", "p90_s", "allowed_s"]


def stage_times(engine: Engine, intake: int, batch: int | None = None) -> pd.DataFrame:
    """Per KTM step, over its completed steps: counts met and breached, and the median and P90 of the time
    used (the true median, as on /sla, in the step's own clock) beside the standard `allowed_s`."""
    query = select(KtmStage.step_key, KtmStage.completed, KtmStage.measured, KtmStage.met, KtmStage.breached,
                   KtmStage.median_s, KtmStage.p90_s, KtmStage.allowed_s).where(
        KtmStage.intake == intake, KtmStage.batch == (ALL_BATCHES if batch is None else batch),
        KtmStage.completed > 0)
    return _frame(engine, query, STAGE_COLUMNS)


BATCH_COLUMNS = ["batch", "students", "opened_at", "sent_at", "sent", "cards_made", "distributed"]


def batches(engine: Engine, intake: int) -> pd.DataFrame:
    """Per batch of an intake: students, when its first step started, when its data first went to the bank
    and how many were sent, cards made by the bank, and cards distributed."""
    query = select(KtmStage.batch, KtmStage.step_key, KtmStage.cases, KtmStage.reached, KtmStage.completed,
                   KtmStage.first_started_at).where(KtmStage.intake == intake, KtmStage.batch != ALL_BATCHES)
    rows = _frame(engine, query, ["batch", "step_key", "cases", "reached", "completed", "first_started_at"],
                  ("first_started_at",))
    if rows.empty:
        return pd.DataFrame(columns=BATCH_COLUMNS)
    steps = rows.pivot(index="batch", columns="step_key")
    out = pd.DataFrame({
        "students": rows.groupby("batch")["cases"].max(),
        "opened_at": rows.groupby("batch")["first_started_at"].min(),
        "sent_at": _pick(steps, "first_started_at", SENT_STEP),
        "sent": _pick(steps, "reached", SENT_STEP, 0),
        "cards_made": _pick(steps, "completed", SENT_STEP, 0),
        "distributed": _pick(steps, "completed", DISTRIBUTED_STEP, 0),
    })
    for column in ("students", "sent", "cards_made", "distributed"):
        out[column] = out[column].astype("int64")
    return out.rename_axis("batch").reset_index()[BATCH_COLUMNS]


def _pick(steps: pd.DataFrame, field: str, step_key: str, missing=None) -> pd.Series:
    if (field, step_key) in steps.columns:
        column = steps[(field, step_key)]
        return column.fillna(missing) if missing is not None else column
    return pd.Series(missing if missing is not None else pd.NaT, index=steps.index)


def versions_used(engine: Engine, intake: int, batch: int | None = None) -> list[int | None]:
    """The SOP versions the intake's cases (of one batch when given) started on; None for the catalogue file."""
    with engine.connect() as connection:
        return list(connection.scalars(select(SopCase.sop_version).where(case_filter(intake, batch)).distinct()))


STUCK_COLUMNS = ["case_id", "nim", "subject", "batch", "step_key", "started_at", "due_at", "state", "sop_version"]


def stuck(engine: Engine, intake: int, now: datetime, batch: int | None = None, limit: int = 20) -> pd.DataFrame:
    """The intake's students whose current step has waited longest, longest first (at most `limit`)."""
    query = (
        select(SopCase.id, SopCase.case_ref, SopCase.subject, intake_key("batch"), StepResult.step_key,
               StepResult.started_at, StepResult.due_at, live_state(now), SopCase.sop_version)
        .join(SopCase, SopCase.id == StepResult.case_id)
        .where(case_filter(intake, batch), StepResult.completed_at.is_(None))
        .order_by(StepResult.started_at, SopCase.id)
        .limit(limit)
    )
    return _frame(engine, query, STUCK_COLUMNS, ("started_at", "due_at"))


def batch_members(engine: Engine, intake: int) -> pd.DataFrame:
    """NIM, batch and whether the batch's data went to the bank yet, for each KTM case of an intake (what
    the photo check needs to tell which batches missing photos block)."""
    sent = select(StepResult.case_id).where(StepResult.sop_code == SOP, StepResult.step_key == SENT_STEP).subquery()
    query = (
        select(func.coalesce(SopCase.attrs["nim"].as_string(), SopCase.case_ref), intake_key("batch"),
               sent.c.case_id.is_not(None))
        .outerjoin(sent, sent.c.case_id == SopCase.id)
        .where(case_filter(intake))
    )
    frame = _frame(engine, query, ["nim", "batch", "sent"])
    frame["sent"] = frame["sent"].astype(bool)
    return frame


CHECK_COLUMNS = ["intake", "checked_at", "nim_source", "photo_dir", "students", "photos", "missing", "extra",
                 "mismatched",
                 "blocked_batches", "issues"]


def photo_check(engine: Engine, intake: int) -> dict | None:
    """The newest NIM ↔ photo check of an intake (see `pantau.models.ktm.KtmPhotoCheck`), or None."""
    query = select(*(getattr(KtmPhotoCheck, name) for name in CHECK_COLUMNS)).where(KtmPhotoCheck.intake == intake)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(zip(CHECK_COLUMNS, row)) if row else None
