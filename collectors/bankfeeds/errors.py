"""Errors raised when a bank feed cannot be imported; each names the file, line, field and value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path


class FeedError(ValueError):
    """A feed file that cannot be imported as a whole.

    The message reads like ``statement.sta line 14, field :61: amount, value '1.500.000,x': not a
    number``; the parts are also available as attributes for the CLI's ``--json`` output.
    """

    def __init__(
        self,
        file: Path | str,
        line: int | None,
        field: str | None,
        value: object,
        reason: str,
    ) -> None:
        self.file = Path(file)
        self.line = line
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [self.file.name]
        if self.line is not None:
            parts.append(f"line {self.line}")
        head = " ".join(parts)
        if self.field:
            head += f", field {self.field}"
        if self.value is not None:
            head += f", value {_shorten(self.value)!r}"
        return f"{head}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        """The error as plain data (file, line, field, value, reason) for JSON summaries."""
        return {
            "file": str(self.file),
            "line": self.line,
            "field": self.field,
            "value": None if self.value is None else str(self.value),
            "reason": self.reason,
        }


class BalanceMismatch(FeedError):
    """A statement whose opening balance plus its entries does not equal its closing balance."""

    def __init__(
        self,
        file: Path | str,
        line: int | None,
        field: str,
        *,
        opening: Decimal,
        entries_total: Decimal,
        closing: Decimal,
    ) -> None:
        self.opening = opening
        self.entries_total = entries_total
        self.closing = closing
        self.difference = closing - (opening + entries_total)
        reason = (
            f"opening balance {opening:.2f} plus entries {entries_total:+.2f} gives"
            f" {opening + entries_total:.2f}, but the closing balance is {closing:.2f}"
            f" (difference {self.difference:+.2f})"
        )
        super().__init__(file, line, field, f"{closing:.2f}", reason)


def _shorten(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
