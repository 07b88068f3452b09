"""Errors raised when a bank feed cannot be imported; each names the file, format, line, field and value.

A reason is an English message id of the catalogue (``pantau/locale``) with ``{placeholders}`` filled
from the error's details, so the same error reads in the UI language (:meth:`FeedError.message`)
while ``reason`` stays English for scripts and logs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pantau.i18n import LANGUAGES, translate

FORMAT_NAMES = {
    "mt940": "MT940",
    "camt053": "camt.053",
    "csv": "CSV",
    "xlsx": "XLSX",
    "bni": "BNI eCollection",
    "briva": "BRIVA",
    "snap": "SNAP BI",
    "h2h": "H2H",
}
"""How each format is named in messages; ``h2h`` is a notification log of no known kind."""


class FeedError(ValueError):
    """A feed file that cannot be imported as a whole.

    The message reads like ``statement.sta (MT940) line 14, field :61: amount, value '1.500.000,x':
    not a number``; the parts are also available as attributes for the CLI's ``--json`` output.
    ``format`` is the format the file was read as, when known.
    """

    def __init__(
        self,
        file: Path | str,
        line: int | None,
        field: str | None,
        value: object,
        reason: str,
        *,
        format: str | None = None,
        **details: object,
    ) -> None:
        self.file = Path(file)
        self.line = line
        self.field = field
        self.value = value
        self.template = reason
        self.details = details
        self.reason = reason.format(**details) if details else reason
        self.format = format
        super().__init__(self.message("en"))

    def __str__(self) -> str:
        return self.message("en")

    def message(self, lang: str) -> str:
        """The whole error in ``lang``: file, format, line, field, value and reason."""
        head = self.file.name
        if self.format:
            head += f" ({FORMAT_NAMES.get(self.format, self.format)})"
        if self.line is not None:
            head += " " + translate("line {line}", lang, line=self.line)
        if self.field:
            head += ", " + translate("field {field}", lang, field=self.field)
        if self.value is not None:
            head += ", " + translate("value {value}", lang, value=_quoted(self.value))
        return f"{head}: {translate(self.template, lang, **self.details)}"

    def as_dict(self) -> dict[str, object]:
        """The error as plain data for JSON summaries: file, line, field, value and the English reason,
        with the whole message in every UI language under ``messages`` (see :func:`localised`)."""
        return {
            "file": str(self.file),
            "line": self.line,
            "field": self.field,
            "value": None if self.value is None else str(self.value),
            "reason": self.reason,
            "messages": {lang: self.message(lang) for lang in LANGUAGES},
        }


def localised(error: dict, lang: str) -> dict[str, object]:
    """:meth:`FeedError.as_dict` for one reader: ``messages`` reduced to the ``message`` in ``lang``."""
    plain = {key: value for key, value in error.items() if key != "messages"}
    messages = error.get("messages") or {}
    plain["message"] = messages.get(lang) or messages.get("en") or error.get("reason")
    return plain


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
            "opening balance {opening} plus entries {entries} gives {expected}, but the closing balance is"
            " {closing} (difference {difference})"
        )
        amounts = {
            "opening": f"{opening:.2f}",
            "entries": f"{entries_total:+.2f}",
            "expected": f"{opening + entries_total:.2f}",
            "closing": f"{closing:.2f}",
            "difference": f"{self.difference:+.2f}",
        }
        super().__init__(file, line, field, f"{closing:.2f}", reason, **amounts)


def _quoted(value: object, limit: int = 80) -> str:
    """The value on one line between quotes, shortened to ``limit`` characters."""
    text = " ".join(str(value).splitlines())
    return "'" + (text if len(text) <= limit else text[: limit - 3] + "...") + "'"
