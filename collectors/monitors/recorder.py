"""Write one round of checks: samples and rollups, each monitor's new state, incidents and alerts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from collectors.probes import ProbeResult
from pantau.models import Incident, MaintenanceWindow, Monitor
from pantau.monitoring.config import MonitorConfig, ordered_by_dependency
from pantau.monitoring.maintenance import Window, parse_rule
from pantau.monitoring.settings import MonitoringSettings

from . import alerts
from .checks import is_degraded
from .rollups import record_samples
from .state import MonitorState, Observation, Parent, Transition, advance


@dataclass(frozen=True)
class Checked:
    """What one monitor's check found and what became of its state."""

    name: str
    result: ProbeResult
    transition: Transition
    down_after: int

    @property
    def status(self) -> str:
        return self.transition.after.status

    def describe(self) -> str:
        after = self.transition.after
        if self.result.ok:
            return f"{self.name} {self.status} ({self.result.latency_ms:,.1f} ms)"
        if self.status in ("down", "unreachable", "maintenance"):
            return f"{self.name} {self.status}: {self.result.message}"
        return f"{self.name} failing {after.failures}/{self.down_after}: {self.result.message}"


@dataclass(frozen=True)
class RoundReport:
    """Every monitor checked in a round, in dependency order."""

    checked: list[Checked]

    def summary(self, limit: int = 12) -> str:
        """One line for people: counts by state, then each monitor (the changed and failing ones first)."""
        if not self.checked:
            return "no monitor was due"
        counts: dict[str, int] = defaultdict(int)
        for item in self.checked:
            counts[item.status] += 1
        head = ", ".join(f"{number} {status}" for status, number in sorted(counts.items()))
        ranked = sorted(self.checked, key=lambda c: (c.result.ok and not c.transition.changed, c.name))
        shown = [item.describe() for item in ranked[:limit]]
        more = f"; {len(ranked) - limit} more" if len(ranked) > limit else ""
        return f"{len(self.checked)} checked: {head}. " + "; ".join(shown) + more


def record_round(session: Session, monitors: list[MonitorConfig], results: dict[str, ProbeResult], *,
                 options: MonitoringSettings, zone: ZoneInfo, lang: str) -> RoundReport:
    """Write the results of one round (monitor name -> result) inside the caller's transaction.

    Parents are handled before their children, so a child sees its parent's state of this round.
    """
    rows = {row.name: row for row in session.scalars(select(Monitor))}
    by_id = {row.id: row for row in rows.values()}
    windows = _windows(session)
    samples, checked = [], []
    for config in ordered_by_dependency([m for m in monitors if m.name in results]):
        row, result = rows[config.name], results[config.name]
        in_maintenance = any(window.covers(result.checked_at, zone)
                             for ancestor in _lineage(row, by_id) for window in windows[ancestor.id])
        parent = by_id.get(row.parent_id) if row.parent_id else None
        transition = advance(
            _state(row),
            Observation(result.checked_at, result.ok, is_degraded(config, result), in_maintenance),
            down_after=row.down_after, up_after=row.up_after,
            parent=Parent(parent.status, parent.consecutive_failures > 0) if parent else None,
        )
        _store_state(row, transition.after)
        cause = result.message if transition.after.status != "unreachable" or parent is None else (
            f"{parent.name} is {parent.status}; {result.message}")
        _incidents(session, row, transition, cause)
        alerts.on_transition(session, row.name, transition, cause, lang=lang, zone=zone,
                             link=f"{alerts.PAGE}?monitor={row.id}", label=config.label)
        samples.append(_sample(row.id, result, in_maintenance))
        checked.append(Checked(row.name, result, transition, row.down_after))
    record_samples(session, samples)
    return RoundReport(checked)


def _windows(session: Session) -> dict[int, list[Window]]:
    found: dict[int, list[Window]] = defaultdict(list)
    for row in session.scalars(select(MaintenanceWindow)):
        rule = parse_rule(row.weekly_rule) if row.weekly_rule else None
        found[row.monitor_id].append(Window(row.starts_at, row.ends_at, rule, row.note or ""))
    return found


def _lineage(row: Monitor, by_id: dict[int, Monitor]) -> list[Monitor]:
    """The monitor and its ancestors: a parent's maintenance is its children's too."""
    chain = [row]
    while chain[-1].parent_id in by_id and len(chain) <= len(by_id):
        chain.append(by_id[chain[-1].parent_id])
    return chain


def _state(row: Monitor) -> MonitorState:
    return MonitorState(row.status, row.status_since, row.consecutive_failures, row.consecutive_successes,
                        row.streak_since)


def _store_state(row: Monitor, state: MonitorState) -> None:
    row.status = state.status
    row.status_since = state.since
    row.consecutive_failures = state.failures
    row.consecutive_successes = state.successes
    row.streak_since = state.streak_since


def _incidents(session: Session, row: Monitor, transition: Transition, cause: str) -> None:
    if transition.ended:
        for incident in session.scalars(
            select(Incident).where(Incident.monitor_id == row.id, Incident.ended_at.is_(None))
        ):
            incident.ended_at = max(transition.ended_at, incident.started_at)
    if transition.began:
        session.add(Incident(monitor_id=row.id, kind=transition.began, started_at=transition.began_at,
                             cause=cause[:2000]))


def _sample(monitor_id: int, result: ProbeResult, in_maintenance: bool) -> dict:
    return {
        "monitor_id": monitor_id, "checked_at": result.checked_at, "ok": result.ok,
        "in_maintenance": in_maintenance, "latency_ms": result.latency_ms,
        "latency_min_ms": result.latency_min_ms, "latency_max_ms": result.latency_max_ms, "loss": result.loss,
        "jitter_ms": result.jitter_ms, "status_code": result.status_code, "cert_days_left": result.cert_days_left,
        "message": result.message[:2000],
    }
