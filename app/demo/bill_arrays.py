"""The demo's bills as parallel arrays: made by `billing`, paid in `payments` (a module of its own so that
the two do not import each other)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Bills:
    """Bills as parallel arrays, positions 0..n-1 (ids are position + 1)."""

    kind: np.ndarray
    student: np.ndarray
    applicant: np.ndarray
    payer: np.ndarray
    prodi: np.ndarray
    angkatan: np.ndarray
    semester: np.ndarray
    amount: np.ndarray
    bank: np.ndarray
    person_digits: np.ndarray
    opens: np.ndarray
    due: np.ndarray
    token_at: np.ndarray
    never_pays: np.ndarray
    source_key: np.ndarray
    va: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)


def concat(parts: list[Bills]) -> Bills:
    fields = Bills.__dataclass_fields__
    return Bills(**{name: np.concatenate([getattr(part, name) for part in parts]) for name in fields})
