"""Empty states that say what is missing and how to fill it, never a blank chart."""

from __future__ import annotations

from dash import html


def empty_state(message: str, hint: str = "", icon: str = "inbox", **kwargs) -> html.Div:
    return html.Div(
        [
            html.I(className=f"bi bi-{icon} fs-2 text-body-secondary", **{"aria-hidden": "true"}),
            html.P(message, className="mb-1 mt-2 fw-semibold"),
            html.P(hint, className="text-body-secondary small mb-0") if hint else None,
        ],
        className="empty-state text-center py-4",
        **kwargs,
    )
