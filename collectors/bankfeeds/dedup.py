"""Numbering equal entries within a file, and the cross-format duplicate rule.

The key formats are described in :mod:`collectors.bankfeeds.entry`. This module assigns the ``#n``
occurrence numbers the keys end with (for lists of entries and, vectorised, for the tabular fast
path) and states when two stored entries are the same payment.
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
    """Return the entries, in order, with ``occurrence`` and ``weak_occurrence`` assigned.

    ``occurrence`` counts entries with the same identity key apart from the number; a repeated
    entry with the same payment reference (a notification logged twice) keeps the weak number of
    its first copy instead of taking the next one.
    """
    identity_seen: Counter[str] = Counter()
    weak_seen: Counter[str] = Counter()
    weak_by_ref: dict[str, int] = {}
    numbered: list[BankEntry] = []
    for entry in entries:
        base = dataclasses.replace(entry, occurrence=1, weak_occurrence=1)
        identity = base.dedup_key
        identity_seen[identity] += 1
        occurrence = identity_seen[identity]
        weak = base.weak_key
        if weak is None:
            weak_occurrence = 1
        elif entry.payment_ref and identity in weak_by_ref:
            weak_occurrence = weak_by_ref[identity]
        else:
            weak_seen[weak] += 1
            weak_occurrence = weak_seen[weak]
            if entry.payment_ref:
                weak_by_ref[identity] = weak_occurrence
        numbered.append(
            dataclasses.replace(entry, occurrence=occurrence, weak_occurrence=weak_occurrence)
        )
    return numbered


def same_payment(first: BankEntry, second: BankEntry) -> bool:
    """Whether two entries are the same payment and must be counted once.

    Equal identity keys always are. Otherwise equal weak keys (VA, mark, amount, date and number)
    are, provided one entry is a statement line and the other an H2H notification and they do
    not carry two different payment references.
    """
    if first.dedup_key == second.dedup_key:
        return True
    if first.weak_key is None or first.weak_key != second.weak_key:
        return False
    if first.channel == second.channel:
        return False
    return not (first.payment_ref and second.payment_ref)


def key_arrays(
    *,
    amount: pa.Array,
    is_credit: pa.Array,
    is_reversal: pa.Array,
    day: pa.Array,
    payment_ref: pa.Array,
    account: pa.Array,
    bank_ref: pa.Array,
    va_number: pa.Array,
) -> dict[str, pa.Array]:
    """The occurrence numbers and keys of many entries at once, as pyarrow arrays.

    Inputs are aligned arrays: positive two-place ``amount``, booleans, ``day`` as ``YYYY-MM-DD``
    text on the Jakarta calendar, and text columns with nulls for missing values. The result has
    ``occurrence``, ``weak_occurrence``, ``dedup_key`` and ``weak_key`` equal to what
    :func:`number_occurrences` and :attr:`BankEntry.dedup_keys` give for the same entries.
    """
    amount_text = pc.cast(amount, pa.string())
    plain = pc.if_else(is_credit, "C", "D")
    mark = pc.if_else(is_reversal, pc.if_else(is_credit, "RD", "RC"), plain)
    ref_key = pc.binary_join_element_wise("ref", payment_ref, mark, amount_text, ":")
    line_base = pc.binary_join_element_wise(
        "line", pc.fill_null(account, ""), pc.fill_null(bank_ref, ""), day, mark, amount_text, ":"
    )
    has_ref = pc.is_valid(payment_ref).to_numpy(zero_copy_only=False)
    rows = len(amount)
    identity_base = pc.coalesce(ref_key, line_base)
    references_distinct = (payment_ref.null_count == rows and bank_ref.null_count == 0
                           and (_increasing(bank_ref) or _distinct(bank_ref)))
    identity_codes = None if references_distinct else _repeated_codes(identity_base)
    occurrence = np.ones(rows, dtype=np.int64) if identity_codes is None else _cumcount(identity_codes)
    identity = pc.coalesce(ref_key, pc.binary_join_element_wise(line_base, _text(occurrence), "#"))
    weak_base = pc.binary_join_element_wise("va", va_number, mark, amount_text, day, ":")
    repeat = has_ref & (occurrence > 1)
    counted = pc.is_valid(weak_base).to_numpy(zero_copy_only=False) & ~repeat & _repeated(va_number)
    weak_occurrence = np.ones(rows, dtype=np.int64)
    weak_codes = _repeated_codes(weak_base if counted.all() else pc.filter(weak_base, pa.array(counted)))
    if weak_codes is not None:
        weak_occurrence[counted] = _cumcount(weak_codes)
    if identity_codes is not None and repeat.any():
        first = np.zeros(identity_codes.max() + 1, dtype=np.int64)
        first[identity_codes[~repeat]] = weak_occurrence[~repeat]
        weak_occurrence[repeat] = first[identity_codes[repeat]]
    return {
        "occurrence": pa.array(occurrence),
        "weak_occurrence": pa.array(weak_occurrence),
        "dedup_key": identity,
        "weak_key": pc.binary_join_element_wise(weak_base, _text(weak_occurrence), "#"),
    }


def _increasing(values: pa.Array) -> bool:
    """Whether each value sorts after the one before (a statement's serial references often do),
    which proves them distinct without hashing them."""
    return len(values) < 2 or pc.all(pc.less(values[:-1], values[1:])).as_py()


def _distinct(values: pa.Array) -> bool:
    """Whether no two values are equal (cheaper to learn than numbering them)."""
    return len(pc.unique(values)) == len(values)


def _repeated(values: pa.Array) -> np.ndarray:
    """Which rows hold a value another row holds too. A weak key names its VA, so only the rows of a
    repeated VA can share one; counting the short VAs is cheaper than hashing every weak key."""
    counts = pc.value_counts(values)
    shared = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    return pc.is_in(values, shared).to_numpy(zero_copy_only=False)


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
