"""Accessibility of every Dash page (WCAG 2.1 AA): the document's language, the skip link, and the words that
assets/30-a11y.js gives the controls Dash's own components leave unnamed.

The page's `<html lang>` follows the reader's language: Dash writes its index page without one, so an index
hook (registered once, when this module is imported, and bound by Dash to every app) adds it on each load.
The words are rendered, translated, into `data-*` attributes of one hidden element of the shell, which the
script reads: the DataTable's pager buttons, row-selection boxes and case toggle, and the page's tables that
scroll sideways. Nothing is written inline (the Content-Security-Policy allows scripts from files only).
"""

from __future__ import annotations

import re

import dash
from dash import html

from . import context

WORDS_ID = "shell-a11y-words"
SKIP_ID = "shell-skip"
MAIN_ID = "shell-main"
WORDS = {
    "first-page": "First page",
    "previous-page": "Previous page",
    "next-page": "Next page",
    "last-page": "Last page",
    "current-page": "Page number",
    "select-row": "Select row: {row}",
    "case": "Match upper and lower case",
    "scroll-table": "Table (scrolls sideways)",
    "filter": "Filter column {column}",
}
"""The words the script gives Dash's controls, by the name of their `data-*` attribute; `{row}` is the row's
first cell and `{column}` the column's header, both filled in by the script."""

_HTML = re.compile(r"<html(?=[\s>])(?![^>]*\blang=)", re.IGNORECASE)


@dash.hooks.index()
def _lang(index: str) -> str:
    """Dash's index page with `<html lang>` in the reader's language (id or en)."""
    return _HTML.sub(f'<html lang="{context.lang()}"', index, count=1)


def skip_link() -> html.A:
    """The first thing a keyboard reader reaches: jumps past the header and menu to the page's content."""
    return html.A(context.t("Skip to main content"), href=f"#{MAIN_ID}", id=SKIP_ID,
                  className="skip-link visually-hidden-focusable")


def words() -> html.Div:
    """The hidden element carrying the script's words in the reader's language."""
    t = context.t
    # Translated without values, a message keeps its placeholders for the script to fill.
    return html.Div(id=WORDS_ID, hidden=True, **{f"data-{name}": t(text) for name, text in WORDS.items()})
