"""Vectorised conversions of text columns (pyarrow arrays) into amounts, dates and clean text.

Each converter returns its result together with a mask of the rows it could not read, so the
caller can name the first bad row without converting row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MONEY = pa.decimal128(18, 2)
ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class RawTable:
    """A read export as text cells by header name, with each row's line (or sheet row) number."""

    columns: dict[str, pa.Array]
    lines: np.ndarray
    header_line: int
    lines_read: int


@dataclass(frozen=True)
class Amounts:
    """Parsed amounts: magnitude (two-place decimal), sign, and which rows were empty or bad."""

    magnitude: pa.Array
    negative: pa.Array
    empty: pa.Array
    bad: pa.Array


def clean_text(values: pa.Array) -> pa.Array:
    """Trim whitespace; empty strings become null."""
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def normalize_refs(values: pa.Array) -> pa.Array:
    """Upper-case references, numeric ones without leading zeros (as ``values.normalize_ref``)."""
    upper = pc.utf8_upper(values)
    stripped = pc.utf8_ltrim(upper, characters="0")
    stripped = pc.if_else(pc.equal(stripped, ""), "0", stripped)
    return pc.if_else(pc.match_substring_regex(upper, "^[0-9]+$"), stripped, upper)


def extract_labelled(values: pa.Array, pattern: re.Pattern[str], keywords: tuple[str, ...]) -> pa.Array:
    """The first group of ``pattern`` in each text, null where absent.

    Only texts containing one of ``keywords`` (case-insensitive) are searched, which keeps a
    million plain descriptions cheap.
    """
    candidates = pc.fill_null(pc.match_substring_regex(values, "(?i)" + "|".join(keywords)), False)
    found = pc.sum(candidates).as_py() or 0
    if not found:
        return pa.nulls(len(values), pa.string())
    regex = "(?i)" + pattern.pattern
    if found == len(values):
        return pc.struct_field(pc.extract_regex(values, regex), 0)
    subset = pc.struct_field(pc.extract_regex(pc.filter(values, candidates), regex), 0)
    return pc.replace_with_mask(pa.nulls(len(values), pa.string()), candidates, subset)


def parse_amounts(values: pa.Array, *, decimal: str, thousands: str) -> Amounts:
    """Read amounts like ``Rp 1.500.000,00``, ``-1.500.000``, ``(1.500.000,00)`` or ``1.500.000,00-``.

    Empty cells and a lone ``-`` count as empty, not as bad. Thousands groups must be well formed,
    so an English ``1500000.00`` in an Indonesian column is bad rather than a hundred times larger.
    """
    text = pc.utf8_trim_whitespace(pc.fill_null(values, ""))
    if pc.any(pc.match_substring_regex(text, "(?i)rp|idr")).as_py():
        text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"(?i)(rp\.?|idr)\s*", ""))
    opens, closes = pc.starts_with(text, "("), pc.ends_with(text, ")")
    parenthesised = pc.and_(opens, closes)
    minus = pc.or_(pc.starts_with(text, "-"), pc.ends_with(text, "-"))
    core = pc.utf8_trim(text, characters="()- ")
    empty = pc.equal(core, "")
    group = rf"[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+|" if thousands else ""
    pattern = rf"^(?:{group}[0-9]+)(?:{re.escape(decimal)}[0-9]{{1,2}})?$"
    valid = pc.match_substring_regex(core, pattern)
    bad = pc.or_(pc.and_(pc.invert(empty), pc.invert(valid)), pc.xor(opens, closes))
    digits = pc.replace_substring(core, thousands, "") if thousands else core
    if decimal != ".":
        digits = pc.replace_substring(digits, decimal, ".")
    digits = pc.if_else(valid, digits, "0")
    return Amounts(
        magnitude=pc.cast(digits, MONEY),
        negative=pc.and_(pc.or_(parenthesised, minus), pc.invert(empty)),
        empty=empty,
        bad=bad,
    )


def parse_dates(values: pa.Array, date_format: str | None) -> tuple[pa.Array, pa.Array]:
    """Naive timestamps from text in ``date_format`` (ISO forms when ``None``), and the bad mask.

    pyarrow's ``strptime`` rolls an impossible day over (31/02 becomes 02/03), and a rolled-over
    date lands on the first days of a month. Those suspects are written back in each format: a text
    that reads back unchanged is a real date; the few that do not (unpadded or rolled over) are
    checked again with Python's.
    """
    text = pc.utf8_trim_whitespace(pc.fill_null(values, ""))
    formats = (date_format,) if date_format else ISO_FORMATS
    result = pc.strptime(text, format=formats[0], unit="s", error_is_null=True)
    tried = [formats[0]]
    for fmt in formats[1:]:
        missing = pc.is_null(result)
        if not pc.any(missing).as_py():
            break
        found = pc.strptime(pc.filter(text, missing), format=fmt, unit="s", error_is_null=True)
        result = pc.replace_with_mask(result, missing, found)
        tried.append(fmt)
    bad = pc.is_null(result)
    suspects = pc.fill_null(pc.less_equal(pc.day(result), 3), False)
    if pc.any(suspects).as_py():
        suspect_text, suspect_moment = pc.filter(text, suspects), pc.filter(result, suspects)
        unchanged = [pc.equal(pc.strftime(suspect_moment, format=fmt), suspect_text) for fmt in tried]
        doubtful = pc.invert(reduce(pc.or_, unchanged))
        texts = pc.unique(pc.filter(suspect_text, doubtful)).to_pylist()
        impossible = [value for value in texts if not _python_parses(value, formats)]
        if impossible:
            bad = pc.or_(bad, pc.is_in(text, pa.array(impossible, pa.string())))
            result = pc.if_else(bad, pa.scalar(None, result.type), result)
    return result, bad


def _python_parses(text: str, formats: tuple[str, ...]) -> bool:
    for fmt in formats:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return True
    return False


def first_index(mask: pa.Array) -> int | None:
    """The position of the first true value in a boolean array, or ``None``."""
    found = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if found < 0 else found
