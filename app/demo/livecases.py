"""Live cases: a few cases of every SOP still running at `now`, each with one open step, so that the SLA page's
open-step queue shows steps in progress, at risk and breached the moment the demo is seeded.

The simulated batches (`app.demo.workflow`) leave a step open only when it happens to straddle `now`, which with
standards of minutes and hours is rarely. Here a few cases are taken out of each SOP's largest batch (they keep
their reference, subject and attributes, so the pages that read those see nothing odd) and timed backwards from
`now` on the real working calendar: the open step's start is the moment from which the SLA engine's own clock
(`WorkingCalendar.progress`, `due_time`, and `pantau.sla.measure`) has used the share of the standard the case
is meant to show by `now`: under the at-risk share (in progress), between it and the standard (at risk), or
past the standard (breached). The steps before it finished within their standards, one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from app.demo.cases import CaseBatch
from pantau.sla.config import SopSettings
from pantau.sla.measure import AT_RISK, BREACHED, OPEN, measure
from pantau.sla.timeline import StepSpan
from pantau.sops import Sop, Step
from pantau.workcalendar import WorkingCalendar

STATES = (OPEN, AT_RISK, BREACHED)
PER_STATE = 2
"""Live cases of each state per SOP (fewer where an SOP's largest batch is small)."""
AT_RISK_SHARE = SopSettings.model_fields["at_risk_share"].default
"""The share of the standard after which an open step is at risk, as the SLA engine measures by default."""
TRIES = 6


@dataclass
class LiveCase:
    """One live case: the starts and ends (epoch seconds) of its steps up to the open one, whose end is None."""

    steps: list[Step]
    starts: list[int]
    ends: list[int | None]
    opened: int
    state: str


def split(rng: np.random.Generator, batches: list[CaseBatch], per_state: int = PER_STATE
          ) -> tuple[list[CaseBatch], list[CaseBatch]]:
    """The batches without the cases taken to run live, and one live batch per SOP made of those cases."""
    kept, live = list(batches), []
    for code in dict.fromkeys(batch.sop for batch in batches):
        index = max((i for i, batch in enumerate(kept) if batch.sop == code), key=lambda i: len(kept[i].refs))
        template = kept[index]
        size = len(template.refs)
        count = min(len(STATES) * per_state, max(len(STATES), size // 3))
        if size < count + 1:
            continue
        chosen = np.sort(rng.choice(size, count, replace=False))
        kept[index] = _subset(template, np.setdiff1d(np.arange(size), chosen))
        live.append(_subset(template, chosen, stuck=None, stuck_share=0.0))
    return kept, live


def _subset(batch: CaseBatch, index: np.ndarray, **changes) -> CaseBatch:
    picked = index.tolist()

    def pick(values):
        return None if values is None else [values[i] for i in picked]

    return replace(batch, refs=pick(batch.refs), opened=np.asarray(batch.opened)[index], subjects=pick(batch.subjects),
                   attrs=pick(batch.attrs), channel=pick(batch.channel), performers=pick(batch.performers), **changes)


def plan(rng: np.random.Generator, calendar: WorkingCalendar, sop: Sop, batch: CaseBatch, now: datetime,
         at_risk_share: float = AT_RISK_SHARE) -> list[LiveCase]:
    """Time each case of a live batch: states in turn (in progress, at risk, breached), each case's open step
    one the institution performs with a standard time (longer standards likelier, so the queue does not all
    turn breached within minutes of seeding), its start found on the working calendar."""
    steps = [sop.step(key) for key, _ in batch.path]
    eligible = [index for index, step in enumerate(steps) if _measured(step) and not step.outside_party]
    minutes = np.array([(calendar.due_time(now, steps[i].time) - now).total_seconds() / 60 for i in eligible])
    weights = np.sqrt(minutes) / np.sqrt(minutes).sum()
    cases = []
    for number in range(len(batch.refs)):
        state = STATES[number % len(STATES)]
        position = eligible[int(rng.choice(len(eligible), p=weights))]
        cases.append(_case(rng, calendar, steps[: position + 1], state, now, at_risk_share))
    return cases


def _case(rng: np.random.Generator, calendar: WorkingCalendar, steps: list[Step], state: str, now: datetime,
          share: float) -> LiveCase:
    step = steps[-1]
    start, reached = now, None
    for _ in range(TRIES):
        start = start_for(calendar, step, now, _target(rng, state, share))
        reached = state_at(calendar, step, start, now, share)
        if reached == state:
            break
    starts, ends = [start], [None]
    cursor = start
    for earlier in reversed(steps[:-1]):
        end = cursor - timedelta(seconds=int(rng.integers(60, 20 * 60)))
        if _measured(earlier):
            begin = start_for(calendar, earlier, end, float(rng.uniform(0.25, 0.75)))
        else:
            begin = end - timedelta(seconds=int(rng.integers(10 * 60, 2 * 3600)))
        starts.insert(0, begin)
        ends.insert(0, end)
        cursor = begin
    opened = cursor - timedelta(seconds=int(rng.integers(0, 10 * 60)))
    return LiveCase(steps, [_epoch(t) for t in starts], [None if t is None else _epoch(t) for t in ends],
                    _epoch(opened), reached or state)


def _target(rng: np.random.Generator, state: str, share: float) -> float:
    """The share of the standard used by `now`, well inside the state's band."""
    if state == OPEN:
        return share * float(rng.uniform(0.2, 0.7))
    if state == AT_RISK:
        return share + (1 - share) * float(rng.uniform(0.3, 0.7))
    return float(rng.uniform(1.3, 2.5))


def _measured(step: Step) -> bool:
    return step.time.unit.measurable and step.time.value is not None


def start_for(calendar: WorkingCalendar, step: Step, end: datetime, share: float) -> datetime:
    """The start (whole seconds) from which `step` has used `share` of its standard by `end`, on the step's
    own clock (working time for working units): found by halving on `WorkingCalendar.progress`."""
    standard = step.time
    length = calendar.due_time(end, standard) - end
    earliest = end - length * (share + 1) - timedelta(days=3)
    for _ in range(12):
        if calendar.progress(earliest, end, standard) >= share:
            break
        earliest -= 2 * length + timedelta(days=7)
    latest = end
    while latest - earliest > timedelta(seconds=1):
        middle = earliest + (latest - earliest) / 2
        if calendar.progress(middle, end, standard) >= share:
            earliest = middle
        else:
            latest = middle
    return earliest.replace(microsecond=0)


def state_at(calendar: WorkingCalendar, step: Step, start: datetime, now: datetime, share: float) -> str:
    """The state the SLA engine gives a step open since `start`, at `now` (as `queries.sla.open_state` reads its
    due and at-risk times)."""
    measured = measure(StepSpan(step, start, None, None, None), calendar, share)
    if measured.due_at is None:
        return OPEN
    if measured.due_at < now:
        return BREACHED
    return AT_RISK if measured.risk_at <= now else OPEN


def _epoch(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())
