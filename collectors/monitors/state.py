"""A monitor's state machine: down after N failures, up after M successes, no flapping, no blame for children.

Pure: :func:`advance` takes the state, one check's outcome and the parent's state, and says what changed.
States: ``pending`` (no verdict yet), ``up``, ``degraded`` (answering, but slow or losing packets), ``down``,
``unreachable`` (failing while its parent is down; never alerted) and ``maintenance``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

OUTAGES = ("down", "unreachable")


@dataclass(frozen=True)
class MonitorState:
    """What is kept between rounds. ``streak_since`` is the first check of the current run of equal outcomes."""

    status: str = "pending"
    since: datetime | None = None
    failures: int = 0
    successes: int = 0
    streak_since: datetime | None = None


@dataclass(frozen=True)
class Observation:
    """One check of one monitor, as the state machine sees it."""

    at: datetime
    ok: bool
    degraded: bool = False
    in_maintenance: bool = False


@dataclass(frozen=True)
class Parent:
    """The parent's state after this round: its status, and whether its latest check failed."""

    status: str
    failing: bool

    @property
    def blocks(self) -> bool:
        """A parent in an outage makes its children unreachable rather than down."""
        return self.status in OUTAGES


@dataclass(frozen=True)
class Transition:
    """The new state, and the outage that ended or began (``down`` or ``unreachable``) with its time."""

    before: MonitorState
    after: MonitorState
    ended: str | None = None
    ended_at: datetime | None = None
    began: str | None = None
    began_at: datetime | None = None

    @property
    def changed(self) -> bool:
        return self.before.status != self.after.status


def advance(state: MonitorState, seen: Observation, *, down_after: int, up_after: int,
            parent: Parent | None = None) -> Transition:
    """Feed one observation to the state machine.

    A monitor goes ``down`` after ``down_after`` failures in a row, counted from the first failure, and
    comes back after ``up_after`` successes; a new monitor (or one leaving maintenance) is ``up`` at its
    first success. While its parent is in an outage a failing monitor is ``unreachable``, and while the
    parent's own latest check failed it waits rather than going down first. An outage begins at its
    first failure and ends at its first success. Checks in maintenance count for nothing: afterwards
    the counting starts afresh.
    """
    same_streak = (seen.ok and state.successes > 0) or (not seen.ok and state.failures > 0)
    counted = replace(
        state,
        failures=0 if seen.ok else state.failures + 1,
        successes=state.successes + 1 if seen.ok else 0,
        streak_since=state.streak_since if same_streak and state.streak_since else seen.at,
    )
    if seen.in_maintenance:
        counted = replace(state, failures=0, successes=0, streak_since=None)
    current = "pending" if state.status == "maintenance" and not seen.in_maintenance else state.status
    status = _next_status(current, counted, seen, down_after, up_after, parent)
    if status == state.status:
        return Transition(state, counted)
    ended = state.status if state.status in OUTAGES else None
    began = status if status in OUTAGES else None
    began_at = counted.streak_since if began and state.status not in OUTAGES else seen.at
    ended_at = counted.streak_since if status in ("up", "degraded") else seen.at
    since = began_at if began else ended_at if ended else seen.at
    return Transition(
        state,
        replace(counted, status=status, since=since),
        ended=ended,
        ended_at=ended_at if ended else None,
        began=began,
        began_at=began_at if began else None,
    )


def _next_status(current: str, counted: MonitorState, seen: Observation, down_after: int, up_after: int,
                 parent: Parent | None) -> str:
    answering = "degraded" if seen.degraded else "up"
    if seen.in_maintenance:
        return "maintenance"
    if seen.ok:
        if current in OUTAGES:
            return answering if counted.successes >= up_after else current
        return answering
    if parent is not None and parent.blocks:
        return "unreachable"
    parent_failing = parent is not None and parent.failing
    if current == "down":
        return "down"
    if counted.failures >= down_after and not parent_failing:
        return "down"
    return current
