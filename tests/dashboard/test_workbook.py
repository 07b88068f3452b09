"""XLSX downloads: one sheet per frame in order, a bold header, missing values left empty, datetimes as dates."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import pandas as pd
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
