"""SLA compliance as the page, the report and the alerts read it: from the engine's aggregates and
step results, aggregated in SQL, never by measuring events on the fly.

`scope` limits every query to the steps a user may see (`pantau.sla.scope`): None is every step.
Compliance counts the institution's own steps; steps an outside party performs are reported apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, case, false, func, literal, or_, select, true

from pantau.models import SopCase
from pantau.models.workflow import SlaMonthly, SlaPerformer, SlaQuantile, StepResult
from pantau.sla.aggregates import OTHERS
from pantau.sla.measure import AT_RISK, BREACHED, DATA_ERROR, OPEN, WAITING
from pantau.sla.periods import half_of
from pantau.sla.scope import Scope
from pantau.sops import Sop

from .frames import read_frame

OPEN_STATES = (OPEN, AT_RISK, BREACHED, WAITING)


def live_state(now: datetime):
    """A step's state at `now`: stored once completed, else as `open_state` gives it."""
    return case((StepResult.completed_at.is_not(None), StepResult.state), *_clock(now), else_=OPEN)


def open_state(now: datetime):
    """The state at `now` of a step still open: waiting, open, at risk or breached by the clock, from
    columns the open-step index holds."""
    return case(*_clock(now), else_=OPEN)


def _clock(now: datetime) -> tuple:
    """The branches that decide an open step's state at `now`, first match wins."""
    return (
        (StepResult.outside_party, WAITING),
        (StepResult.due_at.is_(None), OPEN),
        (StepResult.due_at < now, BREACHED),
        (StepResult.risk_at <= now, AT_RISK),
    )


def _in_scope(sop_column, step_column, scope: Scope):
    if scope is None:
        return true()
    if not scope:
        return false()
    return or_(*(and_(sop_column == code, step_column.in_(sorted(keys))) for code, keys in sorted(scope.items())))


def _with_compliance(frame: pd.DataFrame) -> pd.DataFrame:
    frame["compliance"] = (frame["met"] / frame["measured"].where(frame["measured"] > 0)).astype(float)
    return frame


def data_months(engine: Engine, scope: Scope = None) -> list[str]:
    """Months ("YYYY-MM") with completed steps, oldest first."""
    query = (select(SlaMonthly.month).where(_in_scope(SlaMonthly.sop_code, SlaMonthly.step_key, scope))
             .distinct().order_by(SlaMonthly.month))
    with engine.connect() as connection:
        return list(connection.scalars(query))


def half_years(engine: Engine, scope: Scope = None) -> list[str]:
    """Half-years ("2026-H1") with completed steps, newest first."""
    return sorted({half_of(month) for month in data_months(engine, scope)}, reverse=True)


def sop_compliance(engine: Engine, months: Sequence[str], scope: Scope = None) -> pd.DataFrame:
    """Per SOP over `months`: steps completed, measured, met, breached and the share within standard."""
    query = (
        select(SlaMonthly.sop_code, func.sum(SlaMonthly.completed), func.sum(SlaMonthly.measured),
               func.sum(SlaMonthly.met), func.sum(SlaMonthly.breached))
        .where(SlaMonthly.month.in_(list(months)), SlaMonthly.outside_party.is_(False),
               _in_scope(SlaMonthly.sop_code, SlaMonthly.step_key, scope))
        .group_by(SlaMonthly.sop_code)
        .order_by(SlaMonthly.sop_code)
    )
    return _with_compliance(read_frame(engine, query, ["sop_code", "completed", "measured", "met", "breached"]))


def monthly_compliance(engine: Engine, months: Sequence[str], scope: Scope = None, *, by: str = "sop") -> pd.DataFrame:
    """Compliance per month of each SOP (`by="sop"`), each SOP step (`"step"`) or all visible steps (`"all"`)."""
    keys = {"sop": [SlaMonthly.sop_code], "step": [SlaMonthly.sop_code, SlaMonthly.step_key], "all": []}[by]
    names = {"sop": ["sop_code"], "step": ["sop_code", "step_key"], "all": []}[by]
    query = (
        select(*keys, SlaMonthly.month, func.sum(SlaMonthly.measured), func.sum(SlaMonthly.met))
        .where(SlaMonthly.month.in_(list(months)), SlaMonthly.outside_party.is_(False),
               _in_scope(SlaMonthly.sop_code, SlaMonthly.step_key, scope))
        .group_by(*keys, SlaMonthly.month)
        .order_by(*keys, SlaMonthly.month)
    )
    return _with_compliance(read_frame(engine, query, [*names, "month", "measured", "met"]))


def overall_compliance(engine: Engine, months: Sequence[str], scope: Scope = None) -> float | None:
    """The share within standard of every visible step of the institution completed in `months`."""
    query = (
        select(func.sum(SlaMonthly.met), func.sum(SlaMonthly.measured))
        .where(SlaMonthly.month.in_(list(months)), SlaMonthly.outside_party.is_(False),
               _in_scope(SlaMonthly.sop_code, SlaMonthly.step_key, scope))
    )
    with engine.connect() as connection:
        met, measured = connection.execute(query).one()
    return int(met) / int(measured) if measured else None


def step_stats(engine: Engine, half: str, months: Sequence[str], scope: Scope = None) -> pd.DataFrame:
    """Per SOP step over the half-year: counts, share within standard, median and P90 (time used and
    as a share of the standard). Outside-party steps are included and flagged."""
    counts = (
        select(SlaMonthly.sop_code, SlaMonthly.step_key, func.max(case((SlaMonthly.outside_party, 1), else_=0)),
               func.sum(SlaMonthly.completed), func.sum(SlaMonthly.measured), func.sum(SlaMonthly.met),
               func.sum(SlaMonthly.breached))
        .where(SlaMonthly.month.in_(list(months)), _in_scope(SlaMonthly.sop_code, SlaMonthly.step_key, scope))
        .group_by(SlaMonthly.sop_code, SlaMonthly.step_key)
    )
    frame = read_frame(engine, counts, ["sop_code", "step_key", "outside_party", "completed", "measured", "met",
                                        "breached"])
    frame["outside_party"] = frame["outside_party"].astype(bool)
    quantiles = (
        select(SlaQuantile.sop_code, SlaQuantile.step_key, SlaQuantile.median_ratio, SlaQuantile.p90_ratio,
               SlaQuantile.median_elapsed_s, SlaQuantile.p90_elapsed_s, SlaQuantile.median_allowed_s)
        .where(SlaQuantile.period == half, _in_scope(SlaQuantile.sop_code, SlaQuantile.step_key, scope))
    )
    spread = read_frame(engine, quantiles, ["sop_code", "step_key", "median_ratio", "p90_ratio", "median_elapsed_s",
                                             "p90_elapsed_s", "median_allowed_s"])
    return _with_compliance(frame.merge(spread, on=["sop_code", "step_key"], how="left"))


def performer_counts(engine: Engine, half: str, scope: Scope = None) -> pd.DataFrame:
    """Steps completed per SOP step and performer in the half-year, with the share within standard; the
    most frequent performers by name, the rest as `pantau.sla.aggregates.OTHERS`."""
    query = (
        select(SlaPerformer.sop_code, SlaPerformer.step_key, SlaPerformer.performer, SlaPerformer.completed,
               SlaPerformer.measured, SlaPerformer.met)
        .where(SlaPerformer.period == half, _in_scope(SlaPerformer.sop_code, SlaPerformer.step_key, scope))
        .order_by(SlaPerformer.sop_code, SlaPerformer.step_key, SlaPerformer.performer == OTHERS,
                  SlaPerformer.completed.desc(), SlaPerformer.performer)
    )
    columns = ["sop_code", "step_key", "performer", "completed", "measured", "met"]
    return _with_compliance(read_frame(engine, query, columns))


OPEN_COLUMNS = ["case_id", "case_ref", "sop_code", "step_key", "step_number", "performer_role", "unit", "performer",
                "started_at", "due_at", "state"]


def open_steps(
    engine: Engine, now: datetime, scope: Scope = None, *, states: Sequence[str] = (AT_RISK, BREACHED), limit: int = 200
) -> pd.DataFrame:
    """Open steps in `states` at `now`, the soonest due first (at most `limit`).

    The steps are chosen and ordered from the open-step index alone; only the `limit` chosen are read
    in full and joined to their cases."""
    state = open_state(now)
    order = (StepResult.due_at.is_(None), StepResult.due_at, StepResult.case_id, StepResult.id)
    chosen = (
        select(StepResult.id, state.label("state"), StepResult.due_at, StepResult.case_id)
        .where(StepResult.completed_at.is_(None), state.in_(list(states)),
               _in_scope(StepResult.sop_code, StepResult.step_key, scope))
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    query = (
        select(StepResult.case_id, SopCase.case_ref, StepResult.sop_code, StepResult.step_key, StepResult.step_number,
               StepResult.performer_role, StepResult.unit, StepResult.performer, StepResult.started_at,
               StepResult.due_at, chosen.c.state)
        .join(chosen, chosen.c.id == StepResult.id)
        .join(SopCase, SopCase.id == StepResult.case_id)
        .order_by(chosen.c.due_at.is_(None), chosen.c.due_at, chosen.c.case_id, chosen.c.id)
    )
    frame = read_frame(engine, query, OPEN_COLUMNS)
    for column in ("started_at", "due_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def open_counts(engine: Engine, now: datetime, scope: Scope = None) -> dict[str, int]:
    """How many open steps are open (in time), at risk, breached and waiting on an outside party at `now`."""
    states = _open_states(now, scope)
    query = select(states.c.state, func.count()).group_by(states.c.state)
    with engine.connect() as connection:
        counts = dict(connection.execute(query).all())
    return {name: int(counts.get(name, 0)) for name in OPEN_STATES}


def open_counts_by_sop(engine: Engine, now: datetime, scope: Scope) -> dict[str, dict[str, int]]:
    """`open_counts` of every SOP in `scope` (not None: name each SOP's steps), from one read."""
    states = _open_states(now, scope, StepResult.sop_code)
    query = select(states.c.sop_code, states.c.state, func.count()).group_by(states.c.sop_code, states.c.state)
    counts: dict[str, dict[str, int]] = {code: dict.fromkeys(OPEN_STATES, 0) for code in scope}
    with engine.connect() as connection:
        for code, state, count in connection.execute(query):
            counts[code][state] = int(count)
    return counts


def _open_states(now: datetime, scope: Scope, *columns):
    """The open steps in `scope` with their state at `now` (and `columns`), as a subquery to count."""
    return (
        select(*columns, open_state(now).label("state"))
        .where(StepResult.completed_at.is_(None), _in_scope(StepResult.sop_code, StepResult.step_key, scope))
        .subquery()
    )


CASE_COLUMNS = ["step_key", "step_number", "performer_role", "unit", "performer", "outcome", "outside_party",
                "implicit",
                "started_at", "completed_at", "due_at", "elapsed_s", "allowed_s", "state"]


def case_steps(engine: Engine, case_id: int, now: datetime, scope: Scope = None) -> pd.DataFrame:
    """The measured steps of one case in order, with their state at `now` (empty outside `scope`)."""
    query = (
        select(StepResult.step_key, StepResult.step_number, StepResult.performer_role, StepResult.unit,
               StepResult.performer, StepResult.outcome, StepResult.outside_party, StepResult.implicit,
               StepResult.started_at, StepResult.completed_at, StepResult.due_at, StepResult.elapsed_s,
               StepResult.allowed_s, live_state(now))
        .where(StepResult.case_id == case_id, _in_scope(StepResult.sop_code, StepResult.step_key, scope))
        .order_by(StepResult.started_at, StepResult.step_number)
    )
    frame = read_frame(engine, query, CASE_COLUMNS)
    for column in ("started_at", "completed_at", "due_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def case_info(engine: Engine, case_id: int) -> dict | None:
    """A case's SOP, reference, flow, unit, subject, opening, closing, outcome and the SOP version it started on
    (None: the catalogue file); None if there is none."""
    query = select(SopCase.id, SopCase.sop_code, SopCase.case_ref, SopCase.flow, SopCase.unit, SopCase.subject,
                   SopCase.opened_at, SopCase.closed_at, SopCase.outcome, SopCase.sop_version).where(
        SopCase.id == case_id)
    with engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return dict(row) if row else None


def find_case(engine: Engine, case_ref: str, sop_codes: Sequence[str]) -> int | None:
    """The id of the case `case_ref` in the first of `sop_codes` that has one."""
    query = select(SopCase.id, SopCase.sop_code).where(SopCase.case_ref == case_ref.strip(),
                                                       SopCase.sop_code.in_(list(sop_codes)))
    with engine.connect() as connection:
        found = dict((code, case_id) for case_id, code in connection.execute(query))
    return next((found[code] for code in sop_codes if code in found), None)


def with_steps(frame: pd.DataFrame, catalogue: Mapping[str, Sop]) -> pd.DataFrame:
    """`frame` (with sop_code and step_key) plus the catalogue's SOP name, step number and name, performer
    role, written standard time, flow and position in the SOP file; rows of steps no longer in the
    catalogue keep their key as name and come last."""
    info = {}
    for code, sop in catalogue.items():
        for position, step in enumerate(sop.steps):
            standard = step.time.written or (f"{step.time.value} {step.time.unit.value}" if step.time.value else "–")
            info[(code, step.key)] = (sop.name, step.number, step.name, step.performer_role.value, standard,
                                      step.flow or "", position)
    columns = ["sop_name", "number", "step_name", "role", "standard", "flow", "position"]
    rows = [info.get((code, key), (code, 0, key, "", "–", "", 999))
            for code, key in zip(frame["sop_code"], frame["step_key"])]
    extra = pd.DataFrame(rows, columns=columns, index=frame.index)
    return pd.concat([frame, extra], axis=1)


ERROR_COLUMNS = ["sop_code", "case_ref", "step_key", "step_number", "problem", "completed_at"]


def data_errors(engine: Engine, scope: Scope = None, *, limit: int = 50) -> tuple[pd.DataFrame, int]:
    """Steps the engine could not measure (completed before they started, or with no known start), the
    latest first (at most `limit`), and how many there are in `scope`. They are never counted as met."""
    # the state written into the statement, so a prepared plan still finds ix_step_results_data_error
    where = and_(StepResult.state == literal(DATA_ERROR, literal_execute=True),
                 _in_scope(StepResult.sop_code, StepResult.step_key, scope))
    query = (
        select(StepResult.sop_code, SopCase.case_ref, StepResult.step_key, StepResult.step_number,
               StepResult.problem, StepResult.completed_at)
        .join(SopCase, SopCase.id == StepResult.case_id).where(where)
        .order_by(StepResult.completed_at.desc(), StepResult.id.desc()).limit(limit)
    )
    frame = read_frame(engine, query, ERROR_COLUMNS)
    frame["completed_at"] = pd.to_datetime(frame["completed_at"], utc=True)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(StepResult).where(where))
    return frame, int(total or 0)
