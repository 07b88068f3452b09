"""Message catalogues: English message ids, Indonesian (the default) from gettext `.po` files via Babel.

Every `.po` file under `pantau/locale/<lang>/LC_MESSAGES/` is read and merged, so each subject keeps its
own catalogue file. Missing translations fall back to the English text.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from . import formatting

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The merged translations of one language (empty for English, the source language)."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message.string
    return merged


def translate(text: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Translate `text` into `lang` and fill its `{placeholders}`."""
    translated = catalogue(lang).get(text, text) if lang in LANGUAGES else text
    return translated.format(**values) if values else translated


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


class Count(int):
    """A quantity a refusal shows in the reader's number format (`100.000`, `100,000`)."""


class Word(str):
    """A refusal's value that is itself a message id (a field's name, a state): translated with the refusal."""


class Refusal(ValueError):
    """A refusal whose words a page can translate: the English message id and its values kept apart
    (`str()` is the English text, for logs). Values that are dates, `Count`s or `Word`s are shown in the
    reader's language too."""

    def __init__(self, message: str, **values: object):
        super().__init__(message.format(**_shown(values, "en")) if values else message)
        self.message, self.values = message, values

    def say(self, lang: str) -> str:
        """The refusal in `lang`."""
        return translate(self.message, lang, **_shown(self.values, lang))


def _shown(values: dict[str, object], lang: str) -> dict[str, object]:
    def one(value: object) -> object:
        if isinstance(value, Word):
            return translate(value, lang)
        if isinstance(value, Count):
            return formatting.number(int(value), lang)
        if isinstance(value, date) and not isinstance(value, datetime):
            return formatting.day(value, lang)
        return value

    return {key: one(value) for key, value in values.items()}


def refusal_words(error: Exception, lang: str) -> str:
    """What a refused request tells the reader: a `Refusal` in `lang`, another error's text through the catalogue."""
    return error.say(lang) if isinstance(error, Refusal) else translate(str(error), lang)
