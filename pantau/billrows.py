"""A refused bill row in words (issue 19): where it is and why, as `pantau sync bills`, `pantau import bills`
and the sources page's list of rows set aside say it.

The bill sources' readers (`collectors.bills`) name a row and give a reason as English text, kept so in the
store (`bill_quarantine`) and in `--json`; these are the templates that text is made from, said in the reader's
language with :class:`pantau.phrases.Phrases`.
"""

from __future__ import annotations

import re

from .i18n import translate
from .phrases import Phrases

PLACES = Phrases("{file} line {number}", "row {number}", "{file} header", "header", "all rows", "bill {key} ({copy})",
                 "bill {key}", values={"copy": lambda copy, lang: re.sub(
                     r"^copy (\d+)$", lambda found: translate("copy {number}", lang, number=found[1]), copy)})
"""Where a row is: a file's line, a database source's row (or bill), the header, the source as a whole."""


def _kinds(kinds: str, lang: str) -> str:
    return re.sub(r"\((\d+) in all\)", lambda found: translate("({count} in all)", lang, count=found[1]), kinds)

REASONS = Phrases(
    "required value missing",
    "longer than {limit} characters",
    "not a bank code (bni, bri, mandiri, bsi...: letters, digits and _)",
    "not a bill kind (or one switched off); expected one of {kinds} (the admin page's bill kinds, or "
    "[[bill_kinds]] in the configuration)",
    "not an amount (1500000, 1500000.00 or 1.500.000,00)",
    "not an amount",
    "negative amount",
    "not a paid flag (1/0, ya/tidak, lunas/belum)",
    "not a date ({formats})",
    "not a date and time ({formats}, a time HH:MM[:SS] may follow, or ISO 8601)",
    "not a year",
    "not a plausible intake year",
    "the same bill number twice in one sync: {first} and {second}",
    "column missing; the source gives {found}",
    "column missing; the file gives {found}",
    "cannot be read ({error})",
    "the source gave no bills at all; not marking every bill deleted (allow_empty)",
    "{bad} of {total} rows are bad ({share} %), more than max_bad_percent {limit} %; nothing was synced. "
    "First: {first}",
    values={"first": PLACES.say, "second": PLACES.say, "kinds": _kinds},
)
"""Why a row or a source was refused (``collectors.bills.records`` and its neighbours make these)."""


def place_words(row: str, lang: str) -> str:
    """A row's place in `lang` ('tagihan.csv baris 3', 'baris 5', 'semua baris')."""
    return PLACES.say(row, lang)


def reason_words(reason: str, lang: str) -> str:
    """Why a row was refused, in `lang`."""
    return REASONS.say(reason, lang)


def row_words(row: str, column: str | None, value: object, reason: str, lang: str, query: str | None = None) -> str:
    """One refused row on one line: the query it came from, its place, the source's column and value, and why."""
    parts = [translate(query, lang)] if query else []
    parts.append(place_words(row, lang))
    if column:
        parts.append(translate("column {name}", lang, name=column))
    if value is not None:
        parts.append(translate("value {value}", lang, value=repr(str(value)[:80])))
    return f"{', '.join(parts)}: {reason_words(reason, lang)}"
