"""Status shown with a word and an icon as well as a colour, so it reads without colour vision."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from .. import context

# status -> (English label, bootstrap colour, icon)
STATUSES = {
    "good": ("Good", "success", "check-circle-fill"),
    "warn": ("Needs attention", "warning", "exclamation-triangle-fill"),
    "bad": ("Poor", "danger", "x-octagon-fill"),
    "none": ("No data", "secondary", "dash-circle"),
    "up": ("Up", "success", "check-circle-fill"),
    "down": ("Down", "danger", "x-octagon-fill"),
    "degraded": ("Degraded", "warning", "exclamation-triangle-fill"),
    "maintenance": ("Maintenance", "info", "tools"),
    "unreachable": ("Unreachable (parent down)", "secondary", "diagram-2"),
    "pending": ("Pending", "secondary", "hourglass-split"),
    "open": ("Open", "danger", "bell-fill"),
    "acknowledged": ("Acknowledged", "warning", "eye-fill"),
    "resolved": ("Resolved", "success", "check2-circle"),
    "met": ("Met", "success", "check-circle-fill"),
    "at_risk": ("At risk", "warning", "exclamation-triangle-fill"),
    "breached": ("Breached", "danger", "x-octagon-fill"),
    "in_progress": ("In progress", "primary", "arrow-repeat"),
    "waiting": ("Waiting on outside party", "info", "hourglass-split"),
    "data_error": ("Data error", "warning", "exclamation-diamond-fill"),
    "info": ("Info", "info", "info-circle-fill"),
    "warning": ("Warning", "warning", "exclamation-triangle-fill"),
    "critical": ("Critical", "danger", "x-octagon-fill"),
    "stale": ("No recent data", "secondary", "clock-history"),
    "never": ("Not checked yet", "secondary", "hourglass"),
    "failing": ("Failing", "danger", "x-octagon-fill"),
    "ok": ("OK", "success", "check-circle-fill"),
    "requested": ("Check requested", "info", "arrow-repeat"),
}


def label(status: str) -> str:
    return context.t(STATUSES.get(status, (status, "", ""))[0])


def badge(status: str, **kwargs) -> dbc.Badge:
    text, colour, icon = STATUSES.get(status, (status, "secondary", "question-circle"))
    return dbc.Badge(
        [html.I(className=f"bi bi-{icon} me-1", **{"aria-hidden": "true"}), context.t(text)],
        color=colour,
        text_color="dark" if colour in ("warning", "info") else None,
        className="status-badge",
        **kwargs,
    )


def grade(value: float | None, good: float, warn: float, higher_is_better: bool = True) -> str:
    """good / warn / bad for a value against configured thresholds."""
    if value is None:
        return "none"
    if not higher_is_better:
        value, good, warn = -value, -good, -warn
    if value >= good:
        return "good"
    return "warn" if value >= warn else "bad"
