"""Which version of an SOP a page or a case follows: "SOP v2, terbit 6 Des 2026", or the catalogue file
(the SOP as shipped) for an SOP never published and for cases that started before its first version."""

from __future__ import annotations

from collections.abc import Iterable

from dash import html

from pantau import formatting
from pantau.sla.context import SlaContext

from .. import context


def version_words(ctx: SlaContext, code: str, version: int | None) -> str:
    """One version in words: "SOP v2, terbit 6 Des 2026", or "SOP bawaan (berkas katalog)" for the file."""
    t = context.t
    if version is None:
        return t("SOP as shipped (catalogue file)")
    issued = ctx.issued.get((code, version))
    return t("SOP v{version}, published {day}", version=version,
             day=formatting.day(issued, context.lang(), context.tz()))


def short(version: int | None) -> str:
    """A case's version in a table cell: "v2", or "bawaan" for the catalogue file."""
    return f"v{version}" if version is not None else context.t("as shipped")


def version_line(ctx: SlaContext, code: str, used: Iterable[int | None] = (), line_id: str | None = None) -> html.P:
    """The page's line under its title: the version new cases start on, and the older ones cases shown here
    still follow (each case is measured by the version it started on)."""
    t = context.t
    current = ctx.current.get(code)
    older = sorted({v for v in used if v != current}, key=lambda v: -1 if v is None else v)
    text = t("New cases follow {version}.", version=version_words(ctx, code, current))
    if older:
        text += " " + t("Cases started earlier keep the version they started on: {versions}.",
                        versions="; ".join(version_words(ctx, code, v) for v in older))
    named = {"id": line_id} if line_id else {}
    return html.P(text, className="small text-body-secondary mb-0", **named)
