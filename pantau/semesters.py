"""Semester codes as the payment application writes them: ``20261`` is the odd (ganjil) semester of
academic year 2026/2027, ``20262`` its even (genap) one.

The academic year starts in August: August to January is the odd semester, February to July the even one.
"""

from __future__ import annotations

from datetime import date

from pantau.i18n import translate

FIRST_MONTH = 8
EVEN_FIRST_MONTH = 2


def code_of(day: date) -> str:
    """The semester ``day`` falls in: 1 Aug 2026 – 31 Jan 2027 is ``20261``, 1 Feb – 31 Jul 2027 ``20262``."""
    if day.month >= FIRST_MONTH:
        return f"{day.year}1"
    if day.month >= EVEN_FIRST_MONTH:
        return f"{day.year - 1}2"
    return f"{day.year - 1}1"


def label(code: str | None, lang: str = "id") -> str:
    """``20261`` as ``2026/2027 ganjil`` (``odd`` in English); other codes as they are, none as a dash."""
    if not code or len(code) != 5 or not code.isdigit() or code[4] not in "12":
        return code or "–"
    year = int(code[:4])
    return f"{year}/{year + 1} {translate('odd' if code[4] == '1' else 'even', lang)}"
