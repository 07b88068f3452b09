"""Writing small bank files for the identity tests: MT940 and camt.053 statements and BNI notification logs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, select

from pantau.models import BankTransaction

ACCOUNT = "0987654321"


@dataclass(frozen=True)
class Line:
    """One ``:61:`` line: day ``YYMMDD``, mark, whole Rupiah, bank reference and ``:86:`` narrative."""

    day: str
    amount: int
    ref: str = "NONREF"
    narrative: str = "SETORAN"
    mark: str = "C"


def mt940(number: int, opening: int, lines: list[Line], *, opens: str, closes: str, account: str = ACCOUNT) -> str:
    """A one-statement MT940 message whose closing balance follows from its lines."""
    closing = opening + sum(line.amount if line.mark == "C" else -line.amount for line in lines)
    text = [f":20:STMT{number}", f":25:{account}", f":28C:{number:05d}/001", f":60F:C{opens}IDR{opening},00"]
    for line in lines:
        text += [f":61:{line.day}{line.day[2:]}{line.mark}{line.amount},00NTRF{line.ref}//{line.ref}",
                 f":86:{line.narrative}"]
    text.append(f":62F:C{closes}IDR{closing},00")
    return "\n".join(text) + "\n"


def camt(number: int, opening: int, lines: list[Line], *, opens: str, closes: str, account: str = ACCOUNT) -> str:
    """A one-statement camt.053 document (``opens`` and ``closes`` as YYMMDD, the dates of its opening
    and closing balances) whose closing balance follows from its lines."""
    closing = opening + sum(line.amount if line.mark == "C" else -line.amount for line in lines)

    def day(text: str) -> str:
        return f"20{text[:2]}-{text[2:4]}-{text[4:]}"

    def balance(code: str, amount: int, on: str) -> str:
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"IDR\">{amount}.00</Amt>"
                f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day(on)}</Dt></Dt></Bal>")

    entries = "".join(
        f"<Ntry><Amt Ccy=\"IDR\">{line.amount}.00</Amt><CdtDbtInd>{'CRDT' if line.mark == 'C' else 'DBIT'}</CdtDbtInd>"
        f"<Sts>BOOK</Sts><BookgDt><Dt>{day(line.day)}</Dt></BookgDt><AcctSvcrRef>{line.ref}</AcctSvcrRef>"
        f"<AddtlNtryInf>{line.narrative}</AddtlNtryInf></Ntry>\n" for line in lines)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\n'
            f"<Stmt><Id>S{number}</Id><ElctrncSeqNb>{number}</ElctrncSeqNb>"
            f"<Acct><Id><Othr><Id>{account}</Id></Othr></Id></Acct>\n"
            f"{balance('OPBD', opening, opens)}{balance('CLBD', closing, closes)}\n{entries}"
            "</Stmt></BkToCstmrStmt></Document>\n")


def bni(ntb: str, va: str, amount: int, moment: str, bill: str = "INV-1") -> dict:
    """One BNI eCollection notification."""
    return {"trx_id": bill, "virtual_account": va, "customer_name": "ANI", "trx_amount": str(amount),
            "payment_amount": str(amount), "cumulative_payment_amount": str(amount), "payment_ntb": ntb,
            "datetime_payment": moment}


def write(folder: Path, name: str, content: str | list[dict]) -> Path:
    path = folder / name
    if isinstance(content, list):
        content = "".join(json.dumps(record) + "\n" for record in content)
    path.write_text(content, encoding="utf-8")
    return path


def payments(store: Engine) -> tuple[int, Decimal]:
    """How many distinct payments the store holds, and their total."""
    with store.connect() as connection:
        count, total = connection.execute(
            select(func.count(), func.coalesce(func.sum(BankTransaction.amount), 0))
            .where(BankTransaction.payment_id.is_(None), BankTransaction.direction == "credit",
                   BankTransaction.is_reversal.is_(False))
        ).one()
    return count, Decimal(total).quantize(Decimal("0.01"))


def evidence(store: Engine) -> dict[str, list[str]]:
    """Each payment's representative format with the formats of its evidence rows."""
    with store.connect() as connection:
        rows = connection.execute(select(BankTransaction.id, BankTransaction.payment_id,
                                         BankTransaction.source_format)).all()
    groups: dict[int, list[str]] = {}
    for row in rows:
        groups.setdefault(row.payment_id or row.id, []).append(row.source_format)
    return {str(key): sorted(formats) for key, formats in groups.items()}
