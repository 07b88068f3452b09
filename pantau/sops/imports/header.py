"""The document's particulars around the SOP table: number, dates, name, institution and warnings.

SOP documents lay these out as label and value in neighbouring cells, in one cell ("No. Dok : X"), or as a
label on one line and its value in the same column of the next. Whatever is not found stays empty, for the
reviewer to fill in.
"""

from __future__ import annotations

import re
from datetime import date

from .source import SourceRow

_MONTHS = {name: number for number, names in enumerate((
    ("januari", "jan"), ("februari", "feb", "pebruari"), ("maret", "mar"), ("april", "apr"), ("mei",),
    ("juni", "jun"), ("juli", "jul"), ("agustus", "agu", "agt"), ("september", "sep", "sept"),
    ("oktober", "okt"), ("november", "nov", "nopember"), ("desember", "des")), 1) for name in names}
_LABELS = {
    "document_number": ("nomor sop", "no. sop", "no sop", "no. dok", "no dok", "nomor dokumen", "nomor", "no."),
    "created": ("tanggal pembuatan", "tgl pembuatan", "tgl. pembuatan", "tgl. diterbitkan", "tanggal diterbitkan"),
    "effective": ("tanggal efektif", "tgl efektif", "tgl. efektif"),
    "name": ("nama sop", "nama prosedur"),
    "warnings": ("peringatan",),
}
_INSTITUTION = re.compile(r"\b(POLTEKKES|POLITEKNIK|UNIVERSITAS|INSTITUT|SEKOLAH TINGGI|AKADEMI)\b[^\t]*",
                          re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")


def indonesian_date(text: str) -> date | None:
    """"5 Januari 2017" -> 2017-01-05; None for "-" or anything else."""
    match = _DATE.search(text or "")
    month = _MONTHS.get(match[2].lower()) if match else None
    if not match or not month:
        return None
    try:
        return date(int(match[3]), month, int(match[1]))
    except ValueError:
        return None


def particulars(rows: list[SourceRow]) -> dict:
    """What the rows before the SOP table say: {name, institution, document_number, created, effective, warnings}."""
    found: dict[str, str] = {}
    for index, row in enumerate(rows):
        pieces = [(column, last, piece) for column, cell in enumerate(row.segments or [(c,) for c in row.cells])
                  for last, piece in ((n == len(cell) - 1, p) for n, p in enumerate(cell))]
        for position, (column, last, piece) in enumerate(pieces):
            for field, value in _label_value(piece):
                if field in found:
                    continue
                if not value and last and field == "warnings":
                    value = _below(rows, index, column)
                value = value or _next_value(pieces, position) or _below(rows, index, column)
                if value:
                    found[field] = value
    result: dict = {"name": found.get("name") or _title_line(rows), "institution": _institution(rows),
                    "document_number": found.get("document_number", "").split(" ")[0] or None,
                    "created": indonesian_date(found.get("created", "")),
                    "effective": indonesian_date(found.get("effective", "")),
                    "warnings": [found["warnings"]] if found.get("warnings") else []}
    return result


def _label_value(piece: str):
    words = piece.strip()
    low = words.lower()
    for field, labels in _LABELS.items():
        for name in labels:
            if low == name or low.rstrip(" :") == name:
                yield field, ""
            elif low.startswith(name) and len(low) > len(name) and not low[len(name)].isalpha():
                rest = words[len(name):].lstrip(" :.").strip()
                if field in ("name", "warnings") and not low[len(name):].lstrip().startswith(":"):
                    continue
                yield field, rest


def _next_value(pieces: list[tuple[int, bool, str]], position: int) -> str:
    for _, _, piece in pieces[position + 1:position + 2]:
        if not any(True for _ in _label_value(piece)):
            return piece
    return ""


def _below(rows: list[SourceRow], index: int, column: int) -> str:
    for row in rows[index + 1:index + 3]:
        if column < len(row.cells) and row.cells[column]:
            return row.cells[column]
    return ""


def _title_line(rows: list[SourceRow]) -> str | None:
    for row in rows:
        text = row.text.strip("* ")
        if re.match(r"^(PROSEDUR|SOP|STANDAR OPERASIONAL)\b", text, re.IGNORECASE) and len(row.cells) == 1:
            return text
    return None


def _institution(rows: list[SourceRow]) -> str | None:
    pieces = [piece for row in rows for cell in row.segments or [(c,) for c in row.cells] for piece in cell]
    for match in (_INSTITUTION.match(piece.strip("* ")) for piece in pieces):
        if match:
            return match[0].strip(" *")
    return next((match[0].strip(" *") for match in map(_INSTITUTION.search, pieces) if match), None)
