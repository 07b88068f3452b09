"""queries.payments on both stores: the KPI definitions (collection rate, outstanding, overdue cases),
paid vs unpaid, collection against the deadline, ageing, the reconciliation summary, the exception
queue and the drill-down, on a hand-made ledger reconciled first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from pantau.db import session_scope
from pantau.models import BankTransaction, Bill, Prodi
from pantau.recon import reconcile
from pantau.settings import Settings
from queries import bill_rows, payments, recon_cases
from queries.payments import BillFilter

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
SPRING = BillFilter(semester="20252")


def _wib(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour - 7, tzinfo=UTC)


@pytest.fixture
def ledger(store):
    """Six bills of two semesters, their bank credits and one credit to no bill, reconciled at NOW."""
    with session_scope(store) as session:
        prodi = Prodi(code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan")
        session.add(prodi)
        session.flush()
        rows = [
            ("A", "herregistrasi", "20252", 1_000_000, date(2026, 3, 1), _wib(2026, 2, 25), 1_000_000, 1_000_000),
            ("B", "herregistrasi", "20252", 2_000_000, date(2026, 3, 1), None, 500_000, 500_000),
            ("C", "herregistrasi", "20252", 3_000_000, date(2026, 3, 1), None, 0, None),
            ("D", "herregistrasi", "20252", 4_000_000, date(2026, 4, 1), None, 0, None),
            ("E", "herregistrasi", "20251", 1_500_000, date(2025, 9, 15), _wib(2025, 9, 1), 1_500_000, 1_500_000),
            ("F", "registrasi", "20252", 2_500_000, date(2026, 3, 1), _wib(2026, 3, 5), 2_500_000, 2_500_000),
        ]
        for key, kind, semester, amount, due, paid_at, paid, credit in rows:
            session.add(Bill(source="test", source_key=key, kind=kind, payer_name=f"Mahasiswa {key}", semester=semester,
                             prodi_id=prodi.id, angkatan=2024, amount=Decimal(amount), va_number=f"VA{key}",
                             due_date=due,
                             app_paid=paid_at is not None, app_paid_at=paid_at, app_paid_amount=Decimal(paid),
                             synced_at=NOW - timedelta(days=1)))
            if credit:
                moment = paid_at or _wib(2026, 2, 20)
                session.add(BankTransaction(source_format="bni", bank_ref=f"N{key}", dedup_key=f"ref:N{key}",
                                            va_number=f"VA{key}",
                                            amount=Decimal(credit), direction="credit", booked_at=moment,
                                            value_date=moment.date()))
        session.add(BankTransaction(source_format="mt940", bank_ref="X", dedup_key="line:X", va_number="VAZZZ",
                                    amount=Decimal(75_000), direction="credit", booked_at=NOW - timedelta(days=1),
                                    value_date=date(2026, 3, 9)))
    reconcile(store, Settings(), now=NOW)
    return store


def test_qp001_collection_rate_counts_bills_due_by_the_day_and_paid_by_it(ledger):
    today = payments.collection_rate(ledger, as_of=date(2026, 3, 10), bills=SPRING)
    assert (today.billed, today.paid, today.bills, today.paid_bills) == (Decimal("8500000.00"), Decimal("4000000.00"),
                                                                         4, 2)
    assert today.rate == pytest.approx(4 / 8.5) and today.count_rate == 0.5
    earlier = payments.collection_rate(ledger, as_of=date(2026, 3, 3), bills=SPRING)
    assert (earlier.paid, earlier.paid_bills) == (Decimal("1500000.00"), 1)
    assert payments.collection_rate(ledger, as_of=date(2020, 1, 1)).rate is None


def test_qp002_outstanding_is_what_bills_past_due_still_owe(ledger):
    owed = payments.outstanding(ledger, as_of=date(2026, 3, 10))
    assert (owed.amount, owed.bills) == (Decimal("4500000.00"), 2)
    assert payments.outstanding(ledger, as_of=date(2026, 3, 1), bills=SPRING).amount == Decimal("0.00")


def test_qp003_overdue_cases_are_open_ones_past_their_due_time(ledger):
    assert recon_cases.overdue_cases(ledger, now=NOW + timedelta(hours=23)) == 0
    assert recon_cases.overdue_cases(ledger, now=NOW + timedelta(hours=25)) == 1
    assert recon_cases.case_counts(ledger, now=NOW + timedelta(hours=25)) == {"open": 1, "overdue": 1}
    [case] = recon_cases.cases(ledger, now=NOW).itertuples()
    assert (case.kind, case.credit_va, case.credit_amount, case.overdue) == ("no_bill", "VAZZZ", Decimal("75000.00"),
                                                                             False)


def test_qp004_paid_and_unpaid_by_kind_and_by_prodi(ledger):
    by_kind = payments.paid_unpaid(ledger, by="kind", bills=SPRING)
    counts = {(row.group, row.app_state): (row.bills, row.billed) for row in by_kind.itertuples()}
    assert counts == {("herregistrasi", "paid"): (1, Decimal("1000000.00")),
                      ("herregistrasi", "partial"): (1, Decimal("2000000.00")),
                      ("herregistrasi", "unpaid"): (2, Decimal("7000000.00")),
                      ("registrasi", "paid"): (1, Decimal("2500000.00"))}
    by_prodi = payments.paid_unpaid(ledger, by="prodi")
    assert set(by_prodi["group"]) == {"D3-KEP"} and by_prodi["bills"].sum() == 6


def test_qp005_collection_against_the_deadline_per_kind(ledger):
    curve = payments.collection_curve(ledger, bills=SPRING)
    points = {(row.kind, row.offset): row.share for row in curve.itertuples()}
    assert points == {("herregistrasi", -4): pytest.approx(0.1), ("registrasi", 4): pytest.approx(1.0)}


def test_qp006_ageing_buckets_unpaid_money_by_days_late(ledger):
    aged = payments.ageing(ledger, as_of=date(2026, 3, 10), bills=SPRING).set_index("bucket")
    assert list(aged.index) == ["not_due", "1-30", "31-60", "61-90", "90+"]
    assert (aged.loc["not_due", "bills"], aged.loc["not_due", "outstanding"]) == (1, Decimal("4000000.00"))
    assert (aged.loc["1-30", "bills"], aged.loc["1-30", "outstanding"]) == (2, Decimal("4500000.00"))
    assert aged.loc["90+", "bills"] == 0


def test_qp007_reconciliation_summary_and_drill_down(ledger):
    summary = recon_cases.recon_summary(ledger)
    bills = summary[summary["subject"] == "bill"].set_index("state")["items"].to_dict()
    assert bills == {"matched": 3, "partial": 1, "unpaid": 2}
    assert summary[summary["subject"] == "credit"].set_index("state")["items"].to_dict() == {
        "matched": 3, "partial": 1, "no_bill": 1}
    partial = bill_rows.bill_rows(ledger, state="partial")
    assert list(partial["bill"]) == ["B"] and partial["bank_received"].iloc[0] == Decimal("500000.00")
    assert list(bill_rows.bill_rows(ledger, bills=SPRING, search="mahasiswa c")["bill"]) == ["C"]
    assert recon_cases.last_reconciled(ledger) == NOW


def test_qp008_filter_options_and_the_semester_the_page_opens_on(ledger):
    found = payments.options(ledger)
    assert (found.semesters, found.kinds, found.angkatan) == (["20252", "20251"], ["herregistrasi", "registrasi"],
                                                              [2024])
    assert list(found.prodi["code"]) == ["D3-KEP"]
    assert payments.current_semester(ledger, date(2026, 3, 10)) == "20252"
    assert payments.current_semester(ledger, date(2025, 9, 20)) == "20251"


def test_qp009_every_semesters_rate_and_outstanding_on_several_days_in_one_read(ledger):
    rates = payments.collection_rates(ledger, as_of=date(2026, 3, 10))
    assert list(rates) == ["20252", "20251"]
    assert rates["20252"] == payments.collection_rate(ledger, as_of=date(2026, 3, 10), bills=SPRING)
    assert rates["20251"].rate == 1.0
    days = [date(2026, 3, 1), date(2026, 3, 3), date(2026, 3, 10)]
    assert payments.outstanding_on(ledger, days) == [payments.outstanding(ledger, as_of=day) for day in days]
    assert payments.outstanding_on(ledger, []) == []


def test_qp010_overdue_cases_at_past_moments_count_cases_then_open_and_late(ledger):
    from sqlalchemy import update

    from pantau.models import ReconCase

    moments = [NOW - timedelta(hours=1), NOW + timedelta(hours=23), NOW + timedelta(hours=25),
               NOW + timedelta(hours=30)]
    assert recon_cases.overdue_cases_at(ledger, moments) == [0, 0, 1, 1]
    with session_scope(ledger) as session:
        session.execute(update(ReconCase).values(status="resolved", resolved_at=NOW + timedelta(hours=28)))
    assert recon_cases.overdue_cases_at(ledger, moments) == [0, 0, 1, 0]
    assert recon_cases.overdue_cases(ledger, now=NOW + timedelta(hours=30)) == 0


def test_qp011_the_page_opens_on_the_calendar_semester_not_next_years_admissions(store):
    from pantau.models.billing import BillRollup

    def rollup(semester, due, bills):
        return BillRollup(semester=semester, kind="sipenmatu", prodi_id=None, angkatan=2027, due_date=due,
                          paid_on=None, app_state="unpaid", recon_state="unpaid", bills=bills,
                          billed=Decimal(bills), paid=Decimal(0), received=Decimal(0))

    with session_scope(store) as session:
        session.add_all([rollup("20271", date(2026, 12, 10), 900), rollup("20261", date(2026, 8, 20), 40)])

    assert payments.current_semester(store, date(2026, 12, 2)) == "20261"
    assert payments.current_semester(store, date(2026, 1, 15)) == "20271"  # no 20251 bills: the busiest near by


def test_qp012_intake_years_are_whole_numbers_beside_bills_without_one(ledger):
    """A bill without an angkatan must not turn the others' years into 2024.0 (chart labels, table, downloads)."""
    with session_scope(ledger) as session:
        session.add(Bill(source="test", source_key="G", kind="registrasi", payer_name="Mahasiswa G", semester="20252",
                         prodi_id=None, angkatan=None, amount=Decimal(100_000), va_number="VAG",
                         due_date=date(2026, 3, 1), app_paid=False, app_paid_amount=Decimal(0),
                         synced_at=NOW + timedelta(minutes=1)))
    reconcile(ledger, Settings(), now=NOW + timedelta(minutes=2))
    by_year = payments.paid_unpaid(ledger, by="angkatan")
    years = by_year.dropna(subset=["group"])
    assert set(years["label"]) == {"2024"} and years["group"].tolist() == [2024] * len(years)
    assert by_year["group"].isna().sum() == 1
    rows = bill_rows.bill_rows(ledger)
    assert rows["angkatan"].dropna().tolist() == [2024] * 6 and rows["angkatan"].isna().sum() == 1
    assert "2024.0" not in rows.to_csv(index=False)


def test_qp013_bills_without_a_due_date_come_last_on_every_store(ledger):
    """SQLite sorts NULL first and PostgreSQL last; the bill list puts undated bills (counter bills) last on
    both, after every dated bill and in the order they were stored, also when the list is cut short."""
    with session_scope(ledger) as session:
        for key in ("U2", "U1"):
            session.add(Bill(source="test", source_key=key, kind="registrasi", payer_name=f"Mahasiswa {key}",
                             semester="20252", amount=Decimal(100_000), due_date=None, issued_on=date(2026, 1, 5),
                             app_paid=False, app_paid_amount=Decimal(0), synced_at=NOW))
    rows = bill_rows.bill_rows(ledger)
    assert rows["bill"].tolist() == ["E", "A", "B", "C", "F", "D", "U2", "U1"]
    assert rows["due_date"].iloc[:6].notna().all() and rows["due_date"].iloc[6:].isna().all()
    assert bill_rows.bill_rows(ledger, limit=3)["bill"].tolist() == ["E", "A", "B"]
    assert bill_rows.bill_rows(ledger, search="mahasiswa u")["bill"].tolist() == ["U2", "U1"]
