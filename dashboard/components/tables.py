"""Tables behind the figures: sortable, filterable, paged, in the reader's language."""

from __future__ import annotations

import pandas as pd
from dash import dash_table

from .. import context


def data_table(component_id: str, frame: pd.DataFrame, columns: dict[str, str], *, page_size: int = 15,
               row_id: str | None = None, **kwargs) -> dash_table.DataTable:
    """`columns` maps DataFrame columns to their (already translated) headers, in display order.

    `row_id` names a column whose values identify the rows (Dash's row `id`, not shown unless it is a column
    too): a selected row is then read by what it is (`selected_row_ids`), not by its place in the data."""
    data = frame[list(columns)].to_dict("records") if not frame.empty else []
    if row_id and data:
        for record, key in zip(data, frame[row_id].tolist()):
            record["id"] = key
    return dash_table.DataTable(
        id=component_id,
        columns=[{"name": header, "id": column} for column, header in columns.items()],
        data=data,
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
