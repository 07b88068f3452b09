"""Tables behind the figures: sortable, filterable, paged, in the reader's language."""

from __future__ import annotations

import pandas as pd
from dash import dash_table

from .. import context


def data_table(component_id: str, frame: pd.DataFrame, columns: dict[str, str], *, page_size: int = 15,
               **kwargs) -> dash_table.DataTable:
    """`columns` maps DataFrame columns to their (already translated) headers, in display order."""
    return dash_table.DataTable(
        id=component_id,
        columns=[{"name": header, "id": column} for column, header in columns.items()],
        data=frame[list(columns)].to_dict("records") if not frame.empty else [],
        page_size=page_size,
        sort_action="native",
        filter_action="native",
        filter_options={"placeholder_text": context.t("Filter…"), "case": "insensitive"},
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.875rem", "padding": "6px 8px", "textAlign": "left",
                    "whiteSpace": "normal", "height": "auto"},
        style_header={"fontWeight": "600", "backgroundColor": "#f1f3f5"},
        **kwargs,
    )
