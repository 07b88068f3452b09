"""Alerts as the in-app alerts page and the header show them."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from pantau.alerts.audience import Audience, where_visible
from pantau.alerts.texts import for_reader
from pantau.i18n import DEFAULT_LANGUAGE
from pantau.models import Alert, AlertDelivery

from .frames import read_frame

COLUMNS = ["id", "severity", "title", "body", "role", "source", "state", "opened_at", "last_seen_at",
           "acknowledged_by", "resolved_at", "resolved_by", "link"]
TIMES = ("opened_at", "last_seen_at", "resolved_at", "reminded_at")


def in_language(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The alerts' `title` and `body` in ``lang`` where they hold it (`pantau.alerts.texts`), read from and
    without their `texts` column."""
    said = [for_reader(title, body, texts, lang)
            for title, body, texts in zip(frame["title"], frame["body"], frame["texts"], strict=True)]
    frame["title"], frame["body"] = [title for title, _ in said], [body for _, body in said]
    return frame.drop(columns="texts")


def list_alerts(engine: Engine, *, audience: Audience | None, states: list[str], limit: int = 500,
                ids: list[int] | None = None, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Newest first, the alerts `audience` may see (`pantau.alerts.audience`: its role's, about what it may
    open; None or the administrator: all), their title and body in ``lang``; `ids` keeps only those alerts.
    `reminded_at` is when the latest reminder went out (or was queued, while it waits)."""
    reminded = (select(AlertDelivery.alert_id, func.max(func.coalesce(AlertDelivery.sent_at, AlertDelivery.created_at))
                       .label("at"))
                .where(AlertDelivery.event == "reminder").group_by(AlertDelivery.alert_id).subquery())
    query = (select(*(getattr(Alert, c) for c in COLUMNS), Alert.texts, reminded.c.at)
             .outerjoin(reminded, reminded.c.alert_id == Alert.id)
             .where(Alert.state.in_(states), where_visible(audience)))
    if ids is not None:
        query = query.where(Alert.id.in_(ids))
    query = query.order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    with engine.connect() as connection:
        frame = in_language(read_frame(connection, query, [*COLUMNS, "texts", "reminded_at"]), lang)
    for column in TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def count_by_state(engine: Engine, *, audience: Audience | None) -> dict[str, int]:
    """Number of alerts `audience` may see in each state (open, acknowledged, resolved)."""
    query = select(Alert.state, func.count()).where(where_visible(audience)).group_by(Alert.state)
    with engine.connect() as connection:
        counts = dict(connection.execute(query).all())
    return {state: counts.get(state, 0) for state in ("open", "acknowledged", "resolved")}
