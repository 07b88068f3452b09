"""An alert's message: a subject, a plain text and a laid-out HTML mail (title, figures, a button to the page).

Words come from the message catalogue (`pantau/locale/id/LC_MESSAGES/alerts.po`); links are made absolute with
the `public_url` setting, so a mail client can open them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin

import apprise

from pantau import formatting
from pantau.i18n import translate
from pantau.models import Alert

from .lifecycle import SYSTEM_ACTOR

TAGS = {"info": "INFO", "warning": "WARNING", "critical": "CRITICAL", "recovered": "RECOVERED",
        "closed": "CLOSED", "reminder": "Reminder", "escalated": "Escalated"}
"""English message ids of the subject's tags."""
_NOTIFY_TYPES = {
    "info": apprise.NotifyType.INFO,
    "warning": apprise.NotifyType.WARNING,
    "critical": apprise.NotifyType.FAILURE,
}
_COLOURS = {"info": "#0d6efd", "warning": "#b35c00", "critical": "#b02a37", "resolved": "#146c43"}


@dataclass(frozen=True)
class Message:
    """A composed alert message: `body` is the plain text, `html` the laid-out mail of the same content."""

    title: str
    body: str
    notify_type: apprise.NotifyType
    html: str = ""
    link: str | None = None
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def absolute(link: str | None, public_url: str) -> str | None:
    """`/token` under `https://pantau.kampus.ac.id` → `https://pantau.kampus.ac.id/token`; a full URL stays."""
    if not link:
        return None
    if not public_url:
        return link
    return urljoin(public_url.rstrip("/") + "/", link.lstrip("/"))


def compose(alert: Alert, event: str, *, language: str = "id", zone: str = "Asia/Jakarta",
            public_url: str = "") -> Message:
    """The subject, text and HTML announcing `event` ("opened", "reminder", "escalated", "resolved") of `alert`."""
    def t(text: str, **values) -> str:
        return translate(text, language, **values)

    def when(instant) -> str:
        return formatting.moment(instant, language, zone) if instant else "–"

    facts: list[tuple[str, str]] = []
    if event == "resolved":
        tag = TAGS["recovered"] if alert.resolved_by == SYSTEM_ACTOR else TAGS["closed"]
        title = f"[{t(tag)}] {alert.title}"
        facts.append((t("Period"), f"{when(alert.opened_at)} – {when(alert.resolved_at)}"))
        if alert.resolved_by != SYSTEM_ACTOR:
            facts.append((t("Resolved by"), alert.resolved_by or "–"))
        if alert.resolution_note:
            facts.append((t("Note"), alert.resolution_note))
        notify_type, colour = apprise.NotifyType.SUCCESS, _COLOURS["resolved"]
    else:
        prefix = f"[{t(TAGS[alert.severity])}]"
        if event in ("reminder", "escalated"):
            prefix = f"{prefix} {t(TAGS[event])}:"
        title = f"{prefix} {alert.title}"
        facts.append((t("Still open since") if event == "reminder" else t("Since"), when(alert.opened_at)))
        notify_type, colour = _NOTIFY_TYPES[alert.severity], _COLOURS[alert.severity]
    link = absolute(alert.link, public_url)
    lines = [*([alert.body] if alert.body else []), *(f"{label}: {value}" for label, value in facts)]
    if link:
        lines.append(f"{t('Link')}: {link}")
    html = _html(title, alert.body or "", facts, link, colour, t)
    return Message(title=title, body="\n".join(lines), notify_type=notify_type, html=html, link=link,
                   facts=tuple(facts))


def _html(title: str, body: str, facts: list[tuple[str, str]], link: str | None, colour: str, t) -> str:
    """A mail that reads well in any client: inline styles, the figures in a box, a button, the address in words."""
    paragraphs = "".join(f'<p style="margin:0 0 12px 0">{escape(part).replace(chr(10), "<br>")}</p>'
                         for part in body.split("\n\n") if part.strip())
    rows = "".join(f'<p style="margin:0 0 4px 0"><span style="color:#555">{escape(label)}:</span> '
                   f'<strong>{escape(value)}</strong></p>' for label, value in facts)
    button = (
        f'<p style="margin:20px 0 8px 0"><a href="{escape(link, quote=True)}" style="display:inline-block;'
        f'background:{colour};color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;'
        f'font-weight:600">{escape(t("Open the page in Pantau"))}</a></p>'
        f'<p style="margin:0;font-size:12px;color:#555">{escape(t("Or open this address"))}: '
        f'<a href="{escape(link, quote=True)}">{escape(link)}</a></p>'
    ) if link else ""
    return (
        '<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#212529;max-width:600px">'
        f'<h2 style="margin:0 0 16px 0;font-size:18px;border-left:4px solid {colour};padding-left:10px">'
        f'{escape(title)}</h2>{paragraphs}'
        f'<div style="background:#f6f7f9;padding:10px 12px;margin:0 0 8px 0">{rows}</div>'
        f'{button}</div>'
    )
