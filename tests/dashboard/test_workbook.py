"""XLSX downloads: one sheet per frame in order, a bold header, missing values left empty, datetimes as dates."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.components.workbook import xlsx


def test_wb001_sheets_in_order_with_header_values_and_empty_cells():
    steps = pd.DataFrame({"sop": ["WS", "KTM"], "completed": [3, 0], "within_standard": [0.5, np.nan]})
    opened = pd.DataFrame({"case_ref": ["W1"], "due_at": pd.to_datetime(["2026-03-03 10:12"]), "performer": [None]})
    book = load_workbook(io.BytesIO(xlsx({"steps": steps, "open": opened, "empty": opened.head(0)})))
    assert book.sheetnames == ["steps", "open", "empty"]
    assert list(book["steps"].iter_rows(values_only=True)) == [("sop", "completed", "within_standard"),
                                                               ("WS", 3, 0.5), ("KTM", 0, None)]
    assert book["steps"]["A1"].font.bold
    assert list(book["open"].iter_rows(values_only=True)) == [("case_ref", "due_at", "performer"),
                                                              ("W1", datetime(2026, 3, 3, 10, 12), None)]
    assert book["open"]["B2"].is_date
    assert list(book["empty"].iter_rows(values_only=True)) == [("case_ref", "due_at", "performer")]


def test_wb002_decimals_days_and_other_objects_keep_their_values():
    frame = pd.DataFrame({"bill": ["B1", "B2"], "amount": [Decimal("1500000"), None], "due": [date(2026, 8, 31), None],
                          "state": pd.Categorical(["matched", None]), "at": [time(9, 30), None]})
    sheet = load_workbook(io.BytesIO(xlsx({"bills": frame})))["bills"]
    assert list(sheet.iter_rows(values_only=True)) == [("bill", "amount", "due", "state", "at"),
                                                       ("B1", 1500000, datetime(2026, 8, 31), "matched", "09:30:00"),
                                                       ("B2", None, None, None, None)]
    assert sheet["C2"].number_format == "yyyy-mm-dd"


def test_wb003_an_aware_datetime_is_refused_not_shifted():
    frame = pd.DataFrame({"due_at": pd.to_datetime(["2026-03-03 10:12"]).tz_localize("Asia/Jakarta")})
    with pytest.raises(ValueError, match="sheet 'open', column 'due_at'"):
        xlsx({"open": frame})


def test_wb004_whole_number_columns_show_without_decimals_even_with_empty_cells():
    frame = pd.DataFrame({"Angkatan": pd.Series([2023, None], dtype="Int64"), "Nilai": [1.5, 2.25]})
    sheet = load_workbook(io.BytesIO(xlsx({"s": frame}))).worksheets[0]
    assert sheet.cell(2, 1).value == 2023 and sheet.cell(2, 1).number_format == "0"
    assert sheet.cell(3, 1).value is None and sheet.cell(2, 2).number_format != "0"
