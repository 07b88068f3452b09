"""The payments page's bill list: a search is a case-insensitive prefix of number, VA or payer name served by
indexes, and the list comes soonest due first from the (due_date, id) index, not by sorting every bill."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import text

from pantau.db import session_scope
from pantau.models import Bill, BillVa
from queries import bill_rows

PAYERS = [("INV-2026-001", "8808001", "Budi Santoso"), ("INV-2026-002", "8808002", "Siti Aminah"),
          ("INV-2027-010", "9901010", "budiman hartono"), ("X_100%", "7700100", "Dewi 100% Lunas")]


def fill(engine) -> None:
    with session_scope(engine) as session:
        for day, (number, va, payer) in enumerate(PAYERS, start=1):
            session.add(Bill(source="t", key_space="t", source_key=number, kind="ukt", payer_name=payer,
                             semester="2026-1", amount=Decimal(1000), va_number=va, due_date=date(2026, 9, day)))


def found(engine, search: str) -> list[str]:
    return list(bill_rows.bill_rows(engine, search=search)["bill"])


def test_billsearch001_prefix_of_number_va_or_name_in_any_case(store):
    fill(store)
    assert found(store, "budi") == ["INV-2026-001", "INV-2027-010"]
    assert found(store, "  SITI am ") == ["INV-2026-002"]
    assert found(store, "inv-2026") == ["INV-2026-001", "INV-2026-002"]
    assert found(store, "99010") == ["INV-2027-010"]
    assert found(store, "santoso") == []
    assert found(store, "") == [number for number, _, _ in PAYERS]


def test_billsearch002_wildcards_in_a_search_are_plain_characters(store):
    fill(store)
    assert found(store, "x_1") == ["X_100%"]
    assert found(store, "x%") == []
    assert found(store, "dewi 100%") == ["X_100%"]
    assert found(store, "_") == []


def test_billsearch003_sqlite_serves_the_search_and_the_order_from_indexes(engine):
    fill(engine)
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        plan = " ".join(str(row[-1]) for row in connection.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM bills WHERE lower(payer_name) >= 'budi' "
            "AND lower(payer_name) < 'budi' || char(1114111)")))
        order = " ".join(str(row[-1]) for row in connection.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM bills WHERE deleted_at IS NULL ORDER BY due_date, id LIMIT 10")))
    assert "ix_bills_search_payer_name" in plan
    assert "ix_bills_due_date_id" in order and "TEMP B-TREE" not in order


def test_billsearch004_digits_find_a_bill_by_any_of_its_vas(store):
    fill(store)
    with session_scope(store) as session:
        session.add(Bill(source="t", key_space="t", source_key="INV-2026-003", kind="ukt", payer_name="Rina",
                         semester="2026-1", amount=Decimal(1000), va_number="8808003", due_date=date(2026, 9, 9),
                         vas=[BillVa(bank="bni", va_number="8808003"),
                              BillVa(bank="bri", va_number="7724999003", position=1)]))
    assert found(store, "7724999") == ["INV-2026-003"]  # its second VA, at BRI
    assert found(store, "77249990") == ["INV-2026-003"]
    assert found(store, "7724998") == [] and found(store, "77") == ["X_100%", "INV-2026-003"]
    assert found(store, "9") == ["INV-2027-010"]  # a prefix of nines has no next number
