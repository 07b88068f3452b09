"""Turning rows read from a bill source into bill records, or refusing them with the row and field.

Values may arrive typed (from the application's database) or as text (from an export): amounts
as numbers, ``1500000.00`` or Indonesian ``1.500.000,00`` (with or without ``Rp``), dates as dates
or ``YYYY-MM-DD`` / ``DD/MM/YYYY`` (or the source's ``date_formats``), paid times also as a date alone
(its midnight) or with ``HH:MM[:SS]``, the paid flag as 1/0, ya/tidak, lunas/belum, true/false.
Times without an offset are in the source's zone.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pandas as pd

from pantau.banks import CODE as BANK_CODE
from pantau.billkinds import SOP_KINDS

from .config import OPTIONAL, REQUIRED, bank_columns

CENT = Decimal("0.01")
LIMITS = {"source_key": 40, "va_number": 32, "va_bank": 16, "semester": 8, "payer_name": 120, "nim": 20, "reg_no": 24,
          "prodi": 16}
TRUE = {"1", "y", "ya", "yes", "true", "t", "lunas", "sudah", "paid", "l"}
FALSE = {"0", "n", "no", "tidak", "false", "f", "belum", "unpaid", "b", ""}
_INDONESIAN = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$|^\d+,\d{1,2}$")
_PLAIN = re.compile(r"^\d+(?:\.\d{1,2})?$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
"""The dates every source may give (after its own ``date_formats``); a time may follow a date."""
_TIMES = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S", "T%H:%M")


class BillDataError(ValueError):
    """A bill row that cannot be stored (set aside in quarantine, or nothing of the sync is stored), or a
    whole source refused. Names the source, the query (a database source's mapping query) or file, the row,
    the field and the source's column when its name differs."""

    def __init__(self, source: str, row: str, field: str, value: object, reason: str, *, query: str | None = None,
                 column: str | None = None, key: str | None = None) -> None:
        self.source, self.row, self.field, self.value, self.reason = source, row, field, value, reason
        self.query, self.column, self.key = query, column or field, key
        shown = "" if value is None else f", value {str(value)[:80]!r}"
        where = f" {query}," if query else ""
        named = f" (column {column})" if column and column != field else ""
        super().__init__(f"bill source {source!r}{where} {row}, field {field}{named}{shown}: {reason}")

    def as_dict(self) -> dict:
        """The row's problem as `pantau sync bills --json` and the quarantine list give it."""
        return {"row": self.row, "source_key": self.key, "query": self.query, "column": self.column,
                "field": self.field, "value": None if self.value is None else str(self.value)[:200],
                "reason": self.reason}


def normalise(frame: pd.DataFrame, source: str, zone: str, rows: list[str], *,
              quarantine: list[BillDataError] | None = None, query: str | None = None,
              columns: dict[str, str] | None = None, date_formats: tuple[str, ...] = (),
              kinds: Collection[str] = SOP_KINDS) -> pd.DataFrame:
    """Bill records from ``frame`` (columns named as the bill fields); ``rows`` names each row in errors,
    ``query`` and ``columns`` (field -> the source's column) name where they came from; ``date_formats``
    (strptime formats, the source's own) are tried before :data:`DATE_FORMATS` for dates and paid times;
    ``kinds`` are the kind codes accepted (the store's active bill kinds, :func:`pantau.billkinds.accepted_codes`).

    Without ``quarantine`` the first bad row raises :class:`BillDataError`; with it, each bad row (its
    first bad value) is appended there and left out, and the other rows are returned. A number given by
    two rows is a bad value of both, naming both rows. A missing column always raises.
    """
    columns = columns or {}
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "nothing"
        raise BillDataError(source, "header", missing[0], None, f"column missing; the source gives {found}",
                            query=query, column=columns.get(missing[0]))
    tz = ZoneInfo(zone)
    formats = (*date_formats, *(fmt for fmt in DATE_FORMATS if fmt not in date_formats))
    keys = frame["source_key"].tolist()
    bad: dict[int, BillDataError] = {}
    out = pd.DataFrame(index=frame.index)
    banks = bank_columns(frame.columns)
    for name in (*REQUIRED, *OPTIONAL, *banks):
        values = frame[name].tolist() if name in frame.columns else [None] * len(frame)
        parsed = []
        for at, (value, row) in enumerate(zip(values, rows)):
            try:
                one = _value(name, value, tz, source, row, formats)
                if name == "kind" and one is not None and one not in kinds:
                    raise BillDataError(source, row, name, value, _unknown_kind(kinds))
                parsed.append(one)
            except BillDataError as error:
                parsed.append(None)
                bad.setdefault(at, BillDataError(source, row, name, value, error.reason, query=query,
                                                 column=columns.get(name), key=_key(keys[at])))
        out[name] = pd.Series(parsed, index=frame.index, dtype=object)
    first_row: dict[str, int] = {}
    for at, key in enumerate(out["source_key"].tolist()):
        if key is None:
            continue
        if key in first_row:
            reason = f"the same bill number twice in one sync: {rows[first_row[key]]} and {rows[at]}"
            for index in (first_row[key], at):
                bad.setdefault(index, BillDataError(source, rows[index], "source_key", key, reason, query=query,
                                                    column=columns.get("source_key"), key=key))
        else:
            first_row[key] = at
    out["vas"] = pd.Series([_vas(row, banks) for row in out.to_dict("records")], index=out.index, dtype=object)
    out["va_number"] = pd.Series([vas[0][1] if vas else None for vas in out["vas"]], index=out.index, dtype=object)
    out = out.drop(columns=["va_bank", *banks])
    if bad:
        if quarantine is None:
            raise bad[min(bad)] if not _twice(bad) else bad[max(bad)]
        quarantine.extend(bad[at] for at in sorted(bad))
        out = out[[at not in bad for at in range(len(out))]]
    paid_amount = [amount if flag and given is None else (given or Decimal(0))
                   for flag, amount, given in zip(out["paid"], out["amount"], out["paid_amount"])]
    out["paid_amount"] = pd.Series(paid_amount, index=out.index, dtype=object)
    return out


def _vas(row: dict, banks: list[str]) -> list[tuple[str | None, str]]:
    """The row's VAs, the bare ``va_number`` first, each (bank, number) once."""
    found = [(row["va_bank"], row["va_number"])] if row["va_number"] else []
    found += [(column[3:], row[column]) for column in banks if row[column]]
    return list(dict.fromkeys(found))


def _twice(bad: dict[int, BillDataError]) -> bool:
    """Whether the first problem is a number given twice (then the later row is the one named first)."""
    return bad[min(bad)].reason.startswith("the same bill number twice")


def _key(value: object) -> str | None:
    if _empty(value):
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()[:40]


def _value(name: str, value: object, tz: ZoneInfo, source: str, row: str, formats: tuple[str, ...] = DATE_FORMATS):
    if _empty(value):
        if name in REQUIRED:
            raise BillDataError(source, row, name, None, "required value missing")
        return False if name == "paid" else None
    try:
        parser = PARSERS.get(name, _va if name.startswith("va_") else _text)
        parsed = parser(value, name, formats) if parser in (_day, _moment) else parser(value, name)
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
    limit = LIMITS.get(name, 32 if name.startswith("va_") else None)
    if limit and len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text


def _va(value: object, name: str) -> str:
    return re.sub(r"\s+", "", _text(value, name))


def _bank(value: object, name: str) -> str:
    code = str(value).strip().lower()
    if not BANK_CODE.match(code):
        raise ValueError("not a bank code (bni, bri, mandiri, bsi...: letters, digits and _)")
    return code


def _kind(value: object, name: str) -> str:
    return str(value).strip().lower()


def _unknown_kind(kinds: Collection[str]) -> str:
    shown = sorted(kinds)
    more = f", … ({len(shown)} in all)" if len(shown) > 12 else ""
    return (f"not a bill kind (or one switched off); expected one of {', '.join(shown[:12])}{more} "
            "(the admin page's bill kinds, or [[bill_kinds]] in the configuration)")


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


def _day(value: object, name: str, formats: tuple[str, ...] = DATE_FORMATS) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in formats:
        for time in _TIMES:
            try:
                return datetime.strptime(text, fmt + time).date()
            except ValueError:
                continue
    raise ValueError(f"not a date ({_shown(formats)})")


def _moment(value: object, name: str, formats: tuple[str, ...] = DATE_FORMATS) -> datetime:
    """A datetime, naive when the source gave no offset; a date alone is its midnight."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    for fmt in formats:
        for time in _TIMES:
            try:
                return datetime.strptime(text, fmt + time)
            except ValueError:
                continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"not a date and time ({_shown(formats)}, a time HH:MM[:SS] may follow, or ISO 8601)")


def _shown(formats: tuple[str, ...]) -> str:
    words = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%y": "YY", "%H": "HH", "%M": "MM", "%S": "SS", "%b": "Mon"}
    shown = []
    for fmt in formats:
        for code, word in words.items():
            fmt = fmt.replace(code, word)
        shown.append(fmt)
    return ", ".join(shown)


def _year(value: object, name: str) -> int:
    try:
        year = int(str(value).strip().split(".")[0])
    except ValueError:
        raise ValueError("not a year") from None
    if not 1950 <= year <= 2200:
        raise ValueError("not a plausible intake year")
    return year


PARSERS = {
    "kind": _kind, "amount": _money, "paid_amount": _money, "va_number": _va, "va_bank": _bank, "due_date": _day,
    "issued_on": _day,
    "paid": _flag, "paid_at": _moment, "updated_at": _moment, "angkatan": _year,
}
