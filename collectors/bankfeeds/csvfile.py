"""Reading a bank CSV export into text columns with pyarrow, keeping each row's line number."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from .conversions import RawTable
from .errors import FeedError
from .mapping import ColumnMapping
from .source import utf8_lines

SEPARATORS = (";", ",", "\t", "|")
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


def read_csv_table(path: Path, mapping: ColumnMapping) -> RawTable:
    """Read every column as text; rows with the wrong number of fields raise :class:`FeedError`.

    The first ``mapping.skip_rows`` lines (a bank's preamble) and the last ``mapping.skip_footer``
    non-empty lines (totals) are left out; empty lines are skipped but counted. A file that is
    Windows-1252 rather than UTF-8, or has CR-only line endings, is read all the same.
    """
    data = utf8_lines(path.read_bytes().removeprefix(_BOM), mapping.encoding)
    body = _body(path, data, mapping)
    header = _first_line(body)
    if not header.strip():
        raise FeedError(path, mapping.skip_rows + 1, None, None, "no header line")
    header_text = header.decode(mapping.encoding, errors="replace")
    separator = mapping.separator or max(SEPARATORS, key=header_text.count)
    try:
        names = next(csv.reader([header_text], delimiter=separator))
    except csv.Error as exc:
        raise FeedError(path, mapping.skip_rows + 1, None, header_text, "not a CSV header ({detail})",
                        format="csv", detail=str(exc)) from None
    failed: list[pcsv.InvalidRow] = []

    def refuse(row: pcsv.InvalidRow) -> str:
        failed.append(row)
        return "error"

    try:
        table = pcsv.read_csv(
            io.BytesIO(body),
            read_options=pcsv.ReadOptions(encoding=mapping.encoding),
            parse_options=pcsv.ParseOptions(delimiter=separator, invalid_row_handler=refuse),
            convert_options=pcsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if failed:
            row = failed[0]
            at = body.find(row.text.encode(mapping.encoding, errors="replace"))
            line = mapping.skip_rows + body.count(b"\n", 0, at) + 1 if at >= 0 else None
            reason = "expected {expected} fields, found {found}"
            raise FeedError(path, line, None, row.text, reason, expected=row.expected_columns,
                            found=row.actual_columns) from None
        raise FeedError(path, None, None, None, "cannot be read as CSV ({problem})", problem=exc) from None
    columns: dict[str, pa.Array] = {}
    for index, name in enumerate(table.column_names):
        columns.setdefault(name, table.column(index).combine_chunks())
    lines = body.count(b"\n") + (bool(body) and not body.endswith(b"\n"))
    blanks = np.empty(0, dtype=np.int64) if lines == table.num_rows + 1 else _blank_lines(body)
    return RawTable(
        columns=columns,
        lines=_line_numbers(blanks, np.arange(1, table.num_rows + 1)) + mapping.skip_rows,
        header_line=int(_line_numbers(blanks, np.array([0]))[0]) + mapping.skip_rows,
        lines_read=data.count(b"\n") + (not data.endswith(b"\n")),
    )


def _body(path: Path, data: bytes, mapping: ColumnMapping) -> bytes:
    start = 0
    for _ in range(mapping.skip_rows):
        start = data.find(b"\n", start) + 1
        if start == 0:
            reason = "fewer than {count} lines to skip"
            raise FeedError(path, None, None, None, reason, count=mapping.skip_rows)
    end = len(data)
    for _ in range(mapping.skip_footer):
        while end > start and data[end - 1] in _WHITESPACE:
            end -= 1
        end = data.rfind(b"\n", start, end) + 1 or start
    return data[start:end]


def _first_line(body: bytes) -> bytes:
    """The first line that is not empty."""
    start = 0
    while start < len(body):
        end = body.find(b"\n", start)
        end = len(body) if end < 0 else end
        if body[start:end].strip():
            return body[start:end]
        start = end + 1
    return b""


def _blank_lines(body: bytes) -> np.ndarray:
    """Numbers (from 1) of the empty lines before the last non-empty one; pyarrow skips them."""
    if not (b"\n\n" in body or b"\n\r\n" in body or body.startswith((b"\n", b"\r\n"))):
        return np.empty(0, dtype=np.int64)
    last = len(body.rstrip(_WHITESPACE))
    blanks, line, previous = [], 1, 0
    for match in re.finditer(rb"(?m)^\r?$", body):
        if match.start() >= last:
            break
        line += body.count(b"\n", previous, match.start())
        previous = match.start()
        blanks.append(line)
    return np.asarray(blanks, dtype=np.int64)


def _line_numbers(blanks: np.ndarray, sequence: np.ndarray) -> np.ndarray:
    """Line numbers of the non-empty lines with the given positions (header 0, first row 1, ...)."""
    shifted = blanks - np.arange(len(blanks), dtype=np.int64)
    return sequence + 1 + np.searchsorted(shifted, sequence + 1, side="right")
