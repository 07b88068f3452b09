"""SOP cases and their step events, measured against the SOP catalogue's standard times.

Cases are planned per SOP in `app.demo.cases` as batches that share one path through the SOP.
Each step takes a random share of its standard time in the step's own clock (working minutes,
working days, calendar months...): most finish within it, some breach it, and breaches were more
common a year ago than now. Whatever would happen after `now` has not happened yet: such steps are
open, and their cases too. A few cases of each SOP run live (`app.demo.livecases`): timed back from `now` on
the working calendar so that, as seeded, some open steps are in progress, some at risk and some breached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from statistics import NormalDist

import numpy as np

from app.demo import cases as planners
from app.demo import livecases
from app.demo.campus import Campus
from app.demo.cases import CaseBatch
from app.demo.context import ZONE, DemoContext
from app.demo.payments import Ledger
from app.demo.worktime import WORKING_DAY_MINUTES, WorkClock
from pantau.models import SopCase, StepEvent
from pantau.sops import END, Sop, Step, load_catalogue
from pantau.workcalendar import TimeUnit, WorkingCalendar

SPREAD = 0.6
"""Spread (log scale) of how long a step takes relative to its standard."""
DEFAULT_BREACH = 0.08
"""The chance a step overruns its standard, for steps a plan gives no chance of their own."""
NEVER_S = 20 * 365 * 86_400
"""How far beyond `now` a step that never ends is put while planning (it is stored as open)."""
MINUTES_PER = {
    TimeUnit.WORKING_MINUTES: 1, TimeUnit.WORKING_HOURS: 60, TimeUnit.WORKING_DAYS: WORKING_DAY_MINUTES,
    TimeUnit.CALENDAR_MINUTES: 1, TimeUnit.CALENDAR_HOURS: 60, TimeUnit.CALENDAR_DAYS: 1440,
    TimeUnit.CALENDAR_MONTHS: 43_830,
}
EXTERNAL = ("Mahasiswa", "MHS", "Pemohon", "Pengguna", "Unit Kerja", "Kolegium", "Unit Terkait")
"""Performers outside the staff: events name them as the SOP does (or the student by name)."""
_BREACH_GRID = np.linspace(0.005, 0.95, 400)
_Z_GRID = np.array([NormalDist().inv_cdf(p) for p in _BREACH_GRID.tolist()])


@dataclass
class Planned:
    """What later subjects need from the workflow: WS account creations and AKUN registrations."""

    ws_created: dict[str, int] = field(default_factory=dict)
    akun_registered: dict[str, int] = field(default_factory=dict)
    attrs: dict[tuple[str, str], dict] = field(default_factory=dict)


def generate(ctx: DemoContext, campus: Campus, ledger: Ledger) -> Planned:
    """Write SOP cases and step events for every SOP in the catalogue; return what accounts build on."""
    catalogue = load_catalogue()
    rng = ctx.rng("workflow")
    now_s = int(ctx.now64.astype(np.int64))
    clock = WorkClock(ctx.today - np.timedelta64(2 * 365 + 60, "D"), ctx.today + np.timedelta64(400, "D"))
    staff = planners.staff(ctx, catalogue)
    batches = planners.plan(ctx, rng, campus, ledger, catalogue)
    live_rng = ctx.rng("workflow-live")
    batches, live = livecases.split(live_rng, batches)
    planned = Planned()
    next_id = 1
    for batch in batches:
        check_path(catalogue[batch.sop], batch.path)
        next_id = _write(ctx, rng, clock, catalogue[batch.sop], batch, staff, now_s, next_id, planned)
    calendar = WorkingCalendar(tz=ZONE.key)
    for batch in live:
        check_path(catalogue[batch.sop], batch.path)
        next_id = _write_live(ctx, live_rng, calendar, catalogue[batch.sop], batch, staff, now_s, next_id, planned)
    return planned


def check_path(sop: Sop, path: list[tuple[str, str | None]]) -> None:
    """Refuse a path that the SOP does not allow: unknown steps, wrong branches, skipped steps."""
    for (key, branch), following in zip(path, [*path[1:], (END, None)]):
        step = sop.step(key)
        if step.branches:
            targets = {b.key: b.target for b in step.branches}
            if branch not in targets:
                raise ValueError(f"SOP {sop.code} step {key}: branch {branch!r} is not one of {sorted(targets)}")
            allowed: tuple[str, ...] = (targets[branch],)
        else:
            allowed = sop.successors(key)
        if following[0] not in allowed and following[0] != END:
            raise ValueError(f"SOP {sop.code}: step {following[0]!r} cannot follow {key!r} (expected {allowed})")


def _factors(rng: np.random.Generator, breach: np.ndarray) -> np.ndarray:
    """Shares of the standard a step takes: lognormal, over 1 with chance `breach`."""
    median = np.exp(SPREAD * np.interp(np.clip(breach, 0.005, 0.95), _BREACH_GRID, _Z_GRID))
    return np.minimum(median * rng.lognormal(0, SPREAD, len(breach)), 8.0)


@dataclass
class Timeline:
    """Every planned step of a batch's cases, whether or not it has happened by `now`."""

    case: np.ndarray
    step: np.ndarray
    started: np.ndarray
    completed: np.ndarray
    performer: np.ndarray
    outcome: np.ndarray


def _write(ctx: DemoContext, rng: np.random.Generator, clock: WorkClock, sop: Sop, batch: CaseBatch,
           staff: dict[str, list[str]], now_s: int, first_id: int, planned: Planned) -> int:
    """Simulate a batch, write its cases and the events that have happened; return the next case id."""
    ids = np.arange(first_id, first_id + len(batch.refs))
    timeline = _simulate(rng, clock, sop, batch, staff, now_s, ids, planned)
    _write_cases(ctx, sop, batch, ids, timeline.completed[-len(ids):], now_s)
    _write_events(ctx, rng, batch, first_id, timeline, now_s)
    for ref, attrs in zip(batch.refs, batch.attrs):
        planned.attrs[(batch.sop, ref)] = attrs
    return first_id + len(ids)


def _write_live(ctx: DemoContext, rng: np.random.Generator, calendar: WorkingCalendar, sop: Sop, batch: CaseBatch,
                staff: dict[str, list[str]], now_s: int, first_id: int, planned: Planned) -> int:
    """Write a live batch (`app.demo.livecases`): each case's steps up to its open one; return the next case id."""
    ids = np.arange(first_id, first_id + len(batch.refs))
    cases = livecases.plan(rng, calendar, sop, batch, ctx.now)
    branches = dict(batch.path)
    parts: dict[str, list] = {name: [] for name in Timeline.__dataclass_fields__}
    for number, (case_id, live) in enumerate(zip(ids.tolist(), cases)):
        given = [batch.performers[number]] if batch.performers else None
        for step, start, end in zip(live.steps, live.starts, live.ends):
            done = end is not None
            if batch.result_attr and batch.result_attr[0] == step.key:
                batch.attrs[number][batch.result_attr[1]] = branches[step.key] if done else None
            if done and step.key in ("buat_akun", "catat_akun"):
                (planned.ws_created if step.key == "buat_akun" else planned.akun_registered)[batch.refs[number]] = end
            for name, value in (("case", case_id), ("step", step.key), ("started", start),
                                ("completed", end if done else now_s + NEVER_S),
                                ("performer", _performers(rng, step, staff, 1, given)[0]),
                                ("outcome", branches[step.key] if done else None)):
                parts[name].append(value)
    timeline = Timeline(**{name: np.asarray(values, dtype=object if name in ("performer", "outcome") else None)
                           for name, values in parts.items()})
    opened = replace(batch, opened=np.array([live.opened for live in cases], dtype=np.int64))
    _write_cases(ctx, sop, opened, ids, np.full(len(ids), now_s + NEVER_S), now_s)
    _write_events(ctx, rng, opened, first_id, timeline, now_s)
    for ref, attrs in zip(batch.refs, batch.attrs):
        planned.attrs[(batch.sop, ref)] = attrs
    return first_id + len(ids)


def _simulate(rng: np.random.Generator, clock: WorkClock, sop: Sop, batch: CaseBatch, staff: dict[str, list[str]],
              now_s: int, ids: np.ndarray, planned: Planned) -> Timeline:
    """Walk every case of the batch along its path, step after step, in each step's clock."""
    count = len(ids)
    trend = 0.5 + np.clip((now_s - batch.opened) / (400 * 86_400), 0, 1)
    stuck = rng.random(count) < batch.stuck_share if batch.stuck else np.zeros(count, bool)
    never = now_s + NEVER_S
    cursor = batch.opened.astype(np.int64)
    parts: dict[str, list] = {name: [] for name in Timeline.__dataclass_fields__}
    for key, branch in batch.path:
        step = sop.step(key)
        blocked = cursor >= never
        start = np.where(blocked, never, clock.next_working(cursor) if step.time.unit.clock == "working" else cursor)
        halted = blocked | (stuck & (key == batch.stuck))
        end = np.where(halted, never, _finish(rng, clock, step, batch, start, trend))
        if batch.result_attr and batch.result_attr[0] == key:
            for attrs, finished in zip(batch.attrs, (end <= now_s).tolist()):
                attrs[batch.result_attr[1]] = branch if finished else None
        if key in ("buat_akun", "catat_akun"):
            registry = planned.ws_created if key == "buat_akun" else planned.akun_registered
            registry.update({ref: int(t) for ref, t in zip(batch.refs, end.tolist()) if t <= now_s})
        for name, values in (("case", ids), ("step", np.full(count, key)), ("started", start), ("completed", end),
                             ("performer", _performers(rng, step, staff, count, batch.performers)),
                             ("outcome", np.full(count, branch, dtype=object))):
            parts[name].append(values)
        cursor = np.where(end >= never, never, end + rng.integers(0, 20 * 60, count))
    return Timeline(**{name: np.concatenate(values) for name, values in parts.items()})


def _write_cases(ctx: DemoContext, sop: Sop, batch: CaseBatch, ids: np.ndarray, last_completed: np.ndarray,
                 now_s: int) -> None:
    count = len(ids)
    closed = np.where(last_completed <= now_s, last_completed, -1)
    ctx.writer.insert(SopCase.__table__, {
        "id": ids,
        "sop_code": np.full(count, batch.sop),
        "case_ref": batch.refs,
        "flow": np.full(count, batch.flow, dtype=object),
        "unit": np.full(count, sop.unit),
        "subject": batch.subjects,
        "opened_at": batch.opened.astype("datetime64[s]"),
        "closed_at": _instants(closed),
        "outcome": np.where(closed >= 0, batch.outcome, None),
        "source": np.full(count, batch.source),
        "attrs": batch.attrs,
    }, step="workflow cases")


def _write_events(ctx: DemoContext, rng: np.random.Generator, batch: CaseBatch, first_id: int, timeline: Timeline,
                  now_s: int) -> None:
    """The events of steps started by `now`; a step not finished by then is open. Events reach Pantau a
    little after they happen, a few of them days late."""
    happened = timeline.started <= now_s
    case = timeline.case[happened]
    step_keys = timeline.step[happened]
    done = np.where(timeline.completed[happened] <= now_s, timeline.completed[happened], -1)
    refs = np.asarray(batch.refs)[case - first_id]
    arrival = np.where(done >= 0, done, timeline.started[happened])
    delay = np.where(rng.random(len(case)) < 0.03, rng.integers(86_400, 5 * 86_400, len(case)),
                     rng.integers(30, 3 * 3600, len(case)))
    channel = np.asarray(batch.channel, dtype=object)[case - first_id] if batch.channel else np.full(len(case), None)
    ctx.writer.insert(StepEvent.__table__, {
        "event_uid": [f"demo:{batch.sop}:{r}:{s}" for r, s in zip(refs.tolist(), step_keys.tolist())],
        "case_id": case,
        "step_key": step_keys,
        "started_at": timeline.started[happened].astype("datetime64[s]"),
        "completed_at": _instants(done),
        "performer": timeline.performer[happened],
        "outcome": np.where(done >= 0, timeline.outcome[happened], None),
        "channel": channel,
        "recorded_by": np.full(len(case), batch.recorded_by),
        "received_at": np.minimum(arrival + delay, now_s).astype("datetime64[s]"),
    }, step="workflow events")


def _finish(rng: np.random.Generator, clock: WorkClock, step: Step, batch: CaseBatch, start: np.ndarray,
            trend: np.ndarray) -> np.ndarray:
    """When each case completes `step` started at `start`, in the step's clock."""
    count = len(start)
    unit = step.time.unit
    if not unit.measurable:
        own = batch.durations.get(step.key)
        seconds = own(rng, start) if own else rng.integers(120, 3600, count)
        return start + seconds + rng.integers(0, 60, count)
    share = _factors(rng, np.full(count, batch.breach.get(step.key, DEFAULT_BREACH)) * trend)
    minutes = share * step.time.value * MINUTES_PER[unit]
    if unit.clock == "working":
        return clock.add(start, minutes) + rng.integers(0, 60, count)
    return start + (minutes * 60).astype(np.int64)


def _performers(rng: np.random.Generator, step: Step, staff: dict[str, list[str]], count: int,
                given: list[str | None] | None) -> np.ndarray:
    """The party named in the SOP when it is outside the staff (student, applicant, kolegium), else a staff member."""
    if step.performer.startswith(EXTERNAL):
        return np.asarray(given, dtype=object) if given and step.performer.startswith(("Mahasiswa", "MHS")) \
            else np.full(count, step.performer, dtype=object)
    pool = staff.get(step.unit) or staff["default"]
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), count)]


def _instants(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds as datetime64[s], with negative values meaning "not yet" (NaT)."""
    return np.where(seconds >= 0, seconds, np.iinfo(np.int64).min).astype(np.int64).view("datetime64[s]")
