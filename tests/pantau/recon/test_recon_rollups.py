"""The payments page's rollups: every live bill counted once in the group of its semester, kind,
prodi, angkatan, due day, local paid day and states, whichever way the store groups them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ledger_rows import NOW, add_bill, add_credit
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models.billing import BillRollup
from pantau.models.campus import Prodi
from pantau.recon import reconcile, rollups
from pantau.settings import Settings

SETTINGS = Settings()
LATE_EVENING_WIB = datetime(2026, 3, 4, 16, 30, tzinfo=UTC)
AFTER_MIDNIGHT_WIB = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)


def _campus(session, angkatan: tuple[int | None, int | None] = (2024, None)) -> None:
    session.add(Prodi(id=7, code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan"))
    session.flush()
    first = add_bill(session, "R1", 1_000_000, paid=True, paid_at=LATE_EVENING_WIB)
    first.prodi_id, first.angkatan = 7, angkatan[0]
    second = add_bill(session, "R2", 1_000_000, paid=True, paid_at=AFTER_MIDNIGHT_WIB)
    second.prodi_id, second.angkatan = 7, angkatan[0]
    third = add_bill(session, "R3", 2_000_000, kind="registrasi", semester="20251", due=date(2025, 8, 30))
    third.angkatan = angkatan[1]
    add_bill(session, "R4", 500_000, paid_amount=200_000)
    add_credit(session, "N1", 1_000_000, va="98810R1")
    add_credit(session, "N2", 2_000_000, va="98810R3")


def _groups(engine) -> dict:
    columns = (BillRollup.semester, BillRollup.kind, BillRollup.prodi_id, BillRollup.angkatan, BillRollup.due_date,
               BillRollup.paid_on, BillRollup.app_state, BillRollup.recon_state)
    sums = {}
    with engine.connect() as connection:
        for row in connection.execute(select(*columns, BillRollup.bills, BillRollup.billed, BillRollup.paid,
                                             BillRollup.received)):
            key, figures = tuple(row[:8]), row[8:]
            sums[key] = tuple(a + b for a, b in zip(sums.get(key, (0, 0, 0, 0)), figures))
    return {key: (int(n), *(Decimal(v) for v in rest)) for key, (n, *rest) in sums.items() if n}


def _expected(angkatan: tuple[int | None, int | None]) -> dict:
    due = date(2026, 3, 1)
    return {
        ("20252", "herregistrasi", 7, angkatan[0], due, date(2026, 3, 4), "paid", "matched"):
            (1, Decimal(1_000_000), Decimal(1_000_000), Decimal(1_000_000)),
        ("20252", "herregistrasi", 7, angkatan[0], due, date(2026, 3, 5), "paid", "app_paid_no_bank"):
            (1, Decimal(1_000_000), Decimal(1_000_000), Decimal(0)),
        ("20251", "registrasi", None, angkatan[1], date(2025, 8, 30), None, "unpaid", "bank_paid_app_unpaid"):
            (1, Decimal(2_000_000), Decimal(0), Decimal(2_000_000)),
        ("20252", "herregistrasi", None, None, due, None, "partial", "app_paid_no_bank"):
            (1, Decimal(500_000), Decimal(200_000), Decimal(0)),
    }


def test_ru001_each_bill_lands_in_its_group_with_the_paid_day_in_wib(store):
    with session_scope(store) as session:
        _campus(session)
    reconcile(store, SETTINGS, now=NOW)
    assert _groups(store) == _expected((2024, None))


def test_ru002_values_too_spread_to_pack_into_one_key_are_grouped_the_plain_way(engine):
    spread = (1, 10**15)
    with session_scope(engine) as session:
        _campus(session, angkatan=spread)
    with engine.connect() as connection:
        assert rollups.packing(connection, SETTINGS.timezone, NOW) is None
    reconcile(engine, SETTINGS, now=NOW)
    assert _groups(engine) == _expected(spread)

