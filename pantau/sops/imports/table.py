"""Finding the SOP table (Permenpan RB 35/2012) among a document's rows: its two header rows (No, Kegiatan,
the Pelaksana columns, Mutu Baku: Kelengkapan, Waktu, Output, and Keterangan) and the numbered rows below.

A document may hold several such tables, one per procedure (flow). A row with fewer cells than the header
(converters drop empty cells) is aligned from both ends: No and Kegiatan from the left, Mutu Baku and
Keterangan from the right; its Pelaksana cells can then not be told apart and it is marked `misaligned`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .source import SopDocumentError, SourceRow

_LABELS = {
    "number": ("no", "no.", "nomor", "no urut"),
    "activity": ("kegiatan", "aktivitas", "uraian kegiatan", "uraian", "uraian prosedur", "prosedur"),
    "performers": ("pelaksana",),
    "standard": ("mutu baku",),
    "equipment": ("kelengkapan", "persyaratan/perlengkapan", "persyaratan / perlengkapan", "persyaratan",
                  "perlengkapan"),
    "time": ("waktu",),
    "output": ("output",),
    "notes": ("keterangan", "ket", "ket."),
}
_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_RIGHT = ("equipment", "time", "output", "notes")


def label(text: str) -> str | None:
    """Which header a cell's words name, if any."""
    words = " ".join(text.lower().replace("*", "").split()).rstrip(":").strip()
    return next((name for name, options in _LABELS.items() if words in options), None)


@dataclass(frozen=True)
class Header:
    """The columns of one SOP table: index of each field, and the Pelaksana columns by index and name."""

    where: str
    width: int
    columns: dict[str, int]
    performers: tuple[tuple[int, str], ...]
    span: tuple[int, int]
    """The first Pelaksana column and the one after the last (named or not)."""


@dataclass(frozen=True)
class TableRow:
    """One numbered row of an SOP table, its fields read by the header's columns."""

    source: SourceRow
    number: int | None
    activity: str
    marks: dict[str, str]
    """Pelaksana column name -> the cell's words, for each non-empty Pelaksana cell."""
    equipment: str
    time: str
    output: str
    notes: str
    misaligned: bool = False
    unnamed_marks: tuple[str, ...] = ()


@dataclass
class SopTable:
    """One SOP table: its header, its rows, the line just above it (a flow's title) and loose words after it."""

    header: Header
    title: str | None
    rows: list[TableRow] = field(default_factory=list)
    after: list[SourceRow] = field(default_factory=list)


def find_tables(path: Path, rows: list[SourceRow]) -> list[SopTable]:
    """Every SOP table among `rows`; SopDocumentError when there is none or one lacks a needed column."""
    tables: list[SopTable] = []
    index = 0
    while index < len(rows):
        if not any(label(cell) == "performers" for cell in rows[index].cells):
            index += 1
            continue
        header = _header(path, rows, index)
        table = SopTable(header, _title(rows, index))
        index += 2
        while index < len(rows) and not any(label(cell) == "performers" for cell in rows[index].cells):
            row = rows[index]
            if not _same_table(row, rows[index - 1]) or (len(row.cells) < 3 and row.text):
                break
            if row.table is None and row.text and not _NUMBER.match(row.cells[header.columns["number"]]
                                                                    if len(row.cells) > header.columns["number"]
                                                                    else ""):
                break
            if row.text:
                table.rows.append(_row(path, header, row))
            index += 1
        while index < len(rows) and len(table.after) < 6 and len(rows[index].cells) < 3:
            if any(label(cell) == "performers" for cell in rows[index].cells):
                break
            if rows[index].text:
                table.after.append(rows[index])
            index += 1
        tables.append(table)
    if not tables:
        raise SopDocumentError(path, None, "Pelaksana",
                               "no SOP table found: no header row with a 'Pelaksana' column")
    return tables


def _same_table(row: SourceRow, previous: SourceRow) -> bool:
    return row.table is None or previous.table is None or row.table == previous.table


def _header(path: Path, rows: list[SourceRow], index: int) -> Header:
    first = rows[index].cells
    second = rows[index + 1].cells if index + 1 < len(rows) else ()
    width = max(len(first), len(second))
    columns: dict[str, int] = {}
    for row in (second, first):
        for position, cell in enumerate(row):
            name = label(cell)
            if name and name not in columns:
                columns[name] = position
    for needed, title in (("activity", "Kegiatan"), ("time", "Waktu")):
        if needed not in columns:
            raise SopDocumentError(path, rows[index].where, title,
                                   "the SOP table's header has no '{column}' column", column=title)
    start = columns["performers"]
    stop = columns.get("standard", columns.get("equipment", columns["time"]))
    stop = min([stop] + [columns[name] for name in _RIGHT if name in columns and columns[name] > start])
    performers = tuple((position, second[position]) for position in range(start, stop)
                       if position < len(second) and second[position] and not label(second[position]))
    if not performers:
        raise SopDocumentError(path, rows[index + 1].where if second else rows[index].where, "Pelaksana",
                               "the Pelaksana columns have no names in the header's second row")
    columns.setdefault("number", 0)
    return Header(rows[index].where, width, columns, performers, (start, stop))


def _title(rows: list[SourceRow], index: int) -> str | None:
    for row in reversed(rows[max(0, index - 4):index]):
        if row.text:
            return row.text if len(row.cells) <= 2 else None
    return None


def _row(path: Path, header: Header, row: SourceRow) -> TableRow:
    cells = list(row.cells)
    while len(cells) > header.width and not cells[-1]:
        cells.pop()
    misaligned = len(cells) != header.width
    if len(cells) > header.width:
        raise SopDocumentError(path, row.where, None,
                               "the row has {cells} cells where the table's header has {width}",
                               cells=len(cells), width=header.width)

    def cell(name: str) -> str:
        position = header.columns.get(name)
        if position is None:
            return ""
        if name in _RIGHT and misaligned:
            position = len(cells) - (header.width - position)
            return cells[position] if 0 <= position < len(cells) and position > header.columns["activity"] else ""
        return cells[position] if position < len(cells) else ""

    marks: dict[str, str] = {}
    unnamed: list[str] = []
    if not misaligned:
        named = dict(header.performers)
        for position in range(*header.span):
            if cells[position] and position in named:
                marks[named[position]] = cells[position]
            elif cells[position]:
                unnamed.append(cells[position])
    else:
        right = len(cells) - (header.width - header.span[1])
        unnamed = [text for text in cells[header.columns["activity"] + 1:right] if text]
    number_text = cell("number")
    number = _NUMBER.match(number_text)
    activity = cell("activity")
    if not activity:
        raise SopDocumentError(path, row.where, "Kegiatan", "the row has no activity")
    return TableRow(row, int(number[1]) if number else None, activity, marks, cell("equipment"), cell("time"),
                    cell("output"), cell("notes"), misaligned, tuple(unnamed))
