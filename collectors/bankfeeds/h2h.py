"""JSON lines of H2H virtual-account payment notifications, as the payment server logs them.

One JSON object per line, blank lines ignored. Three flavours:

* ``bni``: BNI eCollection callback (decrypted), ``trx_id, virtual_account, customer_name,
  trx_amount, payment_amount, cumulative_payment_amount, payment_ntb, datetime_payment``
  (``YYYY-MM-DD HH:MM:SS`` Jakarta time, amounts as strings of digits). The payment reference is
  ``payment_ntb``; the amount is ``payment_amount`` (a partial payment pays less than ``trx_amount``).
* ``briva``: BRI BRIVA notification, ``brivaNo, custCode, nama, billAmount, transactionDateTime``
  (``yyyyMMddHHmmss``), ``journalSeq``. The VA is ``brivaNo`` followed by ``custCode`` when the log
  carries the customer code separately.
* ``snap``: SNAP BI virtual-account payment, ``partnerServiceId, customerNo, virtualAccountNo,
  virtualAccountName, trxId, paymentRequestId, paidAmount{value,currency}, trxDateTime`` (ISO 8601
  with offset), ``referenceNo``. The payment reference is ``paymentRequestId``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .entry import JAKARTA, BankEntry, Statement
from .errors import FeedError
from .source import read_text
from .values import normalize_ref, normalize_va, plain_money

Record = dict[str, Any]


class _Line:
    """One logged notification, with accessors that raise :class:`FeedError` naming the field."""

    def __init__(self, path: Path, number: int, record: Record, tz: ZoneInfo) -> None:
        self.path, self.number, self.record, self.tz = path, number, record, tz

    def get(self, field: str) -> Any:
        value: Any = self.record
        for part in field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str) -> str:
        value = self.get(field)
        if value is None or value == "":
            raise FeedError(self.path, self.number, field, None, "required field missing")
        return str(value)

    def money(self, field: str) -> Decimal:
        value = self.text(field)
        try:
            return plain_money(value)
        except ValueError as exc:
            raise FeedError(self.path, self.number, field, value, str(exc)) from None

    def moment(self, field: str, fmt: str | None) -> datetime:
        value = self.text(field)
        try:
            moment = datetime.strptime(value, fmt) if fmt else datetime.fromisoformat(value)
        except ValueError:
            reason = "not a date and time ({expected})"
            expected = fmt or "ISO 8601"
            raise FeedError(self.path, self.number, field, value, reason, expected=expected) from None
        return moment.astimezone(self.tz) if moment.tzinfo else moment.replace(tzinfo=self.tz)


def _bni(line: _Line) -> BankEntry:
    ntb = line.text("payment_ntb")
    return BankEntry(
        source_format="bni",
        amount=line.money("payment_amount"),
        direction="credit",
        booked_at=line.moment("datetime_payment", "%Y-%m-%d %H:%M:%S"),
        line_no=line.number,
        bank_ref=ntb,
        payment_ref=normalize_ref(ntb),
        va_number=normalize_va(line.text("virtual_account")),
        bill_ref=line.text("trx_id"),
        payer_name=line.get("customer_name") or None,
        description=f"BNI eCollection NTB {ntb}",
    )


def _briva(line: _Line) -> BankEntry:
    journal = line.text("journalSeq")
    briva_no = normalize_va(line.text("brivaNo")) or ""
    cust_code = normalize_va(line.get("custCode")) or ""
    va = briva_no if briva_no.endswith(cust_code) else briva_no + cust_code
    return BankEntry(
        source_format="briva",
        amount=line.money("billAmount"),
        direction="credit",
        booked_at=line.moment("transactionDateTime", "%Y%m%d%H%M%S"),
        line_no=line.number,
        bank_ref=journal,
        payment_ref=normalize_ref(journal),
        va_number=va,
        payer_name=line.get("nama") or None,
        description=f"BRIVA journalSeq {journal}",
    )


def _snap(line: _Line) -> BankEntry:
    request_id = line.text("paymentRequestId")
    va = line.get("virtualAccountNo") or f"{line.text('partnerServiceId')}{line.text('customerNo')}"
    reference = line.get("referenceNo")
    description = f"SNAP paymentRequestId {request_id}"
    return BankEntry(
        source_format="snap",
        amount=line.money("paidAmount.value"),
        currency=line.get("paidAmount.currency") or "IDR",
        direction="credit",
        booked_at=line.moment("trxDateTime", None),
        line_no=line.number,
        bank_ref=request_id,
        payment_ref=normalize_ref(request_id),
        va_number=normalize_va(va),
        bill_ref=line.get("trxId") or None,
        payer_name=line.get("virtualAccountName") or None,
        description=f"{description}, referenceNo {reference}" if reference else description,
    )


FLAVOURS: dict[str, Callable[[_Line], BankEntry]] = {"bni": _bni, "briva": _briva, "snap": _snap}


def flavour_of(record: Record) -> str | None:
    """The H2H flavour a notification's keys reveal, or ``None``."""
    if "payment_ntb" in record or "virtual_account" in record:
        return "bni"
    if "journalSeq" in record or "brivaNo" in record:
        return "briva"
    if "paymentRequestId" in record or "virtualAccountNo" in record:
        return "snap"
    return None


def parse_notifications(path: Path, flavour: str, *, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a JSON-lines log of ``flavour`` notifications; a bad line raises :class:`FeedError`."""
    path = Path(path)
    build = FLAVOURS[flavour]
    lines = read_text(path).split("\n")
    entries = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            reason = "not JSON ({problem}, column {column})"
            raise FeedError(path, number, None, raw, reason, problem=exc.msg, column=exc.colno) from None
        if not isinstance(record, dict):
            raise FeedError(path, number, None, raw, "not a JSON object")
        entries.append(build(_Line(path, number, record, tz)))
    return Statement(
        file=path,
        source_format=flavour,
        entries=entries,
        lines_read=len(lines) - (lines[-1] == ""),
    )


def parse_bni(path: Path, *, mapping: object = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a BNI eCollection notification log (``mapping`` is ignored)."""
    return parse_notifications(path, "bni", tz=tz)


def parse_briva(path: Path, *, mapping: object = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a BRI BRIVA notification log (``mapping`` is ignored)."""
    return parse_notifications(path, "briva", tz=tz)


def parse_snap(path: Path, *, mapping: object = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a SNAP BI virtual-account payment log (``mapping`` is ignored)."""
    return parse_notifications(path, "snap", tz=tz)
