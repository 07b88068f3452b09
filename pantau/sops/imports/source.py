"""Reading an SOP document into rows of cells: a .docx (python-docx), an HTML page, or the tab-separated
text that document converters produce.

Every row says where it came from (`line 23` of a text file, `table 2 row 5` of a .docx or HTML table,
`paragraph 7` outside a table), so an error or a review note can point at it.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

from pantau.i18n import Refusal

SHAPE = "[bentuk]"
"""The text a .docx cell gets for a drawn shape without text: a flowchart symbol marks its Pelaksana column."""

_BLOCKS = re.compile(r"</?(p|br|li|ol|ul|div|tr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:])")


class SopDocumentError(Refusal):
    """A document that cannot be read as an SOP, naming the file, where in it (line or row) and the document's
    column; the reason is an English message id with its values (`say`), `str()` the whole in English."""

    def __init__(self, path: Path | str, where: str | None, field: str | None, message: str, **values: object):
        super().__init__(message, **values)
        self.path, self.where, self.field = Path(path), where, field
        place = ", ".join(part for part in (Path(path).name, where, f"field {field}" if field else None) if part)
        self.args = (f"{place}: {self.args[0]}",)


@dataclass(frozen=True)
class SourceRow:
    """One row of the document: a text line, a table row, or a paragraph outside any table."""

    where: str
    cells: tuple[str, ...]
    table: int | None = None
    segments: tuple[tuple[str, ...], ...] = ()
    """Each cell's paragraphs (`<p>`, line breaks), for labels whose value is the next paragraph."""

    @property
    def text(self) -> str:
        return " ".join(cell for cell in self.cells if cell)


def clean(text: str) -> str:
    """One cell's words: markup removed, entities decoded, spaces collapsed, none before a stop."""
    text = html.unescape(_TAGS.sub(" ", text)).replace("\\rightarrow", "→")
    return _SPACE_BEFORE_STOP.sub(r"\1", " ".join(text.replace("\xa0", " ").split()))


def _segments(raw: str) -> tuple[str, ...]:
    return tuple(part for part in (clean(piece) for piece in _BLOCKS.split(raw)[::2]) if part)


def read_rows(path: Path, data: bytes | None = None) -> list[SourceRow]:
    """The rows of the document at `path` (or of `data`, named by `path`), by its suffix: .docx, .htm(l), else text."""
    try:
        raw = path.read_bytes() if data is None else data
    except OSError as error:
        raise SopDocumentError(path, None, None, "cannot read: {reason}",
                               reason=error.strerror or str(error)) from None
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_rows(path, raw)
    if suffix in (".html", ".htm"):
        return _html_rows(path, raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SopDocumentError(path, _line_of(raw, error.start), None, "not UTF-8 text") from None
    return [SourceRow(f"line {number}", tuple(clean(cell) for cell in line.split("\t")), None,
                      tuple(_segments(cell) for cell in line.split("\t")))
            for number, line in enumerate(text.splitlines(), 1)]


def _line_of(raw: bytes, offset: int) -> str:
    return f"line {raw.count(10, 0, offset) + 1}"


def _html_rows(path: Path, raw: bytes) -> list[SourceRow]:
    try:
        root = lxml.html.document_fromstring(raw)
    except (lxml.etree.ParserError, ValueError):
        raise SopDocumentError(path, None, None, "not an HTML document") from None
    rows: list[SourceRow] = []
    tables = 0
    for element in root.iter("table", "p", "h1", "h2", "h3", "h4", "li"):
        if element.tag == "table":
            if any(parent.tag == "table" for parent in element.iterancestors()):
                continue
            tables += 1
            rows += _html_table(element, tables)
        elif not any(parent.tag in ("table", "li") for parent in element.iterancestors()):
            text = clean(element.text_content())
            if text:
                rows.append(SourceRow(f"paragraph {len(rows) + 1}", (text,), None, ((text,),)))
    return rows


def _html_table(table, number: int) -> list[SourceRow]:
    """A table's rows with colspan as empty cells after the text and rowspan as empty cells below it."""
    pending: dict[int, int] = {}
    rows = []
    for index, tr in enumerate((tr for tr in table.iter("tr") if _owner(tr) is table), 1):
        cells: list[str] = []
        segments: list[tuple[str, ...]] = []
        column = 0
        for td in (cell for cell in tr if cell.tag in ("td", "th")):
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                cells.append("")
                segments.append(())
                column += 1
            raw = lxml.html.tostring(td, encoding="unicode")
            span, down = _span(td.get("colspan")), _span(td.get("rowspan"))
            cells += [clean(td.text_content())] + [""] * (span - 1)
            segments += [_segments(raw)] + [()] * (span - 1)
            for offset in range(span):
                if down > 1:
                    pending[column + offset] = down - 1
            column += span
        rows.append(SourceRow(f"table {number} row {index}", tuple(cells), number, tuple(segments)))
    return rows


def _owner(tr):
    return next(parent for parent in tr.iterancestors() if parent.tag == "table")


def _span(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() and 0 < int(value) < 100 else 1


def _docx_rows(path: Path, raw: bytes) -> list[SourceRow]:
    import io

    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, lxml.etree.XMLSyntaxError):
        raise SopDocumentError(path, None, None, "not a .docx document") from None
    rows: list[SourceRow] = []
    tables = paragraphs = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            for index, tr in enumerate(block._tbl.tr_lst, 1):
                cells: list[str] = []
                segments: list[tuple[str, ...]] = []
                for tc in tr.tc_lst:
                    text, parts = _docx_cell(tc)
                    span = tc.grid_span or 1
                    cells += [text] + [""] * (span - 1)
                    segments += [parts] + [()] * (span - 1)
                rows.append(SourceRow(f"table {tables} row {index}", tuple(cells), tables, tuple(segments)))
        else:
            paragraphs += 1
            text = clean(block.text)
            if text:
                rows.append(SourceRow(f"paragraph {paragraphs}", (text,), None, ((text,),)))
    return rows


def _docx_cell(tc) -> tuple[str, tuple[str, ...]]:
    """A cell's text and paragraphs; a vertically merged continuation is empty, a shape alone is `SHAPE`."""
    if tc.vMerge == "continue":
        return "", ()
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = tuple(text for text in (clean("".join(node.text or "" for node in p.iter(f"{namespace}t")))
                                    for p in tc.iter(f"{namespace}p")) if text)
    if not parts and any(node.tag.endswith(("}drawing", "}pict")) for node in tc.iter()):
        return SHAPE, (SHAPE,)
    return " ".join(parts), parts
