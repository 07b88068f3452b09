"""XLSX downloads written row by row (openpyxl's write-only mode): a sheet of a few thousand rows costs
a fraction of what pandas' `to_excel`, which builds and styles every cell first, costs."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per frame, in order: a bold header row of the column names, then the values (empty
    for missing ones; datetimes as Excel dates, so they must be naive)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        columns = [frame[column].astype(object).where(frame[column].notna(), None).tolist() for column in frame.columns]
        for row in zip(*columns):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
