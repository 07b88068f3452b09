"""Feed errors name the file, line, field and value, in the message and as data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from collectors.bankfeeds.errors import BalanceMismatch, FeedError


def test_err001_message_names_every_part():
    error = FeedError(Path("/inbox/statement.sta"), 14, ":61: amount", "1.500.000,x", "not a number")

    assert str(error) == "statement.sta line 14, field :61: amount, value '1.500.000,x': not a number"
    assert error.as_dict() == {
        "file": "/inbox/statement.sta",
        "line": 14,
        "field": ":61: amount",
        "value": "1.500.000,x",
        "reason": "not a number",
        "messages": {
            "id": "statement.sta baris 14, kolom :61: amount, nilai '1.500.000,x': bukan angka",
            "en": "statement.sta line 14, field :61: amount, value '1.500.000,x': not a number",
        },
    }


def test_err002_parts_that_are_unknown_are_left_out():
    assert str(FeedError("log.jsonl", None, None, None, "empty file")) == "log.jsonl: empty file"


def test_err003_long_values_are_shortened_in_the_message():
    error = FeedError("log.jsonl", 2, None, "x" * 500, "not JSON")

    assert len(str(error)) < 120
    assert error.value == "x" * 500


def test_err004_balance_mismatch_names_opening_entries_closing_and_difference():
    error = BalanceMismatch(
        "s.sta", 9, ":62F:", opening=Decimal("100.00"), entries_total=Decimal("-30.00"), closing=Decimal("75.00")
    )

    assert isinstance(error, FeedError)
    assert error.difference == Decimal("5.00")
    assert str(error) == (
        "s.sta line 9, field :62F:, value '75.00': opening balance 100.00 plus entries -30.00 gives 70.00,"
        " but the closing balance is 75.00 (difference +5.00)"
    )
