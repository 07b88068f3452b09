"""A parsed file's entries as one frame, checked against the store's column sizes, and turned into
the column values the store binds (UTC text instants, ISO dates, two-place amounts)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from collectors.bankfeeds import FeedError, Statement
from collectors.bankfeeds.entry import NOTIFICATION_FORMATS

ENTRY_FIELDS = (
    "source_format", "amount", "direction", "booked_at", "line_no", "bank_ref", "payment_ref", "account",
    "va_number", "bill_ref", "payer_name", "is_reversal", "value_date", "description", "statement_key",
)
STORED_COLUMNS = (
    "source_format", "bank_ref", "dedup_key", "payment_ref", "account", "va_number", "bill_ref", "payer_name",
    "amount", "direction", "is_reversal", "booked_at", "value_date", "description", "line_no", "payment_id",
    "to_check", "statement_id",
)
"""The ``bank_transactions`` columns an import writes (besides ``import_id``), in this order."""

LIMITS = {"bank_ref": 64, "dedup_key": 160, "payment_ref": 64, "account": 34, "va_number": 32, "bill_ref": 40,
          "payer_name": 120}
_TEXT = ("source_format", "bank_ref", "dedup_key", "payment_ref", "account", "va_number", "bill_ref", "payer_name",
         "direction", "description")
_LINKS = {"payment_id": None, "to_check": False, "statement_id": None}
"""What the import adds to each row before storing it, and its value for a row that says nothing."""


def statement_frame(statement: Statement) -> pd.DataFrame:
    """The statement's entries with their keys, one row each, in the layout of the tabular fast path."""
    entries = statement.entries
    columns = {name: [getattr(entry, name) for entry in entries] for name in ENTRY_FIELDS}
    columns["dedup_key"] = [entry.dedup_key for entry in entries]
    frame = pd.DataFrame(columns)
    frame["booked_at"] = pd.to_datetime(frame["booked_at"], utc=True)
    return frame


def check_sizes(frame: pd.DataFrame, path: Path) -> None:
    """Refuse the file at its first value too long for its store column or holding a NUL character (no store
    keeps one in text), naming line, field and value."""
    for field, limit in LIMITS.items():
        lengths = pc.utf8_length(pa.array(frame[field], type=pa.string(), from_pandas=True))
        index = pc.index(pc.fill_null(pc.greater(lengths, limit), False), True).as_py()
        if index >= 0:
            row = frame.iloc[index]
            raise FeedError(path, int(row["line_no"]), field, row[field], "longer than {limit} characters",
                            limit=limit)
    for field in _TEXT:
        if field in frame:
            nul = pc.fill_null(pc.match_substring(pa.array(frame[field], type=pa.string(), from_pandas=True), "\x00"),
                               False)
            index = pc.index(nul, True).as_py()
            if index >= 0:
                row = frame.iloc[index]
                raise FeedError(path, int(row["line_no"]), field, row[field].replace("\x00", "\\0"),
                                "holds a NUL character: the file is damaged")


def payment_mask(frame: pd.DataFrame) -> np.ndarray:
    """Which rows are payments received: credits that are not reversals."""
    return ((frame["direction"] == "credit") & ~frame["is_reversal"].astype(bool)).to_numpy(dtype=bool)


def notification_mask(frame: pd.DataFrame) -> np.ndarray:
    """Which rows came from an H2H notification log rather than a statement."""
    return frame["source_format"].isin(NOTIFICATION_FORMATS).to_numpy(dtype=bool)


def stored_values(frame: pd.DataFrame, tz: ZoneInfo) -> dict[str, list]:
    """Each stored column as a list of values both SQLite and PostgreSQL (COPY) accept as they are."""
    if frame.empty:
        return {name: [] for name in STORED_COLUMNS}
    values = {name: _texts(frame[name]) for name in _TEXT}
    values["amount"] = pc.cast(pa.array(frame["amount"], from_pandas=True), pa.string()).to_pylist()
    values["is_reversal"] = frame["is_reversal"].astype(bool).tolist()
    values["line_no"] = frame["line_no"].astype("int64").tolist()
    for name, default in _LINKS.items():
        values[name] = _optional(frame[name], default) if name in frame else [default] * len(frame)
    booked = pd.to_datetime(frame["booked_at"], utc=True)
    values["booked_at"] = _instant_texts(booked.dt.tz_localize(None).to_numpy("datetime64[us]"))
    days = booked.dt.tz_convert(tz).dt.tz_localize(None).to_numpy("datetime64[D]")
    if frame["value_date"].notna().any():
        given = pd.to_datetime(frame["value_date"]).to_numpy("datetime64[D]")
        days = np.where(np.isnat(given), days, given)
    values["value_date"] = _day_texts(days)
    return {name: values[name] for name in STORED_COLUMNS}


def _optional(series: pd.Series, default) -> list:
    """A nullable column as Python values, ``default`` where missing (repeated when all are)."""
    missing = series.isna().to_numpy(dtype=bool)
    if missing.all():
        return [default] * len(series)
    values = series.astype(object).to_numpy(copy=True)
    values[missing] = default
    return [value.item() if hasattr(value, "item") else value for value in values]


def _instant_texts(instants: np.ndarray) -> list[str]:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` texts (pyarrow writes microsecond instants in this form)."""
    return pc.cast(pa.array(instants), pa.string()).to_pylist()


def _day_texts(days: np.ndarray) -> list[str]:
    """``YYYY-MM-DD`` texts, one string made per distinct day (a file spans a few days)."""
    distinct, where = np.unique(days, return_inverse=True)
    return np.datetime_as_string(distinct, unit="D").astype(object)[where].tolist()


def _texts(series: pd.Series) -> list:
    """A text column as Python strings and ``None``; a column without values, or with one value
    throughout (a file's format, an absent account), is repeated rather than converted row by row."""
    array = pa.array(series, type=pa.string(), from_pandas=True)
    if array.null_count == len(array):
        return [None] * len(array)
    if array.null_count == 0:
        bounds = pc.min_max(array)
        if bounds["min"] == bounds["max"]:
            return [bounds["min"].as_py()] * len(array)
    return array.to_pylist()
