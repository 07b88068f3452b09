"""Numbering equal lines of a bank export, whose identity key ends with ``#n``.

The key formats are described in :mod:`collectors.bankfeeds.entry`. This module assigns the
occurrence numbers for lists of entries and, vectorised, for the tabular fast path.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .entry import BankEntry


def number_occurrences(entries: Iterable[BankEntry]) -> list[BankEntry]:
    """Return the entries, in order, with ``occurrence`` counting entries of equal identity key apart
    from the number (the ``#n`` of a bank export's line key)."""
    seen: Counter[str] = Counter()
    numbered: list[BankEntry] = []
    for entry in entries:
        identity = dataclasses.replace(entry, occurrence=1).dedup_key
        seen[identity] += 1
        numbered.append(dataclasses.replace(entry, occurrence=seen[identity]))
    return numbered


def key_arrays(
    *,
    amount: pa.Array,
    is_credit: pa.Array,
    is_reversal: pa.Array,
    day: pa.Array,
    account: pa.Array,
    bank_ref: pa.Array,
) -> dict[str, pa.Array]:
    """The occurrence numbers and identity keys of many export lines at once, as pyarrow arrays.

    Inputs are aligned arrays: positive two-place ``amount``, booleans, ``day`` as ``YYYY-MM-DD``
    text on the Jakarta calendar, and text columns with nulls for missing values. The result has
    ``occurrence`` and ``dedup_key`` equal to what :func:`number_occurrences` and
    :attr:`BankEntry.dedup_key` give for the same export lines.
    """
    amount_text = pc.cast(amount, pa.string())
    plain = pc.if_else(is_credit, "C", "D")
    mark = pc.if_else(is_reversal, pc.if_else(is_credit, "RD", "RC"), plain)
    base = pc.binary_join_element_wise(
        "line", pc.fill_null(account, ""), pc.fill_null(bank_ref, ""), day, mark, amount_text, ":"
    )
    rows = len(amount)
    references_distinct = bank_ref.null_count == 0 and (_increasing(bank_ref) or _distinct(bank_ref))
    codes = None if references_distinct else _repeated_codes(base)
    occurrence = np.ones(rows, dtype=np.int64) if codes is None else _cumcount(codes)
    return {
        "occurrence": pa.array(occurrence),
        "dedup_key": pc.binary_join_element_wise(base, _text(occurrence), "#"),
    }


def _increasing(values: pa.Array) -> bool:
    """Whether each value sorts after the one before (a statement's serial references often do),
    which proves them distinct without hashing them."""
    return len(values) < 2 or pc.all(pc.less(values[:-1], values[1:])).as_py()


def _distinct(values: pa.Array) -> bool:
    """Whether no two values are equal (cheaper to learn than numbering them)."""
    return len(pc.unique(values)) == len(values)


def _repeated_codes(keys: pa.Array) -> np.ndarray | None:
    """An integer per distinct value, or None when no value repeats (nothing to number). Values in
    a bank file rarely repeat, and learning that is cheaper than numbering them."""
    if _distinct(keys):
        return None
    return pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)


def _cumcount(codes: np.ndarray) -> np.ndarray:
    """For each position, how many times its code has occurred so far, counting from 1."""
    return pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy(dtype=np.int64) + 1


def _text(numbers: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(numbers), pa.string())
