"""An alert's words in every language of the interface.

A raiser says what to write as a function of the language (`Words`: language -> title, body). The store keeps the
installation's language in the alert's `title` and `body`, which its messages carry, and every language the pages
speak in `texts`; a page shows the reader's (`for_reader`). An alert raised with plain text has no `texts`: every
reader reads its title and body as written.
"""

from __future__ import annotations

from collections.abc import Callable

from pantau.i18n import LANGUAGES

Words = Callable[[str], tuple[str, str]]
TITLE_LENGTH = 200
"""The longest title the store keeps (`alerts.title`)."""


def in_every_language(words: Words) -> dict[str, list[str]]:
    """``{lang: [title, body]}`` for each language of the interface."""
    return {lang: [title[:TITLE_LENGTH], body] for lang in LANGUAGES for title, body in [words(lang)]}


def for_reader(title: str, body: str, texts: dict | None, lang: str) -> tuple[str, str]:
    """The title and body in ``lang`` where the alert holds them, else as written."""
    if texts and lang in texts:
        said_title, said_body = texts[lang]
        return said_title, said_body
    return title, body
