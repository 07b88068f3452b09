"""The SLA engine: cases measured from their events into `step_results`, aggregates kept in step.

Every write path that adds events calls `evaluate_cases` in its own transaction, so results are
current as soon as the events are stored. Cases written by other means (the demo generator, a bulk
load) have `evaluated_at` unset and are measured by `evaluate_pending`, which the `sla` collector
runs on a schedule and which may be called directly after such a load.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, delete, select, text, update
from sqlalchemy.orm import Session

from pantau.db import session_scope
from pantau.models import SopCase, StepEvent, utcnow
from pantau.models.workflow import SlaFingerprint, SlaMonthly, SlaPerformer, SlaQuantile, StepResult
from pantau.settings import Settings
from pantau.sla.aggregates import Group, refresh_aggregates
from pantau.sla.context import SlaContext, sla_context
from pantau.sla.measure import measure
from pantau.sla.timeline import EventRow, trace
from pantau.sops.versions import versions as published_versions

_LOCK_KEY = 7_201_835_001
_RESULTS = StepResult.__table__
_CASES = SopCase.__table__
_CHUNK = 900
ANALYZE_AFTER = 1_000
"""After measuring this many cases at once, refresh the store's statistics of the step results, so the
query planner knows how few of them are open."""


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation run did."""

    cases: int
    steps: int
    groups: int
    seconds: float


def serialise(session: Session) -> None:
    """Take the store-wide SLA lock for this transaction (PostgreSQL; SQLite serialises writers itself)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def evaluate_cases(session: Session, case_ids: Iterable[int], ctx: SlaContext, *, now: datetime | None = None) -> int:
    """Measure these cases again from all their events, within the caller's transaction.

    Replaces their step results, updates each case's flow, closing time and outcome, marks them
    evaluated and rebuilds the aggregates of every month their results left or entered. Returns
    the number of step results written.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    serialise(session)
    now = now or utcnow()
    dirty: set[Group] = set()
    steps = 0
    for chunk in _chunks(ids, _CHUNK):
        groups, written = _evaluate(session, chunk, ctx, now, mark=True)
        dirty |= groups
        steps += written
    refresh_aggregates(session, dirty)
    return steps


def evaluate_pending(
    engine: Engine,
    settings: Settings | SlaContext,
    *,
    batch: int = 2_000,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Measure every case not yet evaluated (and, first, every case of an SOP whose file, calendar or
    at-risk share changed), in batches of `batch` cases, then rebuild the aggregates they touched.

    `progress` is called with (cases done, cases in all) after each batch. Safe to stop at any
    point: cases are marked evaluated only once the aggregates are rebuilt. A bulk run ends with the
    store's statistics refreshed (ANALYZE) for the step results.
    """
    started = time.perf_counter()
    ctx = settings if isinstance(settings, SlaContext) else sla_context(settings, engine)
    now = now or utcnow()
    with session_scope(engine) as session:
        serialise(session)
        sync_fingerprints(session, ctx)
    with engine.connect() as connection:
        ids = list(connection.scalars(select(SopCase.id).where(SopCase.evaluated_at.is_(None)).order_by(SopCase.id)))
    dirty: set[Group] = set()
    steps = done = 0
    for chunk in _chunks(ids, batch):
        with session_scope(engine) as session:
            serialise(session)
            for part in _chunks(chunk, _CHUNK):
                groups, written = _evaluate(session, part, ctx, now, mark=False)
                dirty |= groups
                steps += written
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    with session_scope(engine) as session:
        serialise(session)
        refresh_aggregates(session, dirty)
        for part in _chunks(ids, _CHUNK):
            session.execute(
                update(SopCase).where(SopCase.id.in_(part), SopCase.evaluated_at.is_(None)).values(evaluated_at=now)
            )
    if len(ids) >= ANALYZE_AFTER:
        with engine.begin() as connection:
            connection.execute(text(f"ANALYZE {StepResult.__tablename__}"))
    return Evaluation(len(ids), steps, len(dirty), time.perf_counter() - started)


def rebuild(engine: Engine, settings: Settings | SlaContext, **options) -> Evaluation:
    """Drop every SLA result and aggregate and measure all cases afresh (after a bulk reload)."""
    with session_scope(engine) as session:
        serialise(session)
        session.execute(delete(SlaMonthly))
        session.execute(delete(SlaPerformer))
        session.execute(delete(SlaQuantile))
        session.execute(delete(StepResult))
        session.execute(update(SopCase).values(evaluated_at=None))
    return evaluate_pending(engine, settings, **options)


def sync_fingerprints(session: Session, ctx: SlaContext) -> list[str]:
    """Mark the cases of each SOP whose results were measured with other rules as pending.

    Returns the codes of those SOPs.
    """
    stored = dict(session.execute(select(SlaFingerprint.sop_code, SlaFingerprint.fingerprint)).all())
    changed = []
    for code in ctx.file_catalogue:
        fingerprint = ctx.fingerprint(code)
        if stored.get(code) == fingerprint:
            continue
        changed.append(code)
        session.execute(update(SopCase).where(SopCase.sop_code == code).values(evaluated_at=None))
        session.merge(SlaFingerprint(sop_code=code, fingerprint=fingerprint, updated_at=utcnow()))
    return changed


def _evaluate(session: Session, ids: Sequence[int], ctx: SlaContext, now: datetime, *, mark: bool) -> tuple[set[Group],
                                                                                                            int]:
    cases = session.execute(
        select(SopCase.id, SopCase.sop_code, SopCase.opened_at, SopCase.flow, SopCase.closed_at,
               SopCase.outcome, SopCase.sop_version).where(SopCase.id.in_(ids))
    ).all()
    versioned = {case.sop_code for case in cases
                 if case.sop_version is not None and (case.sop_code, case.sop_version) not in ctx.versions}
    found = {**ctx.versions, **(published_versions(session, versioned) if versioned else {})}
    events: dict[int, list[EventRow]] = defaultdict(list)
    for row in session.execute(
        select(StepEvent.case_id, StepEvent.event_uid, StepEvent.step_key, StepEvent.started_at,
               StepEvent.completed_at, StepEvent.performer, StepEvent.outcome, StepEvent.id,
               StepEvent.correction).where(StepEvent.case_id.in_(ids))
    ):
        events[row.case_id].append(EventRow(row.event_uid, row.step_key, row.started_at, row.completed_at,
                                            row.performer, row.outcome, row.id, bool(row.correction)))
    dirty: set[Group] = set(
        tuple(row) for row in session.execute(
            select(StepResult.sop_code, StepResult.step_key, StepResult.month)
            .where(StepResult.case_id.in_(ids), StepResult.month.is_not(None))
            .distinct()
        )
    )
    session.execute(delete(StepResult).where(StepResult.case_id.in_(ids)))
    results, updates = [], []
    for case in cases:
        sop = ctx.file_catalogue.get(case.sop_code) if case.sop_version is None else found.get(
            (case.sop_code, case.sop_version))
        if sop is None:
            updates.append(dict(case_id=case.id, flow=case.flow, closed_at=case.closed_at, outcome=case.outcome,
                                evaluated_at=now if mark else None))
            continue
        path = trace(sop, case.opened_at, events.get(case.id, ()), case.flow)
        for span in path.spans:
            measured = measure(span, ctx.calendar, ctx.at_risk_share)
            step = span.step
            results.append(dict(
                case_id=case.id, sop_code=sop.code, flow=step.flow, step_key=step.key, step_number=step.number,
                performer_role=step.performer_role.value, unit=step.unit, performer=span.performer,
                outcome=span.outcome, outside_party=step.outside_party, measured=measured.due_at is not None,
                implicit=span.implicit, started_at=span.started_at, completed_at=span.completed_at,
                due_at=measured.due_at, risk_at=measured.risk_at, elapsed_s=measured.elapsed_s,
                allowed_s=measured.allowed_s, state=measured.state, problem=span.problem, month=measured.month,
                evaluated_at=now,
            ))
            if measured.month is not None:
                dirty.add((sop.code, step.key, measured.month))
        updates.append(dict(case_id=case.id, flow=path.flow, closed_at=path.closed_at, outcome=path.outcome,
                            evaluated_at=now if mark else None))
    connection = session.connection()
    if results:
        connection.execute(_RESULTS.insert(), results)
    if updates:
        connection.execute(
            _CASES.update().where(_CASES.c.id == bindparam("case_id")).values(
                flow=bindparam("flow"), closed_at=bindparam("closed_at"), outcome=bindparam("outcome"),
                evaluated_at=bindparam("evaluated_at")),
            updates,
        )
    return dirty, len(results)


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
