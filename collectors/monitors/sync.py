"""Bring the store's monitors and maintenance windows in line with the configuration."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pantau.models import MaintenanceWindow, Monitor
from pantau.monitoring.config import MonitorConfig, ordered_by_dependency


def sync_monitors(session: Session, monitors: list[MonitorConfig]) -> dict[str, int]:
    """Create or update a row per configured monitor and return their ids by name.

    Settings that changed are written (the `label`, what pages call the monitor, with its check options); the
    state (status, counters) is kept. Monitors no longer configured are disabled, not deleted, so their history
    stays readable. Each monitor's maintenance windows are replaced by the configured ones when they differ.
    """
    rows = {row.name: row for row in session.scalars(select(Monitor))}
    ids: dict[str, int] = {}
    for config in ordered_by_dependency(monitors):
        row = rows.get(config.name)
        if row is None:
            row = Monitor(name=config.name, status="pending")
            session.add(row)
            rows[config.name] = row
        wanted = {
            "role": config.role, "check": config.check, "target": config.target,
            "interval_s": config.interval_s, "timeout_s": config.timeout_s, "down_after": config.down_after,
            "up_after": config.up_after, "enabled": True,
            "options": {**config.options(), **({"label": config.label} if config.label else {})},
            "parent_id": ids[config.depends_on] if config.depends_on else None,
        }
        for field, value in wanted.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
        session.flush()
        ids[config.name] = row.id
        _sync_windows(session, row.id, config)
    configured = set(ids)
    for name, row in rows.items():
        if name not in configured and row.enabled:
            row.enabled = False
    return ids


def _sync_windows(session: Session, monitor_id: int, config: MonitorConfig) -> None:
    wanted = sorted(_key(w.start, w.end, w.weekly, w.note) for w in config.maintenance)
    stored = session.scalars(select(MaintenanceWindow).where(MaintenanceWindow.monitor_id == monitor_id)).all()
    if sorted(_key(w.starts_at, w.ends_at, w.weekly_rule, w.note or "") for w in stored) == wanted:
        return
    session.execute(delete(MaintenanceWindow).where(MaintenanceWindow.monitor_id == monitor_id))
    session.add_all(
        MaintenanceWindow(monitor_id=monitor_id, starts_at=entry.start, ends_at=entry.end,
                          weekly_rule=entry.weekly, note=entry.note or None)
        for entry in config.maintenance
    )


def _key(start, end, rule, note) -> tuple:
    return (start.timestamp() if start else 0.0, end.timestamp() if end else 0.0, rule or "", note or "")
