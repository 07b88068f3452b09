"""ISO 20022 camt.053 bank-to-customer statements (``.001.02`` to ``.001.08``), any namespace.

Each booked ``Ntry`` becomes an entry (pending and informational entries are skipped); an entry
that batches several ``TxDtls`` with their own amounts becomes one entry per transaction. The
statement's opening (``OPBD``, or ``PRCD``) and closing (``CLBD``) balances must agree with the
booked entries. Line numbers are those of the ``Ntry`` (or ``TxDtls``) start tags.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from xml.parsers import expat
from zoneinfo import ZoneInfo

from .entry import JAKARTA, BankEntry, Statement
from .errors import FeedError
from .sections import Section, combine
from .values import normalize_va, payment_ref_from_text, plain_money, va_from_text

_OPENING = ("OPBD", "PRCD")
_CLOSING = ("CLBD",)


class _Tree:
    """The document with namespaces dropped from tag names, and each element's source line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[ET.Element, int] = {}
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate(namespace_separator="}")

        def start(tag: str, attrs: dict[str, str]) -> None:
            element = builder.start(_local(tag), {_local(k): v for k, v in attrs.items()})
            self.lines[element] = parser.CurrentLineNumber

        def refuse_entity(name: str, *_: object) -> None:
            line = parser.CurrentLineNumber
            raise FeedError(path, line, "<!ENTITY>", name, "entity declarations are not allowed")

        parser.StartElementHandler = start
        parser.EndElementHandler = lambda tag: builder.end(_local(tag))
        parser.CharacterDataHandler = builder.data
        parser.EntityDeclHandler = refuse_entity
        try:
            with path.open("rb") as handle:
                parser.ParseFile(handle)
        except expat.ExpatError as exc:
            reason, problem = "not well-formed XML ({problem})", expat.ErrorString(exc.code)
            raise FeedError(path, exc.lineno, None, None, reason, problem=problem) from None
        except LookupError as exc:  # the declaration's encoding="…" names one Python does not know
            declared = str(exc).removeprefix("unknown encoding: ")
            raise FeedError(path, 1, "<?xml encoding>", declared, "unknown character encoding") from None
        self.root = builder.close()
        self.line_count = parser.CurrentLineNumber

    def line(self, element: ET.Element) -> int:
        return self.lines.get(element, 0)

    def text(self, element: ET.Element, xpath: str) -> str | None:
        found = element.find(xpath)
        text = found.text.strip() if found is not None and found.text else ""
        return text or None

    def required(self, element: ET.Element, xpath: str) -> tuple[str, ET.Element]:
        found = element.find(xpath)
        if found is None or not (found.text or "").strip():
            raise FeedError(self.path, self.line(element), f"{element.tag}/{xpath}", None, "missing")
        return found.text.strip(), found

    def money(self, element: ET.Element, xpath: str) -> tuple[Decimal, str]:
        text, found = self.required(element, xpath)
        try:
            return plain_money(text), found.get("Ccy") or "IDR"
        except ValueError as exc:
            raise FeedError(self.path, self.line(found), f"{element.tag}/{xpath}", text, str(exc)) from None

    def sign(self, element: ET.Element) -> int:
        text, found = self.required(element, "CdtDbtInd")
        if text not in ("CRDT", "DBIT"):
            field = f"{element.tag}/CdtDbtInd"
            raise FeedError(self.path, self.line(found), field, text, "expected CRDT or DBIT")
        return 1 if text == "CRDT" else -1

    def moment(self, element: ET.Element, xpath: str, tz: ZoneInfo) -> datetime | None:
        """``xpath/Dt`` at midnight or ``xpath/DtTm`` in ``tz`` when it carries no offset."""
        for child, is_date in (("Dt", True), ("DtTm", False)):
            text = self.text(element, f"{xpath}/{child}")
            if text is None:
                continue
            try:
                moment = (
                    datetime.combine(date.fromisoformat(text), time())
                    if is_date
                    else datetime.fromisoformat(text)
                )
            except ValueError:
                found = element.find(f"{xpath}/{child}")
                raise FeedError(
                    self.path, self.line(found), f"{element.tag}/{xpath}/{child}", text, "not an ISO date"
                ) from None
            return moment.astimezone(tz) if moment.tzinfo else moment.replace(tzinfo=tz)
        return None


def parse_camt053(path: Path, *, mapping: object = None, tz: ZoneInfo = JAKARTA) -> Statement:
    """Parse a camt.053 XML file into a :class:`Statement`; bad content raises :class:`FeedError`.

    ``mapping`` is accepted for a uniform parser signature and ignored.
    """
    tree = _Tree(Path(path))
    statements = tree.root.findall("BkToCstmrStmt/Stmt")
    if tree.root.tag != "Document" or not statements:
        field = "Document/BkToCstmrStmt/Stmt"
        raise FeedError(tree.path, 1, field, tree.root.tag, "not a camt.053 statement")
    sections = [_section(tree, statement, tz) for statement in statements]
    return combine(tree.path, "camt053", sections, tree.line_count)


def _section(tree: _Tree, statement: ET.Element, tz: ZoneInfo) -> Section:
    account = tree.text(statement, "Acct/Id/IBAN") or tree.text(statement, "Acct/Id/Othr/Id")
    balances: dict[str, tuple[Decimal, ET.Element, date | None]] = {}
    for balance in statement.findall("Bal"):
        code = tree.text(balance, "Tp/CdOrPrtry/Cd") or tree.text(balance, "Tp/CdOrPrtry/Prtry")
        amount, _ = tree.money(balance, "Amt")
        moment = tree.moment(balance, "Dt", tz)
        balances[code or ""] = (amount * tree.sign(balance), balance, moment.date() if moment else None)
    opening = next((balances[code] for code in _OPENING if code in balances), None)
    closing = next((balances[code] for code in _CLOSING if code in balances), None)
    if opening is None:
        raise FeedError(tree.path, tree.line(statement), "Bal OPBD", None, "opening balance missing")
    if closing is None:
        reason = "closing balance missing (is the file truncated?)"
        raise FeedError(tree.path, tree.line(statement), "Bal CLBD", None, reason)
    return Section(
        account=account,
        opening=opening[0],
        closing=closing[0],
        entries=[entry for ntry in statement.findall("Ntry") for entry in _entries(tree, ntry, account, tz)],
        closing_line=tree.line(closing[1]),
        closing_field="Bal CLBD",
        number=tree.text(statement, "ElctrncSeqNb") or tree.text(statement, "LglSeqNb")
        or tree.text(statement, "Id"),
        first_line=tree.line(statement),
        opening_date=opening[2],
        closing_date=closing[2],
    )


def _entries(tree: _Tree, ntry: ET.Element, account: str | None, tz: ZoneInfo) -> list[BankEntry]:
    status = tree.text(ntry, "Sts/Cd") or tree.text(ntry, "Sts")
    if status not in (None, "BOOK"):
        return []
    amount, currency = tree.money(ntry, "Amt")
    sign = tree.sign(ntry)
    booked_at = tree.moment(ntry, "BookgDt", tz) or tree.moment(ntry, "ValDt", tz)
    if booked_at is None:
        raise FeedError(tree.path, tree.line(ntry), "Ntry/BookgDt", None, "missing")
    value_at = tree.moment(ntry, "ValDt", tz)
    common = {
        "source_format": "camt053",
        "currency": currency,
        "direction": "credit" if sign > 0 else "debit",
        "is_reversal": (tree.text(ntry, "RvslInd") or "").lower() == "true",
        "booked_at": booked_at,
        "value_date": value_at.date() if value_at else None,
        "account": account,
    }
    details = ntry.findall("NtryDtls/TxDtls")
    if len(details) > 1 and all(_tx_amount(detail) is not None for detail in details):
        parts = [(detail, tree.money(detail, _tx_amount(detail))[0]) for detail in details]
        if sum(part for _, part in parts) != amount:
            reason = "differs from the sum of its TxDtls amounts"
            raise FeedError(tree.path, tree.line(ntry), "Ntry/Amt", f"{amount:.2f}", reason)
    else:
        parts = [(details[0] if details else None, amount)]
    return [_entry(tree, ntry, detail, part, common) for detail, part in parts]


def _entry(
    tree: _Tree, ntry: ET.Element, detail: ET.Element | None, amount: Decimal, common: dict
) -> BankEntry:
    scope = detail if detail is not None else ntry
    narrative = " ".join(
        text
        for element in (*scope.iter("Ustrd"), *scope.iter("AddtlTxInf"), *ntry.findall("AddtlNtryInf"))
        if (text := (element.text or "").strip())
    )
    creditor_ref = tree.text(scope, "RmtInf/Strd/CdtrRefInf/Ref")
    end_to_end = tree.text(scope, "Refs/EndToEndId")
    party = "Dbtr" if common["direction"] == "credit" else "Cdtr"
    bank_ref = (
        tree.text(scope, "Refs/AcctSvcrRef")
        or tree.text(ntry, "AcctSvcrRef")
        or (end_to_end if end_to_end != "NOTPROVIDED" else None)
    )
    return BankEntry(
        **common,
        amount=amount,
        line_no=tree.line(scope),
        bank_ref=bank_ref,
        payment_ref=payment_ref_from_text(narrative),
        va_number=va_from_text(narrative)
        or (normalize_va(creditor_ref) if creditor_ref and creditor_ref.isdigit() else None),
        payer_name=tree.text(scope, f"RltdPties/{party}/Nm")
        or tree.text(scope, f"RltdPties/{party}/Pty/Nm"),
        description=narrative or None,
    )


def _tx_amount(detail: ET.Element) -> str | None:
    for xpath in ("Amt", "AmtDtls/TxAmt/Amt"):
        if detail.find(xpath) is not None:
            return xpath
    return None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]
