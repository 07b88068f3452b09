"""CSV and XLSX downloads; XLSX written by rust_xlsxwriter (through `rustpy-xlsxwriter`) straight from the frames.

Both are safe to open in a spreadsheet (OWASP "CSV injection"): text that a spreadsheet would take for a
formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, e.g. a payer named
`=HYPERLINK("http://x","klik")`) is written as text. In a CSV it gets a leading `'`; in an XLSX every text
cell is a string cell (never a formula) and text columns carry Excel's quote prefix, so editing such a cell
does not turn it into a formula either.

A sheet of 1,400 open steps costs about 15 ms this way; openpyxl's write-only mode took 160 ms and
XlsxWriter 90 ms (both build a Python object per cell), which made the SLA page's download the one
callback whose time grew with the campus. The writer leaves a column it cannot type empty (Decimals,
times, categories), so columns are handed to it as numbers, text, booleans, dates or naive datetimes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
from dash import dcc
from rustpy_xlsxwriter import Format, write_worksheets

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
WRITABLE = {"string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "date", "datetime"}
"""Kinds of Python values (`pandas.api.types.infer_dtype`) the writer stores as they are."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula (OWASP)."""


def defuse(value: object) -> object:
    """Text a spreadsheet would take for a formula, made plain text with a leading `'`; anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and column name) passed through `defuse`."""
    columns = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            values = values.map(defuse, na_action="ignore")
        columns[defuse(column)] = values
    return pd.DataFrame(columns, index=frame.index)


def csv_download(frame: pd.DataFrame, filename: str) -> dict:
    """A `dcc.Download` payload of the frame as CSV (UTF-8, no index), formulas defused."""
    return dcc.send_data_frame(defused(frame).to_csv, filename, index=False)


def xlsx(sheets: Mapping[str, pd.DataFrame], *, formats: Mapping[str, Mapping[str, str]] | None = None,
         widths: Mapping[str, list[float]] | None = None) -> bytes:
    """One sheet per frame, in order: a bold header row of the column names, frozen, then the values (empty
    for missing ones; Decimals as numbers, datetimes and dates as Excel dates, so datetimes must be
    naive; other objects as their text). `formats` gives Excel number formats by sheet and column (else
    whole numbers, days and text are told apart by their values); `widths` the columns' widths by sheet."""
    frames = {name: _writable(name, frame) for name, frame in sheets.items()}
    column_formats = {}
    for name, frame in frames.items():
        chosen = _column_formats(frame)
        for column, number_format in ((formats or {}).get(name) or {}).items():
            chosen[column] = Format().set_num_format(number_format)
        column_formats[name] = chosen
    buffer = io.BytesIO()
    write_worksheets(list(frames.items()), buffer, bold_headers=True, datetime_format=DATETIME_FORMAT,
                     column_formats=column_formats, freeze_panes={"general": {"row": 1, "col": 0}},
                     column_widths={name: list(w) for name, w in (widths or {}).items()} or None)
    return buffer.getvalue()


def _writable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            raise ValueError(f"sheet {name!r}, column {column!r}: datetimes must be naive (local time)")
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if values.dtype == object:
            kind = pd.api.types.infer_dtype(values, skipna=True)
            if kind == "decimal":
                values = values.astype(float)
            elif kind not in WRITABLE:
                values = values.astype(str).where(values.notna(), None)
        columns[column] = values
    return pd.DataFrame(columns, index=frame.index)


def _column_formats(frame: pd.DataFrame) -> dict[str, Format]:
    """Columns of calendar days (Python dates, which pandas keeps as objects) shown without a time; whole
    numbers without decimals; text columns with the quote prefix (kept as text even when a cell is edited)."""
    formats = {}
    for column in frame.columns:
        if pd.api.types.is_integer_dtype(frame[column].dtype):
            formats[str(column)] = Format().set_num_format("0")  # whole numbers (years, counts), never 2023.0
            continue
        if frame[column].dtype != object:
            if pd.api.types.is_string_dtype(frame[column].dtype):
                formats[str(column)] = Format().set_quote_prefix()
            continue
        first = frame[column].dropna().head(1).tolist()
        if first and isinstance(first[0], date) and not isinstance(first[0], datetime):
            formats[str(column)] = Format().set_num_format(DATE_FORMAT)
        elif first and isinstance(first[0], str):
            formats[str(column)] = Format().set_quote_prefix()
    return formats
