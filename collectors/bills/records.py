"""Turning rows read from a bill source into bill records, or refusing them with the row and field.

Values may arrive typed (from the application's database) or as text (from an export): amounts
as numbers, ``1500000.00`` or Indonesian ``1.500.000,00`` (with or without ``Rp``), dates as dates
or ``YYYY-MM-DD`` / ``DD/MM/YYYY``, the paid flag as 1/0, ya/tidak, lunas/belum, true/false.
Times without an offset are in the source's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pandas as pd

from pantau.models.billing import BILL_KINDS

from .config import OPTIONAL, REQUIRED

CENT = Decimal("0.01")
LIMITS = {"source_key": 40, "va_number": 32, "semester": 8, "payer_name": 120, "nim": 20, "reg_no": 24}
TRUE = {"1", "y", "ya", "yes", "true", "t", "lunas", "sudah", "paid", "l"}
FALSE = {"0", "n", "no", "tidak", "false", "f", "belum", "unpaid", "b", ""}
_INDONESIAN = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$|^\d+,\d{1,2}$")
_PLAIN = re.compile(r"^\d+(?:\.\d{1,2})?$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_MOMENT_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S")


class BillDataError(ValueError):
    """A bill row that cannot be stored; nothing of the sync is stored then."""

    def __init__(self, source: str, row: str, field: str, value: object, reason: str) -> None:
        self.source, self.row, self.field, self.value, self.reason = source, row, field, value, reason
        shown = "" if value is None else f", value {str(value)[:80]!r}"
        super().__init__(f"bill source {source!r} {row}, field {field}{shown}: {reason}")


def normalise(frame: pd.DataFrame, source: str, zone: str, rows: list[str]) -> pd.DataFrame:
    """Bill records from ``frame`` (columns named as the bill fields); ``rows`` names each row in errors."""
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "nothing"
        raise BillDataError(source, "header", missing[0], None, f"column missing; the source gives {found}")
    tz = ZoneInfo(zone)
    out = pd.DataFrame(index=frame.index)
    for name in (*REQUIRED, *OPTIONAL):
        values = frame[name].tolist() if name in frame.columns else [None] * len(frame)
        out[name] = pd.Series([_value(name, value, tz, source, row) for value, row in zip(values, rows)],
                              index=frame.index, dtype=object)
    duplicated = out["source_key"].duplicated()
    if duplicated.any():
        at = int(duplicated.to_numpy().nonzero()[0][0])
        key = out["source_key"].iloc[at]
        first = int((out["source_key"] == key).to_numpy().nonzero()[0][0])
        raise BillDataError(source, rows[at], "source_key", key,
                            f"the same bill number twice in one sync: {rows[first]} and {rows[at]}")
    paid_amount = [amount if flag and given is None else (given or Decimal(0))
                   for flag, amount, given in zip(out["paid"], out["amount"], out["paid_amount"])]
    out["paid_amount"] = pd.Series(paid_amount, index=frame.index, dtype=object)
    return out


def _value(name: str, value: object, tz: ZoneInfo, source: str, row: str):
    if _empty(value):
        if name in REQUIRED:
            raise BillDataError(source, row, name, None, "required value missing")
        return False if name == "paid" else None
    try:
        parsed = PARSERS.get(name, _text)(value, name)
    except ValueError as error:
        raise BillDataError(source, row, name, value, str(error)) from None
    if isinstance(parsed, datetime):
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    return parsed


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NaT or (
        isinstance(value, str) and not value.strip())


def _text(value: object, name: str) -> str:
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    limit = LIMITS.get(name)
    if limit and len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text


def _va(value: object, name: str) -> str:
    return re.sub(r"\s+", "", _text(value, name))


def _kind(value: object, name: str) -> str:
    kind = str(value).strip().lower()
    if kind not in BILL_KINDS:
        raise ValueError(f"not a bill kind; expected one of {', '.join(BILL_KINDS)}")
    return kind


def _money(value: object, name: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = re.sub(r"^(?:rp|idr)\.?\s*", "", str(value).strip(), flags=re.IGNORECASE).replace(" ", "")
        if _INDONESIAN.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif not _PLAIN.match(text):
            raise ValueError("not an amount (1500000, 1500000.00 or 1.500.000,00)")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError("not an amount") from None
    if amount < 0:
        raise ValueError("negative amount")
    return amount.quantize(CENT)


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(int(value) if isinstance(value, (int, float, Decimal)) else value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("not a paid flag (1/0, ya/tidak, lunas/belum)")


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _moment(value: object, name: str) -> datetime:
    """A datetime, naive when the source gave no offset."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _MOMENT_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError("not a date and time (ISO 8601 or DD/MM/YYYY HH:MM)")


def _year(value: object, name: str) -> int:
    try:
        year = int(str(value).strip().split(".")[0])
    except ValueError:
        raise ValueError("not a year") from None
    if not 1950 <= year <= 2200:
        raise ValueError("not a plausible intake year")
    return year


PARSERS = {
    "kind": _kind, "amount": _money, "paid_amount": _money, "va_number": _va, "due_date": _day,
    "paid": _flag, "paid_at": _moment, "updated_at": _moment, "angkatan": _year,
}
