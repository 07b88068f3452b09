"""A bill's virtual accounts (:class:`~pantau.models.billing.BillVa`): written in step with ``bills.va_number``
(the primary VA's copy), and read with their banks' names."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, select, update

from pantau.banks import bank_name
from pantau.i18n import translate
from pantau.models import Bill, BillVa

BATCH = 5_000
Va = tuple[str | None, str]
"""(bank code or None when not known, VA number)."""


def replace(connection: Connection, wanted: dict[int, list[Va]]) -> list[int]:
    """Give each bill of ``wanted`` exactly its VAs, in order (the first its primary, copied to
    ``bills.va_number``); returns the bills whose VAs changed (only those are written)."""
    have = read(connection, list(wanted))
    changed = sorted(bill for bill, vas in wanted.items() if have.get(bill, []) != list(vas))
    for first in range(0, len(changed), BATCH):
        part = changed[first:first + BATCH]
        connection.execute(delete(BillVa).where(BillVa.bill_id.in_(part)))
        rows = [{"bill_id": bill, "bank": bank, "va_number": number, "position": position}
                for bill in part for position, (bank, number) in enumerate(wanted[bill])]
        if rows:
            connection.execute(BillVa.__table__.insert(), rows)
        for bill in part:
            primary = wanted[bill][0][1] if wanted[bill] else None
            connection.execute(update(Bill).where(Bill.id == bill, Bill.va_number.is_distinct_from(primary))
                               .values(va_number=primary))
    return changed


def read(connection: Connection, bills: list[int]) -> dict[int, list[Va]]:
    """Each bill's VAs in order; a bill without VA is left out."""
    found: dict[int, list[Va]] = defaultdict(list)
    for first in range(0, len(bills), BATCH):
        rows = connection.execute(select(BillVa.bill_id, BillVa.bank, BillVa.va_number)
                                  .where(BillVa.bill_id.in_(bills[first:first + BATCH]))
                                  .order_by(BillVa.bill_id, BillVa.position, BillVa.id))
        for bill, bank, number in rows:
            found[bill].append((bank, number))
    return dict(found)


def channels(vas: list[Va], lang: str) -> str:
    """How a bill is paid, in words for ``lang``: its VAs by bank name (``BNI 9881071…; BRI 77241…``), or that it
    has none (paid at the counter or by transfer)."""
    if not vas:
        return translate("No VA (counter/transfer)", lang)
    unknown = translate("bank not known", lang)
    return "; ".join(f"{bank_name(bank) or unknown} {number}" for bank, number in vas)
