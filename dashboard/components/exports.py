"""Downloads as a person reads them, or as another system does: one column list per table, two header modes.

By default a download speaks the reader's language: headers in words ("Nomor VA", "Jumlah (Rp)"), codes in
words (kinds, states, roles, semesters as "2026/2027 Ganjil"), and in XLSX typed cells: Rupiah as numbers in a
Rupiah format, dates and times as Excel dates in the campus's zone, counts as whole numbers, shares as
percentages, a bold frozen header and columns as wide as their content. The "machine columns" switch beside the
buttons gives what a campus feeding another system wants instead: stable snake_case headers (the column keys,
which never change with the language or a rewording) and the codes themselves, as Shopify's "plain CSV" beside
its "CSV for Excel" does. The switch remembers its choice in the browser, since a campus that feeds a system
downloads the same way every time.

The writers (`workbook.csv_download`, `workbook.xlsx`) keep defusing formula text (OWASP CSV injection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from .. import context
from .workbook import csv_download, xlsx

TEXT, RUPIAH, DATE, DATETIME, COUNT, WHOLE, PERCENT, HOURS, FLAG = (
    "text", "rupiah", "date", "datetime", "count", "whole", "percent", "hours", "flag")
"""Column kinds. COUNT is shown with thousands separators, WHOLE (years, numbers of steps, ids) without;
HOURS columns hold seconds: machine headers keep them, human ones show hours."""

HUMAN_FORMATS = {RUPIAH: '"Rp" #,##0', DATE: "d mmm yyyy", DATETIME: "d mmm yyyy hh:mm", COUNT: "#,##0",
                 WHOLE: "0", PERCENT: "0.0%", HOURS: "#,##0.0"}
MACHINE_FORMATS = {RUPIAH: "0", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", COUNT: "0", WHOLE: "0",
                   PERCENT: "0.0%", HOURS: "0"}
"""Excel number formats by kind. Excel shows the separators of the reader's own locale (`1.500.000` in an
Indonesian Excel), and month names in its language."""
WIDTHS = {DATE: 12, DATETIME: 17, WHOLE: 8}
MAX_WIDTH, SAMPLE = 60, 2000


@dataclass(frozen=True)
class Column:
    """A column of a download: `key` is the frame's column and the machine header; `title` the English id of
    the human header; `words` a code in words for the human mode, either a function of the value or the name
    of a frame column that holds the words (falling back to the code)."""

    key: str
    title: str
    kind: str = TEXT
    words: Callable[[object], str] | str | None = None


@dataclass(frozen=True)
class Sheet:
    """One table of a download: its key (the machine sheet name), its title (the human one), rows, columns."""

    key: str
    title: str
    frame: pd.DataFrame
    columns: Sequence[Column]


def controls(csv_id: str, xlsx_id: str, machine_id: str, download_id: str, *, words: bool = False) -> html.Div:
    """The CSV and XLSX buttons, the machine-columns switch and the download target; `words` labels the buttons
    "Unduh CSV" rather than "CSV"."""
    t = context.t
    button = dict(color="secondary", outline=True, size="sm")
    return html.Div([
        dbc.Button([html.I(className="bi bi-download me-1"), t("Download CSV") if words else "CSV"], id=csv_id,
                   **button),
        dbc.Button([html.I(className="bi bi-file-earmark-spreadsheet me-1"), t("Download XLSX") if words else "XLSX"],
                   id=xlsx_id, **button),
        dbc.Switch(id=machine_id, value=False, label=t("Machine columns"), persistence=True,
                   persistence_type="local", className="small mb-0 ms-1",
                   label_class_name="text-body-secondary",
                   input_class_name="export-machine"),
        dbc.Tooltip(t("Stable snake_case headers and codes instead of words, for feeding other systems"),
                    target=machine_id, placement="bottom"),
        dcc.Download(id=download_id),
    ], className="d-flex flex-wrap align-items-center gap-2")


def table(sheet: Sheet, machine: bool) -> pd.DataFrame:
    """The sheet's rows as written: human headers and words, or machine headers and codes; datetimes as naive
    times of the campus's zone; Rupiah and counts as numbers (whole ones as integers)."""
    t, tz = context.t, context.tz()
    frame, out = sheet.frame, {}
    for column in sheet.columns:
        values = frame[column.key] if column.key in frame else pd.Series([None] * len(frame), index=frame.index,
                                                                          dtype=object)
        values = _typed(values, column.kind, tz)
        if not machine:
            values = _worded(values, column, frame)
        out[column.key if machine else header(column, t)] = values
    return pd.DataFrame(out, index=frame.index)


def header(column: Column, t=None) -> str:
    """The human header of a column in the reader's language."""
    return (t or context.t)(column.title)


def download(kind: str, sheets: Sequence[Sheet], filename: str, machine: bool) -> dict:
    """A `dcc.Download` payload: the first sheet as CSV, or every sheet as one XLSX (`kind` "csv" or "xlsx")."""
    if kind == "csv":
        frame = table(sheets[0], machine)
        if not machine:
            frame = _csv_human(frame, sheets[0].columns)
        return csv_download(frame, f"{filename}.csv")
    formats, names = MACHINE_FORMATS if machine else HUMAN_FORMATS, {}
    tables, column_formats, widths = {}, {}, {}
    for sheet in sheets:
        name = sheet.key if machine else _sheet_name(context.t(sheet.title), names)
        frame = table(sheet, machine)
        tables[name] = frame
        column_formats[name] = {str(head): formats[c.kind] for head, c in zip(frame.columns, sheet.columns)
                                if c.kind in formats}
        widths[name] = [_width(frame[head], str(head), c.kind) for head, c in zip(frame.columns, sheet.columns)]
    return dcc.send_bytes(xlsx(tables, formats=column_formats, widths=widths), f"{filename}.xlsx")


def _typed(values: pd.Series, kind: str, tz: str) -> pd.Series:
    if kind == DATETIME:
        stamps = pd.to_datetime(values, utc=True)
        return stamps.dt.tz_convert(tz).dt.tz_localize(None)
    if kind in (RUPIAH, COUNT, WHOLE, PERCENT, HOURS):
        numbers = pd.to_numeric(values.astype(object).map(_number), errors="coerce")
        whole = numbers.dropna()
        if kind != PERCENT and kind != HOURS and (whole == whole.round()).all():
            return numbers.round().astype("Int64")
        return numbers
    if kind == DATE:
        return values.map(lambda v: v.date() if isinstance(v, pd.Timestamp) else v, na_action="ignore")
    return values


def _number(value) -> float | None:
    """A number of any kind (Decimal, numpy, Python) as a float; missing ones (None, NaN, NA) as None."""
    return None if value is None or pd.isna(value) else float(value)


def _worded(values: pd.Series, column: Column, frame: pd.DataFrame) -> pd.Series:
    t = context.t
    if isinstance(column.words, str):
        return frame[column.words].where(frame[column.words].notna(), values) if column.words in frame else values
    if column.words is not None:
        return values.map(lambda v: column.words(v), na_action="ignore")
    if column.kind == FLAG:
        return values.map(lambda v: t("Yes") if v else t("No"), na_action="ignore")
    if column.kind == HOURS:
        return (values / 3600).round(2)
    return values


def _csv_human(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """Shares in a human CSV as percentages (98.5 under "… (%)"): a CSV has no number format to show them."""
    out = frame.copy()
    for head, column in zip(frame.columns, columns):
        if column.kind == PERCENT:
            out = out.rename(columns={head: f"{head} (%)"})
            out[f"{head} (%)"] = (frame[head] * 100).round(2)
    return out


def _width(values: pd.Series, head: str, kind: str) -> float:
    """A column as wide as its header (bold, so a little wider) and its widest value among the first rows."""
    sample = values.head(SAMPLE).dropna()
    if kind in WIDTHS:
        longest = WIDTHS[kind]
    elif kind == RUPIAH:
        longest = max((len(f"Rp {float(v):,.0f}") for v in sample), default=0)
    elif kind == PERCENT:
        longest = 7
    elif kind in (COUNT, HOURS):
        longest = max((len(f"{float(v):,.1f}") for v in sample), default=0)
    else:
        longest = max((len(str(v)) for v in sample), default=0)
    return float(min(MAX_WIDTH, max(len(head) * 1.1, longest) + 2))


def _sheet_name(title: str, taken: dict) -> str:
    """A title Excel accepts as a sheet name: at most 31 characters, none of []:*?/\\, and unique."""
    name = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
    taken[name] = taken.get(name, 0) + 1
    return name if taken[name] == 1 else f"{name[:28]} {taken[name]}"
