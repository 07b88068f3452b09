"""An SOP document's places and a draft's fields in words (`sopimport.po`): what the import page and
`pantau sop import` say instead of `table 1 row 5` or `document_number`."""

from __future__ import annotations

import re

from pantau.i18n import translate

FIELD_NAMES = {"performer": "Executor", "time": "Standard time", "decision": "Decision",
               "outside_party": "Outside party", "number": "Number", "key": "Key", "name": "SOP name",
               "institution": "Institution", "document_number": "Document number", "code": "Code",
               "unit": "Accountable unit", "Waktu": "Standard time", "Pelaksana": "Executor"}
"""A draft's field (or the document's column it is read from) as its English message id."""


def place_words(text: str, lang: str) -> str:
    """A source location ('line 24', 'table 1 row 5', 'paragraph 3') in `lang`; anything else as it is."""
    match = re.fullmatch(r"table (\d+) row (\d+)", text)
    if match:
        return translate("table {table} row {row}", lang, table=match[1], row=match[2])
    match = re.fullmatch(r"(line|paragraph) (\d+)", text)
    return translate(f"{match[1]} {{number}}", lang, number=match[2]) if match else text


def field_words(field: str, lang: str) -> str:
    """A draft's field in `lang` (`document_number` -> "Nomor dokumen"); an unknown one as it is."""
    return translate(FIELD_NAMES.get(field, field), lang)
