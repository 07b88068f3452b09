"""What linking decides for an import: each new row's payment, and the stored lines that change payment."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Move:
    """A stored statement line, with the rows that are its evidence (``members``), made evidence of
    another notification (a new one, ``to_row``, or a stored one, ``to_id``) or, with neither, a
    payment of its own again; ``line`` is its representative, the first of them stored."""

    line: int
    members: tuple[int, ...]
    was_payment: bool
    to_row: int | None = None
    to_id: int | None = None
    check: bool = False

    @property
    def freed(self) -> bool:
        return self.to_row is None and self.to_id is None


@dataclass
class Links:
    """For each new row: the stored payment it is evidence of (or -1) and whether to check it; and
    the stored lines that change payment with this import."""

    payment_id: np.ndarray
    to_check: np.ndarray
    moves: list[Move] = field(default_factory=list)

    @property
    def linked(self) -> np.ndarray:
        return self.payment_id >= 0

    def known_money(self) -> np.ndarray:
        """The rows that are evidence of money already stored: linked, or taking over a stored line
        that was a payment of its own."""
        known = self.linked.copy()
        known[[move.to_row for move in self.moves if move.to_row is not None and move.was_payment]] = True
        return known

    def stored_payments_change(self) -> int:
        """How many more payments the stored rows count after the moves (stored lines taken over by a
        stored notification count one less each, lines freed one more each)."""
        return sum(move.freed and not move.was_payment for move in self.moves) - sum(
            move.to_id is not None and move.was_payment for move in self.moves)

    def payment_ids(self) -> pd.arrays.IntegerArray:
        """``payment_id`` as a nullable column (missing for the rows that are payments of their own)."""
        return pd.arrays.IntegerArray(np.where(self.linked, self.payment_id, 0), ~self.linked)


def no_links(rows: int) -> Links:
    return Links(np.full(rows, -1, dtype=np.int64), np.zeros(rows, dtype=bool))
