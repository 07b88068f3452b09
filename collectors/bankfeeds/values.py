"""Value normalisation shared by the parsers: money, VA numbers, references and narratives.

Free-text narratives (MT940 ``:86:``, camt ``Ustrd``, a CSV description) are searched for labelled
numbers only, because account numbers and VA numbers look alike:

* VA: ``VA``, ``NO VA``, ``NO. VA``, ``VIRTUAL ACCOUNT``, ``BRIVA`` or ``/VA/`` followed by 8-20
  digits, e.g. ``PEMBAYARAN VA 9880012300001234`` or ``/VA/9880012300001234/``.
* Payment reference: ``NTB`` or ``JOURNAL SEQ`` (also ``/NTB/``) followed by 4-32 letters or digits,
  e.g. ``NTB 233171`` or ``NTB:000233171``.

An MT940 ``:86:`` may come in ``?NN`` subfields instead (``051?00SETORAN?20PEMBAYARAN VA 98800123?21...``);
:func:`structured_narrative` turns it into the same plain narrative first.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .entry import CENT

_LABEL_SEP = r"[\s:#./=-]*"
VA_PATTERN = re.compile(
    rf"(?:\b(?:NO{_LABEL_SEP})?VA|\bVIRTUAL\s*ACC(?:OUNT)?|\bBRIVA){_LABEL_SEP}(?P<va>\d{{8,20}})\b",
    re.IGNORECASE,
)
PAYMENT_REF_PATTERN = re.compile(
    rf"\b(?:NTB|JOURNAL\s*SEQ){_LABEL_SEP}(?P<ref>[A-Z0-9]{{4,32}})\b",
    re.IGNORECASE,
)
_PLAIN_MONEY = re.compile(r"^\d+(?:\.\d{1,2})?$")
_STRUCTURED = re.compile(r"^\s*(?:\d{3})?\?\d{2}")
_SUBFIELD = re.compile(r"\?(\d{2})")
_NARRATIVE_CODES = frozenset({*map(str, range(20, 30)), "60", "61", "62", "63"})
_PAYER_CODES = frozenset({"32", "33"})
_SUBFIELD_WIDTH = 27


def normalize_va(value: object) -> str | None:
    """A VA number without the spaces SNAP pads ``partnerServiceId`` with; ``None`` when empty."""
    if value is None:
        return None
    text = re.sub(r"\s+", "", str(value))
    return text or None


def normalize_ref(value: object) -> str | None:
    """A payment reference trimmed and upper-cased, numeric ones without leading zeros."""
    if value is None:
        return None
    text = str(value).strip().upper()
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text or None


def va_from_text(text: str | None) -> str | None:
    """The labelled VA number in a narrative, if any."""
    match = VA_PATTERN.search(text or "")
    return match.group("va") if match else None


def payment_ref_from_text(text: str | None) -> str | None:
    """The labelled NTB or journal sequence in a narrative, normalised, if any."""
    match = PAYMENT_REF_PATTERN.search(text or "")
    return normalize_ref(match.group("ref")) if match else None


def plain_money(value: object) -> Decimal:
    """Parse an H2H amount: digits with an optional dot and up to two decimals (``"1500000.00"``).

    JSON numbers are accepted as well. Raises ``ValueError`` with the reason on anything else.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    if not _PLAIN_MONEY.match(text):
        raise ValueError("not a number (digits with an optional '.' and two decimals)")
    return Decimal(text).quantize(CENT)


def swift_money(text: str) -> Decimal:
    """Parse a SWIFT amount: digits with an optional comma and decimals (``1500000`` or ``1500000,00``)."""
    if not re.fullmatch(r"\d+(?:,\d{0,2})?", text):
        raise ValueError("not a number (digits with an optional ',' and up to two decimals)")
    try:
        return Decimal(text.replace(",", ".").rstrip(".") or "0").quantize(CENT)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc


def structured_narrative(text: str) -> tuple[str, str | None] | None:
    """An MT940 ``:86:`` of ``?NN`` subfields as (narrative, payer), ``None`` when it is free text.

    The narrative joins ``?20``-``?29`` and ``?60``-``?63``, the payer ``?32`` and ``?33``; the
    business code before the first ``?`` and the other subfields (``?00`` booking text, ``?10``,
    ``?30``/``?31`` bank and account, ``?34``) are left out. Line breaks inside the field are not
    part of the text. A subfield filled to its 27 characters runs on into the next one (a number
    may be cut there); a shorter one ends a phrase, so a space follows it.
    """
    if not _STRUCTURED.match(text):
        return None
    parts = _SUBFIELD.split("".join(text.splitlines()))
    subfields = list(zip(parts[1::2], parts[2::2]))
    narrative = _join_subfields([value for code, value in subfields if code in _NARRATIVE_CODES])
    payer = _join_subfields([value for code, value in subfields if code in _PAYER_CODES])
    return narrative, payer or None


def _join_subfields(values: list[str]) -> str:
    pieces = []
    for index, value in enumerate(values):
        if index and len(values[index - 1]) < _SUBFIELD_WIDTH:
            pieces.append(" ")
        pieces.append(value)
    return " ".join("".join(pieces).split())
