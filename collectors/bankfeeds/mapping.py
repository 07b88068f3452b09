"""The column mapping that tells the CSV/XLSX reader where each field of a bank export lives."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

_COLUMN_FIELDS = (
    "date", "amount", "direction", "credit", "debit", "reference", "va", "name", "description", "account"
)


class ColumnMapping(BaseModel):
    """Which columns of a bank export hold what, and how its numbers and dates are written.

    Column names match case-insensitively, surrounding spaces ignored; every column named here
    must exist in the file. The amount comes from one of three layouts:

    * ``amount`` alone: a signed amount, negative (``-1.500.000,00``, ``1.500.000,00-`` or
      ``(1.500.000,00)``) for debits;
    * ``amount`` with ``direction``: a mark column whose values are listed in ``credit_marks`` and
      ``debit_marks`` (``K``/``D``, ``CR``/``DB``, ``Kredit``/``Debet`` by default);
    * ``credit`` and ``debit``: two columns, one of them filled (``-`` or empty means none).

    Amounts may carry ``Rp`` or ``IDR``; ``thousands`` and ``decimal`` give the separators
    (Indonesian ``1.500.000,00`` by default). ``date_format`` is a ``strptime`` format; without one,
    ISO dates with an optional time (``2024-03-01``, ``2024-03-01 10:15:00``) are expected. Times
    without a zone are local to the parser's ``tz``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: str
    amount: str | None = None
    direction: str | None = None
    credit: str | None = None
    debit: str | None = None
    reference: str | None = None
    va: str | None = None
    name: str | None = None
    description: str | None = None
    account: str | None = None
    credit_marks: tuple[str, ...] = ("C", "CR", "K", "KR", "KREDIT", "CREDIT")
    debit_marks: tuple[str, ...] = ("D", "DB", "DR", "DEBET", "DEBIT")
    date_format: str | None = None
    decimal: str = Field(",", min_length=1, max_length=1)
    thousands: str = Field(".", max_length=1)
    separator: str | None = Field(None, min_length=1, max_length=1)
    encoding: str = "utf-8"
    currency: str = "IDR"
    skip_rows: int = Field(0, ge=0)
    skip_footer: int = Field(0, ge=0)
    sheet: str | None = None

    @model_validator(mode="after")
    def _one_amount_layout(self) -> ColumnMapping:
        split = self.credit is not None or self.debit is not None
        if split and (self.credit is None or self.debit is None):
            raise ValueError("credit and debit columns go together")
        if split == (self.amount is not None):
            raise ValueError("give either an amount column or credit and debit columns")
        if self.direction is not None and self.amount is None:
            raise ValueError("a direction column needs an amount column")
        if self.decimal == self.thousands:
            raise ValueError("decimal and thousands separators must differ")
        return self

    def columns(self) -> dict[str, str]:
        """The mapped fields and their column names, for the fields that are set."""
        return {field: name for field in _COLUMN_FIELDS if (name := getattr(self, field)) is not None}


DEFAULT_MAPPING = ColumnMapping(
    date="date", amount="amount", reference="reference", va="va", name="name", description="description"
)
"""Pantau's own export layout, used when no mapping is given: a signed amount, ISO dates."""
