"""SWIFT MT940 statements, read with the ``mt-940`` package, tolerant of Indonesian bank habits.

Statements from Indonesian banks deviate from the standard; these deviations import:

* a SWIFT envelope (``{1:F01...}{2:...}{4:`` ... ``-}{5:...}``), each message possibly wrapped in
  SOH/ETX (``\\x01`` ... ``\\x03``) or separated by ``$``, and non-SWIFT header lines (a bank's export
  banner) before ``:20:`` or between statements;
* a fragment without ``:20:``, starting at ``:25:``, ``:28C:`` or ``:60F:``;
* a statement number ``:28C:`` of any shape (``00001/001``, ``1``, ``2024/03``, or none at all);
* a blank entry date (four spaces where ``:61:`` has its ``MMDD``);
* amounts without decimals (``1500000`` next to ``1500000,00``);
* a ``:86:`` of ``?NN`` subfields (``?20``-``?29`` and ``?60``-``?63`` its narrative, ``?32``/``?33``
  the payer), read as plain narrative (:func:`~collectors.bankfeeds.values.structured_narrative`);
* LF, CRLF or CR line endings, a byte-order mark, Windows-1252 text, several statements in one file.

A statement without entries is read as such, its opening and closing balances still checked.

Each field is checked before the package parses it, so a bad line fails with its line number
instead of being read half-way (the package alone would read ``1.500.000,00`` as ``1``). A file
without an opening or closing balance (a truncated download) is refused, and so is a statement whose
opening balance plus its entries differs from its closing balance.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import mt940

from .entry import CENT, JAKARTA, BankEntry, Statement
from .errors import FeedError
from .sections import Section, combine
from .source import read_text
from .values import payment_ref_from_text, structured_narrative, swift_money, va_from_text

_TAG = re.compile(r"^:(?P<tag>\d{2}[A-Z]?|NS):(?P<value>.*)$")
_ENVELOPE_OPEN = re.compile(r"^(?:\{\d:[^{}]*\})*\{4:")
_ENVELOPE_CLOSE = re.compile(r"^-\}(?:\{\d:(?:[^{}]|\{[^{}]*\})*\})*")
_WRAPPERS = re.compile(r"[\x01\x03]")
_SEPARATORS = frozenset({"", "-", "$"})
_STATEMENT_LINE = re.compile(
    r"(?P<value_date>\d{6})(?P<entry_date>\d{4}| {4})?(?P<mark>R?[CD])(?P<funds>[A-Z](?=\d))?"
    r"(?P<amount>[^A-Z/]*)(?P<rest>.*)"
)
_BALANCE = re.compile(r"(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>.*)")
_VA_REFERENCE = re.compile(r"\d{10,16}")
_MULTILINE_TAGS = frozenset({"86", "NS"})
_OPENING_TAGS = ("60F", "60M", "60")
_CLOSING_TAGS = ("62F", "62M", "62")
_TRAILING_TAGS = frozenset({"64", "65", "86", "NS"})
_INVALID = {"61": "not a valid :61: statement line", "86": "not a valid :86: narrative"}
_OPTIONS = mt940.Options(merge_keeps_values=True, unbounded_details=True)


class _AnyStatementNumber(mt940.tags.StatementNumber):
    """``:28:``/``:28C:`` accepting whatever Indonesian banks put there."""

    pattern: ClassVar[str] = r"(?P<statement_number>[^/]*)(?:/(?P<sequence_number>.*))?$"


_TAGS = {28: _AnyStatementNumber()}

logging.getLogger("mt940").setLevel(logging.CRITICAL + 1)
"""The package logs a regex dump for every field it cannot read; :class:`FeedError` says it in one line."""


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        return "\n".join(self.lines)

    @property
    def name(self) -> str:
        return f":{self.tag}:"


def parse_mt940(path: Path, *, mapping: object = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse an MT940 file into a :class:`Statement`; any bad line raises :class:`FeedError`.

    Entry dates have no time of day; ``booked_at`` is midnight of the entry date (the value date
    when the line carries none) in ``tz``. ``mapping`` is accepted for a uniform parser signature
    and ignored.
    """
    path = Path(path)
    lines = _WRAPPERS.sub("", read_text(path)).split("\n")
    lines_read = len(lines) - (lines[-1] == "")
    statements = _split(path, lines)
    if not statements:
        raise FeedError(path, None, ":20:", None, "no MT940 statement found")
    sections = [_section(path, fields, lines_read, tz) for fields in statements]
    return combine(path, "mt940", sections, lines_read)


def _split(path: Path, lines: list[str]) -> list[list[_Field]]:
    """Cut the file into statements (lists of fields), skipping envelopes and header lines.

    A statement starts at ``:20:``, at the first field after an envelope or header, or at a field
    other than ``:64:``/``:65:``/``:86:`` after a closing balance (fragments without ``:20:``).
    """
    statements: list[list[_Field]] = []
    current: list[_Field] | None = None
    last: _Field | None = None
    closed = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        ending = _ENVELOPE_CLOSE.match(line)
        if ending:
            line = line[ending.end():]
            current, last = None, None
        opened = _ENVELOPE_OPEN.match(line)
        if opened:
            line = line[opened.end():]
            current, last = None, None
        if line.strip() in _SEPARATORS:
            continue
        tag = _TAG.match(line)
        if tag:
            name = tag["tag"]
            if current is None or name == "20" or (closed and name not in _TRAILING_TAGS):
                current, closed = [], False
                statements.append(current)
            last = _Field(name, number, [tag["value"]])
            current.append(last)
            closed = closed or name in _CLOSING_TAGS
        elif last is None:
            continue
        elif last.tag in _MULTILINE_TAGS or (last.tag == "61" and len(last.lines) == 1):
            last.lines.append(line)
        elif closed:
            last = None
        else:
            raise FeedError(path, number, last.name, line, "unexpected line, not part of any field")
    return statements


def _section(path: Path, fields: list[_Field], line_count: int, tz: ZoneInfo) -> Section:
    """One ``:20:`` block: its header fields through the package, then each ``:61:`` with its ``:86:``."""
    header = mt940.models.Transactions(tags=_TAGS, options=_OPTIONS)
    groups: list[list[_Field]] = []
    balances: dict[str, tuple[_Field, Decimal, date]] = {}
    for previous, item in zip([None, *fields], fields):
        if item.tag == "61":
            groups.append([item])
        elif item.tag in _MULTILINE_TAGS and groups and previous is groups[-1][-1]:
            groups[-1].append(item)
        else:
            if item.tag.startswith(("60", "62", "64", "65")):
                balances[item.tag] = (item, *_balance(path, item))
            _feed(path, header, item)
    opening = next((balances[tag] for tag in _OPENING_TAGS if tag in balances), None)
    closing = next((balances[tag] for tag in _CLOSING_TAGS if tag in balances), None)
    first = fields[0]
    if opening is None:
        raise FeedError(path, first.line, ":60F:", None, "opening balance missing")
    if closing is None:
        reason = "closing balance missing (is the file truncated?)"
        raise FeedError(path, line_count, ":62F:", None, reason)
    account = (header.data.get("account_identification") or "").strip() or None
    return Section(
        account=account,
        opening=opening[1],
        closing=closing[1],
        entries=[_entry(path, group, header, account, tz) for group in groups],
        closing_line=closing[0].line,
        closing_field=closing[0].name,
        number=_statement_number(header.data),
        first_line=first.line,
        opening_date=opening[2],
        closing_date=closing[2],
    )


def _statement_number(data: dict) -> str | None:
    """``:28C:`` as ``number/sequence`` with leading zeros dropped (``00002/001`` is ``2/1``)."""
    parts = [str(data.get(key) or "").strip() for key in ("statement_number", "sequence_number")]
    parts = [part.lstrip("0") or "0" if part.isdigit() else part for part in parts if part]
    return "/".join(parts) or None


def _balance(path: Path, item: _Field) -> tuple[Decimal, date]:
    """A balance field's signed amount and its date."""
    match = _BALANCE.fullmatch(item.value)
    if not match:
        reason = "not a balance (expected C|D YYMMDD currency amount)"
        raise FeedError(path, item.line, item.name, item.value, reason)
    try:
        amount = swift_money(match["amount"])
    except ValueError as exc:
        raise FeedError(path, item.line, f"{item.name} amount", match["amount"], str(exc)) from None
    try:
        day = datetime.strptime(match["date"], "%y%m%d").date()
    except ValueError:
        reason, field = "not a date ({shape})", f"{item.name} date"
        raise FeedError(path, item.line, field, match["date"], reason, shape="YYMMDD") from None
    return (-amount if match["mark"] == "D" else amount), day


def _feed(path: Path, transactions: mt940.models.Transactions, item: _Field) -> None:
    """Let the package read one field; its refusal becomes a one-line :class:`FeedError`."""
    try:
        transactions.parse(f":{item.tag}:{item.value}")
    except (RuntimeError, ValueError, ArithmeticError):
        reason = _INVALID.get(item.tag, "not a valid {tag} field")
        raise FeedError(path, item.line, item.name, item.value, reason, tag=item.name) from None


def _entry(
    path: Path,
    group: list[_Field],
    header: mt940.models.Transactions,
    account: str | None,
    tz: ZoneInfo,
) -> BankEntry:
    line = group[0]
    match = _STATEMENT_LINE.match(line.lines[0])
    if not match:
        raise FeedError(
            path, line.line, line.name, line.value,
            "not a statement line (expected YYMMDD[MMDD] C|D|RC|RD amount type reference)",
        )
    try:
        swift_money(match["amount"])
    except ValueError as exc:
        raise FeedError(path, line.line, ":61: amount", match["amount"], str(exc)) from None
    _check_day(path, line, "value date", match["value_date"], "20", "YYMMDD")
    if (match["entry_date"] or "").strip():
        _check_day(path, line, "entry date", match["entry_date"], "2000", "MMDD")
    transactions = mt940.models.Transactions(tags=_TAGS, options=_OPTIONS)
    transactions.data.update(header.data)
    for item in group:
        _feed(path, transactions, item)
    data = transactions.transactions[-1].data
    mark = match["mark"]
    narrative, payer = _narrative(group)
    details = " ".join(part.strip() for part in (narrative, data.get("extra_details")) if part)
    customer = (data.get("customer_reference") or "").strip()
    customer = "" if customer.upper() == "NONREF" else customer
    bank_ref = (data.get("bank_reference") or "").strip() or customer or None
    value_date = date(data["date"].year, data["date"].month, data["date"].day)
    booked = data.get("entry_date") or value_date
    return BankEntry(
        source_format="mt940",
        amount=abs(data["amount"].amount).quantize(CENT),
        currency=data.get("currency") or "IDR",
        direction="credit" if mark in ("C", "RD") else "debit",
        is_reversal=mark.startswith("R"),
        booked_at=datetime.combine(booked, time(), tzinfo=tz),
        value_date=value_date,
        line_no=line.line,
        account=account,
        bank_ref=bank_ref,
        payment_ref=payment_ref_from_text(f"{data.get('bank_reference') or ''} {details}"),
        va_number=va_from_text(details)
        or (customer if _VA_REFERENCE.fullmatch(customer) else None),
        payer_name=payer,
        description=details or None,
    )


def _check_day(path: Path, line: _Field, part: str, digits: str, century: str, shape: str) -> None:
    """Refuse a ``:61:`` date that is no day of the calendar (``century + digits`` as ``YYYYMMDD``)."""
    try:
        datetime.strptime(century + digits, "%Y%m%d")
    except ValueError:
        reason = "not a date ({shape})"
        raise FeedError(path, line.line, f":61: {part}", digits, reason, shape=shape) from None


def _narrative(group: list[_Field]) -> tuple[str, str | None]:
    """The entry's ``:86:`` as plain text and the payer it names, if structured in ``?NN`` subfields."""
    text = "\n".join(item.value for item in group[1:] if item.tag == "86")
    structured = structured_narrative(text)
    return structured if structured is not None else (text, None)

