"""Bank CSV and XLSX exports, read through a :class:`ColumnMapping` into an entry frame.

The fast path is :func:`read_tabular_frame`: the CSV is read by pyarrow with every column as text
and converted column by column (no Python loop over rows), so a million-line export takes seconds.
A bad value fails the whole file with the first bad row's line, column and value. CSV files may
start with a byte-order mark and use ``;``, ``,``, tab or ``|`` (sniffed from the header unless the
mapping names one); line numbers assume no line breaks inside quoted cells.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import conversions as conv
from .conversions import RawTable
from .csvfile import read_csv_table
from .dedup import key_arrays
from .entry import JAKARTA, BankEntry, SourceFormat, Statement
from .errors import FeedError
from .mapping import DEFAULT_MAPPING, ColumnMapping
from .spreadsheet import read_sheet
from .values import PAYMENT_REF_PATTERN, VA_PATTERN

ENTRY_COLUMNS = tuple(field.name for field in dataclasses.fields(BankEntry))
KEY_COLUMNS = ("dedup_key",)
_PANDAS_TYPES = {
    pa.string(): pd.StringDtype("pyarrow"),
    conv.MONEY: pd.ArrowDtype(conv.MONEY),
    pa.date32(): pd.ArrowDtype(pa.date32()),
}


def read_tabular_frame(
    path: Path, mapping: ColumnMapping | None = None, *, tz: ZoneInfo = JAKARTA
) -> pd.DataFrame:
    """Read a CSV or XLSX export into a frame with the :class:`BankEntry` columns and keys.

    Columns: ``ENTRY_COLUMNS`` plus ``dedup_key``; ``amount`` is a two-place
    pyarrow decimal, ``booked_at`` zone-aware, text columns pyarrow strings with ``<NA>`` for
    missing values. Raises :class:`FeedError` for the first bad row.
    """
    path = Path(path)
    table, _ = _read(path, "xlsx" if is_xlsx(path) else "csv", mapping or DEFAULT_MAPPING, tz)
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


def parse_csv(path: Path, *, mapping: ColumnMapping | None = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a bank CSV export into a :class:`Statement` (no balances: exports carry none)."""
    return _statement(Path(path), "csv", mapping or DEFAULT_MAPPING, tz)


def parse_xlsx(path: Path, *, mapping: ColumnMapping | None = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a bank XLSX export (first or ``mapping.sheet`` sheet) into a :class:`Statement`."""
    return _statement(Path(path), "xlsx", mapping or DEFAULT_MAPPING, tz)


def is_xlsx(path: Path) -> bool:
    """Whether the file is a zip container, as XLSX workbooks are."""
    with Path(path).open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _statement(path: Path, source_format: SourceFormat, mapping: ColumnMapping, tz: ZoneInfo) -> Statement:
    table, raw = _read(path, source_format, mapping, tz)
    columns = [_python_values(table.column(name)) for name in ENTRY_COLUMNS]
    entries = [BankEntry(*row) for row in zip(*columns)]
    accounts = set(pc.unique(table.column("account")).drop_null().to_pylist())
    return Statement(
        file=path,
        source_format=source_format,
        entries=entries,
        account=accounts.pop() if len(accounts) == 1 else None,
        lines_read=raw.lines_read,
    )


def _python_values(column: pa.ChunkedArray) -> list[object]:
    """A column as Python values; zone-aware times are converted once per distinct value."""
    if not pa.types.is_timestamp(column.type):
        return column.to_pylist()
    encoded = pc.dictionary_encode(column.combine_chunks())
    distinct = encoded.dictionary.to_pylist()
    return [distinct[index] for index in encoded.indices.to_numpy(zero_copy_only=False)]


def _read(
    path: Path, source_format: SourceFormat, mapping: ColumnMapping, tz: ZoneInfo
) -> tuple[pa.Table, RawTable]:
    raw = read_sheet(path, mapping) if source_format == "xlsx" else read_csv_table(path, mapping)
    return _table(path, source_format, raw, mapping, tz), raw


def _table(path: Path, source_format: str, raw: RawTable, mapping: ColumnMapping, tz: ZoneInfo) -> pa.Table:
    """The entry columns and keys, converted column by column from the raw text cells."""
    columns = _resolve(path, raw, mapping)
    rows = len(raw.lines)

    def refuse(mask: pa.Array, field: str, reason: str, **details: object) -> None:
        index = conv.first_index(mask)
        if index is not None:
            value = columns[field][index].as_py()
            raise FeedError(path, int(raw.lines[index]), mapping.columns()[field], value, reason, **details)

    moments, bad_dates = conv.parse_dates(columns["date"], mapping.date_format)
    expected_date = mapping.date_format or "YYYY-MM-DD[ HH:MM[:SS]]"
    refuse(bad_dates, "date", "not a date in the format {expected}", expected=expected_date)
    magnitude, is_credit = _amounts(mapping, columns, refuse)
    text = {field: conv.clean_text(columns[field]) if field in columns else pa.nulls(rows, pa.string())
            for field in ("reference", "va", "name", "description", "account")}
    description = text["description"]
    va = pc.replace_substring_regex(text["va"], r"\s+", "")
    if va.null_count:
        va = pc.coalesce(va, conv.extract_labelled(description, VA_PATTERN, ("VA", "VIRTUAL")))
    payment_ref = conv.normalize_refs(
        conv.extract_labelled(description, PAYMENT_REF_PATTERN, ("NTB", "JOURNAL"))
    )
    no_text = pa.nulls(rows, pa.string())
    is_reversal = pa.array(np.zeros(rows, dtype=bool))
    keys = key_arrays(
        amount=magnitude,
        is_credit=is_credit,
        is_reversal=is_reversal,
        day=pc.cast(pc.cast(moments, pa.date32()), pa.string()),
        account=text["account"],
        bank_ref=text["reference"],
    )
    return pa.table(
        {
            "source_format": pa.array([source_format] * rows, pa.string()),
            "amount": magnitude,
            "direction": pc.if_else(is_credit, "credit", "debit"),
            "booked_at": pc.assume_timezone(moments, timezone=str(tz)),
            "line_no": pa.array(raw.lines.astype(np.int64)),
            "bank_ref": text["reference"],
            "payment_ref": payment_ref,
            "account": text["account"],
            "va_number": va,
            "bill_ref": no_text,
            "payer_name": text["name"],
            "currency": pa.array([mapping.currency] * rows, pa.string()),
            "is_reversal": is_reversal,
            "value_date": pa.nulls(rows, pa.date32()),
            "description": description,
            "occurrence": keys["occurrence"],
            "statement_key": no_text,
            "position": pa.nulls(rows, pa.int64()),
            "dedup_key": keys["dedup_key"],
        }
    )


def _resolve(path: Path, raw: RawTable, mapping: ColumnMapping) -> dict[str, pa.Array]:
    by_name = {name.strip().lower(): array for name, array in raw.columns.items()}
    resolved = {}
    for field, name in mapping.columns().items():
        array = by_name.get(name.strip().lower())
        if array is None:
            header = ", ".join(raw.columns) if raw.columns else "nothing"
            reason = "column missing; the header has {header}"
            raise FeedError(path, raw.header_line, name, None, reason, header=header)
        resolved[field] = array
    return resolved


def _amounts(
    mapping: ColumnMapping, columns: dict[str, pa.Array], refuse: Callable[..., None]
) -> tuple[pa.Array, pa.Array]:
    """Amount magnitudes and the credit mask, from whichever layout the mapping uses."""
    options = {"decimal": mapping.decimal, "thousands": mapping.thousands}
    if mapping.amount is not None:
        amounts = conv.parse_amounts(columns["amount"], **options)
        refuse(amounts.bad, "amount", "not a number")
        refuse(amounts.empty, "amount", "amount missing")
        if mapping.direction is None:
            return amounts.magnitude, pc.invert(amounts.negative)
        marks = pc.utf8_upper(pc.utf8_trim_whitespace(columns["direction"]))
        credit = pc.is_in(marks, pa.array([mark.upper() for mark in mapping.credit_marks]))
        debit = pc.is_in(marks, pa.array([mark.upper() for mark in mapping.debit_marks]))
        expected = "/".join((*mapping.credit_marks, *mapping.debit_marks))
        unknown = pc.invert(pc.or_(credit, debit))
        refuse(unknown, "direction", "not a credit or debit mark ({expected})", expected=expected)
        refuse(amounts.negative, "amount", "negative amount beside a direction column")
        return amounts.magnitude, credit
    credit = conv.parse_amounts(columns["credit"], **options)
    debit = conv.parse_amounts(columns["debit"], **options)
    for field, amounts in (("credit", credit), ("debit", debit)):
        refuse(amounts.bad, field, "not a number")
        refuse(amounts.negative, field, "negative amount in a credit or debit column")
    has_credit = pc.and_(pc.invert(credit.empty), pc.not_equal(credit.magnitude, pa.scalar(0, conv.MONEY)))
    has_debit = pc.and_(pc.invert(debit.empty), pc.not_equal(debit.magnitude, pa.scalar(0, conv.MONEY)))
    refuse(pc.and_(has_credit, has_debit), "credit", "both credit and debit are filled")
    refuse(pc.invert(pc.or_(has_credit, has_debit)), "credit", "neither credit nor debit is filled")
    return pc.if_else(has_credit, credit.magnitude, debit.magnitude), has_credit
