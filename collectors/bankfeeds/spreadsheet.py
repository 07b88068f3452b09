"""Reading a bank XLSX export into text columns, so it shares the CSV conversions.

Typed cells are written out the way the mapping expects text: numbers in an amount column with
the mapping's decimal separator, dates in its ``date_format`` (ISO without one), so a sheet mixing
typed and text cells reads consistently. Line numbers are sheet row numbers.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa

from .conversions import RawTable
from .entry import CENT
from .errors import FeedError
from .mapping import ColumnMapping

_AMOUNT_FIELDS = ("amount", "credit", "debit")


def read_sheet(path: Path, mapping: ColumnMapping) -> RawTable:
    """Read the mapped sheet (the first one by default) into text columns."""
    rows, lines_read = _sheet_rows(path, mapping)
    if mapping.skip_footer:
        rows = rows[: -mapping.skip_footer]
    if not rows:
        raise FeedError(path, mapping.skip_rows + 1, None, None, "no header row")
    header_line, header = rows[0]
    names = ["" if cell is None else str(cell).strip() for cell in header]
    roles = {name.lower(): field for field, name in mapping.columns().items()}
    columns: dict[str, pa.Array] = {}
    for index, name in enumerate(names):
        if not name or name in columns:
            continue
        role = roles.get(name.lower())
        columns[name] = pa.array(
            [_text(row[index] if index < len(row) else None, role, mapping) for _, row in rows[1:]],
            pa.string(),
        )
    return RawTable(
        columns=columns,
        lines=np.array([number for number, _ in rows[1:]], dtype=np.int64),
        header_line=header_line,
        lines_read=lines_read,
    )


def _sheet_rows(path: Path, mapping: ColumnMapping) -> tuple[list[tuple[int, tuple]], int]:
    """The sheet's non-empty rows after ``skip_rows`` with their row numbers, and its row count.

    Whatever openpyxl raises on a damaged workbook is a refusal, and its warnings (a workbook without
    default style, extensions it skips) are not shown: an import prints nothing but its summary or error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _read_rows(path, mapping)
        except FeedError:
            raise
        except KeyError:
            raise FeedError(path, None, None, None, "a zip file, but not an XLSX workbook") from None
        except Exception as exc:  # noqa: BLE001 - openpyxl passes on whatever its zip and XML readers raise
            reason = "not a readable XLSX workbook ({problem})"
            raise FeedError(path, None, None, None, reason, problem=str(exc) or type(exc).__name__) from None


def _read_rows(path: Path, mapping: ColumnMapping) -> tuple[list[tuple[int, tuple]], int]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if mapping.sheet is not None and mapping.sheet not in workbook.sheetnames:
            reason, sheets = "no such sheet; found {sheets}", ", ".join(workbook.sheetnames)
            raise FeedError(path, None, "sheet", mapping.sheet, reason, sheets=sheets)
        sheet = workbook[mapping.sheet] if mapping.sheet else workbook.worksheets[0]
        rows = [
            (number, row)
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            if number > mapping.skip_rows and any(cell not in (None, "") for cell in row)
        ]
        lines_read = sheet.max_row or 0
    finally:
        workbook.close()
    return rows, lines_read


def _text(cell: object, role: str | None, mapping: ColumnMapping) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        if mapping.date_format:
            return cell.strftime(mapping.date_format)
        return cell.isoformat(sep=" ") if isinstance(cell, datetime) else cell.isoformat()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        if role in _AMOUNT_FIELDS:
            return f"{Decimal(repr(cell)).quantize(CENT)}".replace(".", mapping.decimal)
        return str(int(cell)) if float(cell).is_integer() else repr(cell)
    return str(cell)
