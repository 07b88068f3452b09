"""The monitors as they stand: status and since when, the newest check, certificates, maintenance, alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from pantau.alerts import LIVE_STATES
from pantau.i18n import DEFAULT_LANGUAGE
from pantau.models import Alert, MaintenanceWindow, Monitor, ProbeSample
from pantau.models.monitoring import monitor_label
from pantau.monitoring.maintenance import Window, parse_rule

from ..alerts import in_language
from ..frames import read_frame

ROLE_ORDER = ("payment-server", "h2h-server", "bank-link", "router", "other")
ALERT_SOURCES = ("monitors", "host-metrics")


def _frame(engine: Engine, query, columns: list[str], times: tuple[str, ...] = ()) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = read_frame(connection, query, columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


MONITOR_COLUMNS = ["id", "name", "role", "check", "target", "status", "status_since", "parent", "interval_s",
                   "down_after", "up_after", "failures", "checked_at", "ok", "latency_ms", "loss", "message", "label"]
"""`name` is the configured key; `label` and `parent` are what people call the monitor and its parent."""


def monitors(engine: Engine) -> pd.DataFrame:
    """Every enabled monitor with its state, its parent's name and its newest check, in role order."""
    parent, earlier = aliased(Monitor), aliased(ProbeSample)
    newest = (
        select(earlier.id)
        .where(earlier.monitor_id == Monitor.id)
        .order_by(earlier.checked_at.desc())
        .limit(1)
        .correlate(Monitor)
        .scalar_subquery()
    )
    query = (
        select(Monitor.id, Monitor.name, Monitor.role, Monitor.check, Monitor.target, Monitor.status,
               Monitor.status_since, monitor_label(parent), Monitor.interval_s, Monitor.down_after, Monitor.up_after,
               Monitor.consecutive_failures, ProbeSample.checked_at, ProbeSample.ok, ProbeSample.latency_ms,
               ProbeSample.loss, ProbeSample.message, monitor_label())
        .outerjoin(parent, parent.id == Monitor.parent_id)
        .outerjoin(ProbeSample, ProbeSample.id == newest)
        .where(Monitor.enabled.is_(True))
    )
    frame = _frame(engine, query, MONITOR_COLUMNS, ("status_since", "checked_at"))
    frame = frame.drop_duplicates("id")
    order = {role: index for index, role in enumerate(ROLE_ORDER)}
    frame["_order"] = frame["role"].map(order).fillna(len(order))
    return frame.sort_values(["_order", "name"]).drop(columns="_order").reset_index(drop=True)


def monitor_names(engine: Engine) -> dict[int, str]:
    """What people call each enabled monitor, by id."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Monitor.id, monitor_label()).where(Monitor.enabled.is_(True))).all())


def monitor_labels(engine: Engine) -> dict[str, str]:
    """What people call each monitor (enabled or not), by its configured key."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Monitor.name, monitor_label())).all())


CERTIFICATE_COLUMNS = ["monitor_id", "monitor", "target", "days_left", "checked_at"]


def certificates(engine: Engine) -> pd.DataFrame:
    """Days left on each https monitor's certificate, from its newest check that saw one; fewest first."""
    earlier = aliased(ProbeSample)
    newest = (
        select(earlier.id)
        .where(earlier.monitor_id == Monitor.id, earlier.cert_days_left.is_not(None))
        .order_by(earlier.checked_at.desc())
        .limit(1)
        .correlate(Monitor)
        .scalar_subquery()
    )
    query = (
        select(Monitor.id, monitor_label(), Monitor.target, ProbeSample.cert_days_left, ProbeSample.checked_at)
        .join(ProbeSample, ProbeSample.id == newest)
        .where(Monitor.enabled.is_(True), Monitor.check == "http")
        .order_by(ProbeSample.cert_days_left)
    )
    return _frame(engine, query, CERTIFICATE_COLUMNS, ("checked_at",)).drop_duplicates("monitor_id")


WINDOW_COLUMNS = ["monitor_id", "monitor", "starts_at", "ends_at", "rule", "note"]


def maintenance(engine: Engine, start: datetime, end: datetime, zone: str,
                monitor_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Maintenance windows of enabled monitors (all, or those of ``monitor_ids``): one row per occurrence
    overlapping ``[start, end)``, weekly rules read in ``zone``, earliest first."""
    query = (
        select(MaintenanceWindow.monitor_id, monitor_label(), MaintenanceWindow.starts_at, MaintenanceWindow.ends_at,
               MaintenanceWindow.weekly_rule, MaintenanceWindow.note)
        .join(Monitor, Monitor.id == MaintenanceWindow.monitor_id)
        .where(Monitor.enabled.is_(True))
    )
    if monitor_ids is not None:
        query = query.where(MaintenanceWindow.monitor_id.in_(list(monitor_ids)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    where = ZoneInfo(zone)
    found = []
    for monitor_id, name, starts_at, ends_at, rule, note in rows:
        window = Window(starts_at, ends_at, parse_rule(rule) if rule else None, note or "")
        found += [(monitor_id, name, opens, closes, rule, note or "")
                  for opens, closes in window.spans(start, end, where)]
    frame = pd.DataFrame(found, columns=WINDOW_COLUMNS)
    for column in ("starts_at", "ends_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.sort_values("starts_at").reset_index(drop=True)


ALERT_COLUMNS = ["id", "severity", "title", "body", "state", "opened_at", "last_seen_at", "acknowledged_by", "link"]


def server_alerts(engine: Engine, limit: int = 100, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Open and acknowledged alerts raised by the monitors and host checks, newest first, in ``lang``."""
    query = (
        select(*(getattr(Alert, column) for column in ALERT_COLUMNS), Alert.texts)
        .where(Alert.source.in_(ALERT_SOURCES), Alert.state.in_(LIVE_STATES))
        .order_by(Alert.opened_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    return in_language(_frame(engine, query, [*ALERT_COLUMNS, "texts"], ("opened_at", "last_seen_at")), lang)
