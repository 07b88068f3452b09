"""A case's path through its SOP, traced from its step events alone.

The result depends only on the set of events, never on the order they arrived in: several events
of one step merge (earliest start, latest completion, the performer and outcome of the latest
completion), and a step without a start of its own starts when its predecessor completed. The one
exception is a correction (an event that changed a value already stored): the latest correction of a
start or a completion wins. A step that completed before it started, or whose start is not known (a
completion alone, the case opened by it), is a data error: kept and shown, never measured.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pantau.sops import END, Sop, Step


@dataclass(frozen=True)
class EventRow:
    """One stored step event, as the tracer needs it."""

    uid: str
    step_key: str
    started_at: datetime | None
    completed_at: datetime | None
    performer: str | None = None
    outcome: str | None = None
    seq: int = 0
    correction: bool = False


BEFORE_START = "before_start"
NO_START = "no_start"
PROBLEMS = (BEFORE_START, NO_START)
"""A step's data errors: completed before it started (its own start or its predecessor's completion),
or completed with no known start."""


@dataclass(frozen=True)
class StepSpan:
    """One step of a case: when it started and completed (None while open), by whom, with what outcome.

    `implicit` marks a step that has no event yet but is open because its predecessor completed;
    `problem` names a data error (see `PROBLEMS`), in which case `started_at` is the completion.
    """

    step: Step
    started_at: datetime
    completed_at: datetime | None
    performer: str | None
    outcome: str | None
    implicit: bool = False
    problem: str | None = None


@dataclass(frozen=True)
class CaseTrace:
    """A case's steps in order, its flow, and when and how it ended (None while it runs)."""

    flow: str | None
    spans: tuple[StepSpan, ...]
    closed_at: datetime | None
    outcome: str | None


def next_step(sop: Sop, step: Step, outcome: str | None) -> str | None:
    """Where a completed step leads: a step key, `END`, or None for a decision whose outcome is unknown.

    A decision's outcome matches one of its branches by key or label, ignoring case.
    """
    if not step.branches:
        return _index(sop).successors[step.key][0]
    wanted = (outcome or "").strip().casefold()
    for branch in step.branches:
        if wanted in (branch.key.casefold(), branch.label.casefold()):
            return branch.target
    return None


def branch_key(step: Step, outcome: str | None) -> str | None:
    """The key of the branch a decision's outcome names, or None."""
    wanted = (outcome or "").strip().casefold()
    return next((b.key for b in step.branches if wanted in (b.key.casefold(), b.label.casefold())), None)


def trace(sop: Sop, opened_at: datetime, events: Iterable[EventRow], flow: str | None = None) -> CaseTrace:
    """Trace one case of `sop` opened at `opened_at` through its events.

    Events of steps the SOP does not have, or of another flow than the case's, are ignored. The
    case's flow is `flow` if given, else the flow most of its events belong to. Steps before the
    first step with an event are not measured; a step skipped between two steps with events (a
    late event still to come) is not opened either. After the furthest step with an event, the
    next step of the flow is open from that step's completion until an event for it arrives.
    """
    index = _index(sop)
    events = [event for event in events if event.step_key in index.steps]
    if flow is None and sop.flows:
        counts = Counter(index.steps[event.step_key].flow for event in events)
        flow = min(counts, key=lambda name: (-counts[name], name)) if counts else sop.flows[0].key
    steps = sop.flow_steps(flow)
    by_step: dict[str, list[EventRow]] = defaultdict(list)
    for event in events:
        if index.steps[event.step_key].flow == flow:
            by_step[event.step_key].append(event)
    spans: list[StepSpan] = []
    completions: dict[str, datetime] = {}
    for step in steps:
        if step.key not in by_step:
            continue
        span = _merge(step, by_step[step.key], _start_by_flow(sop, steps, step, completions, opened_at))
        spans.append(span)
        if span.completed_at is not None:
            completions[step.key] = span.completed_at
    return _finish(sop, steps, spans, opened_at, flow)


def _start_by_flow(
    sop: Sop, steps: tuple[Step, ...], step: Step, completions: dict[str, datetime], opened_at: datetime
) -> tuple[datetime, bool]:
    """When a step without a start of its own began: its predecessor's completion, else the latest
    completion of an earlier step, else the case's opening (then True: the start is only the opening)."""
    predecessors = [completions[p.key] for p in steps if p.key in completions
                    and step.key in _index(sop).successors[p.key]]
    if predecessors:
        return max(predecessors), False
    earlier = [completions[p.key] for p in steps if p.key in completions and p.number < step.number]
    return (max(earlier), False) if earlier else (opened_at, True)


@dataclass(frozen=True)
class _Index:
    steps: dict[str, Step]
    successors: dict[str, tuple[str, ...]]


_INDEXES: dict[int, tuple[Sop, _Index]] = {}


def _index(sop: Sop) -> _Index:
    """Steps and successors by key, remembered per SOP object (the catalogue's SOPs are immutable)."""
    cached = _INDEXES.get(id(sop))
    if cached is None or cached[0] is not sop:
        index = _Index({step.key: step for step in sop.steps},
                       {step.key: sop.successors(step.key) for step in sop.steps})
        cached = _INDEXES[id(sop)] = (sop, index)
    return cached[1]


def merged_times(events: Iterable[EventRow]) -> tuple[datetime | None, EventRow | None]:
    """A step's own start and the event whose completion counts: the latest correction of each, else the
    earliest start and the latest completion."""
    events = list(events)
    starts = [e for e in events if e.started_at is not None]
    fixed = [e for e in starts if e.correction]
    started = (max(fixed, key=lambda e: (e.seq, e.uid)).started_at if fixed
               else min((e.started_at for e in starts), default=None))
    completing = [e for e in events if e.completed_at is not None]
    fixed = [e for e in completing if e.correction]
    last = (max(fixed, key=lambda e: (e.seq, e.uid)) if fixed
            else max(completing, key=lambda e: (e.completed_at, e.uid), default=None))
    return started, last


def _merge(step: Step, events: list[EventRow], by_flow: tuple[datetime, bool]) -> StepSpan:
    own_start, last = merged_times(events)
    completed = last.completed_at if last else None
    started = own_start if own_start is not None else by_flow[0]
    problem = None
    if completed is not None and completed < started:
        problem = BEFORE_START
    elif completed is not None and own_start is None and by_flow[1] and completed <= started:
        problem = NO_START
    if problem:
        started = completed
    by_recency = sorted(events, key=lambda e: (e.completed_at or e.started_at, e.uid), reverse=True)
    performer = next((e.performer for e in by_recency if e.performer), None)
    completing = sorted((e for e in events if e.completed_at is not None), key=lambda e: (e.completed_at, e.uid))
    outcome = (last.outcome if last is not None and last.correction and last.outcome
               else next((e.outcome for e in reversed(completing) if e.outcome), None))
    return StepSpan(step, started, completed, performer, outcome, problem=problem)


def _finish(
    sop: Sop, steps: tuple[Step, ...], spans: list[StepSpan], opened_at: datetime, flow: str | None
) -> CaseTrace:
    if not spans:
        first = StepSpan(steps[0], opened_at, None, None, None, implicit=True)
        return CaseTrace(flow, (first,), None, None)
    furthest = spans[-1]
    decisions = [branch_key(s.step, s.outcome) for s in spans if s.step.branches]
    outcome = next((key for key in reversed(decisions) if key), None)
    if furthest.completed_at is None:
        return CaseTrace(flow, tuple(spans), None, None)
    following = next_step(sop, furthest.step, furthest.outcome)
    if following == END:
        return CaseTrace(flow, tuple(spans), furthest.completed_at, outcome or "completed")
    if following is not None and all(span.step.key != following for span in spans):
        step = _index(sop).steps[following]
        spans.append(StepSpan(step, furthest.completed_at, None, None, None, implicit=True))
    return CaseTrace(flow, tuple(spans), None, None)
