"""Collection by bill kind and kind group (issue 17, point 1): named in the reader's language, an unknown kind
counted on a labelled line, each figure the same as a plain pandas computation over the same rollup rows, and
the rows adding up to the collection rate and the outstanding of queries.payments; on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import Bill, BillKind, BillKindGroup
from pantau.models.billing import BillRollup
from pantau.recon import reconcile
from pantau.settings import Settings
from queries import kind_breakdown, payments
from queries.frames import read_frame
from queries.payments import BillFilter

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


@pytest.fixture
def ledger(store):
    """UKT and praktikum (biaya pendidikan), asrama and wisuda (layanan), and a kind the store does not know;
    paid, partly paid and unpaid, due before and after TODAY, of two semesters."""
    rows = [
        ("A", "ukt", "20252", 4_000_000, date(2026, 3, 1), datetime(2026, 2, 25, 3, tzinfo=UTC), 4_000_000),
        ("B", "ukt", "20252", 4_000_000, date(2026, 3, 1), None, 1_000_000),
        ("C", "praktikum", "20252", 500_000, date(2026, 2, 1), datetime(2026, 3, 5, 3, tzinfo=UTC), 500_000),
        ("D", "asrama", "20252", 1_200_000, date(2026, 3, 1), None, 0),
        ("E", "wisuda", "20252", 750_000, date(2026, 4, 1), None, 0),
        ("F", "kursus", "20252", 300_000, date(2026, 3, 1), None, 0),
        ("G", "kursus", "20252", 200_000, date(2026, 3, 2), datetime(2026, 3, 2, 3, tzinfo=UTC), 200_000),
        ("H", "ukt", "20251", 3_500_000, date(2025, 9, 1), datetime(2025, 8, 30, 3, tzinfo=UTC), 3_500_000),
    ]
    with session_scope(store) as session:
        for key, kind, semester, amount, due, paid_at, paid in rows:
            session.add(Bill(source="test", source_key=key, kind=kind, payer_name=key, semester=semester,
                             amount=Decimal(amount), va_number=f"VA{key}", due_date=due,
                             app_paid=paid_at is not None, app_paid_at=paid_at, app_paid_amount=Decimal(paid)))
    reconcile(store, Settings(), now=NOW)
    return store


def _plain(engine, as_of: date, semester: str | None = None) -> pd.DataFrame:
    """The same figures from the rollup rows and the kind table, with pandas only."""
    rows = read_frame(engine, select(BillRollup.kind, BillRollup.semester, BillRollup.due_date, BillRollup.app_state,
                                     BillRollup.paid_on, BillRollup.bills, BillRollup.billed, BillRollup.paid))
    rows = rows[pd.to_datetime(rows["due_date"]) <= pd.Timestamp(as_of)]
    if semester:
        rows = rows[rows["semester"] == semester]
    paid_on = pd.to_datetime(rows["paid_on"])
    known = paid_on.isna() | (paid_on <= pd.Timestamp(as_of))
    rows = rows.assign(
        paid=[p if ok else Decimal(0) for p, ok in zip(rows["paid"], known)],
        paid_bills=[n if ok and state == "paid" else 0 for n, ok, state in zip(rows["bills"], known,
                                                                                  rows["app_state"])])
    late = pd.to_datetime(rows["due_date"]) < pd.Timestamp(as_of)
    owed = rows["billed"] - rows["paid"]
    rows = rows.assign(outstanding=[o if is_late else Decimal(0) for o, is_late in zip(owed, late)],
                       owing=[n if is_late and o > 0 else 0 for n, o, is_late in zip(rows["bills"], owed, late)])
    return rows.groupby("kind")[["bills", "paid_bills", "billed", "paid", "outstanding", "owing"]].sum()


def test_kindq001_names_and_groups_in_each_language_and_the_unknown_kind_counted(ledger):
    frame = kind_breakdown.by_kind(ledger, as_of=TODAY)
    assert list(zip(frame["group_name"], frame["kind_name"])) == [
        ("Biaya pendidikan", "Praktikum"), ("Biaya pendidikan", "Uang Kuliah Tunggal (UKT)"),
        ("Layanan", "Asrama"),
        ("Kelompok jenis tidak diketahui (2 tagihan)", "Jenis tagihan tidak diketahui (2 tagihan)")]
    english = kind_breakdown.by_kind(ledger, as_of=TODAY, lang="en")
    assert set(english["kind_name"]) == {"Practical work", "Single tuition fee (UKT)", "Dormitory",
                                         "Bill kind unknown (2 bills)"}
    assert set(english["group_name"]) == {"Tuition and study fees", "Services", "Bill kind group unknown (2 bills)"}
    shown = " ".join(str(value) for value in frame.drop(columns=["group", "kind"]).to_numpy().ravel())
    assert "kursus" not in shown and "ukt" not in shown.split()


def test_kindq002_every_figure_is_the_plain_pandas_one_on_the_same_rows(ledger):
    for as_of, semester in ((TODAY, None), (TODAY, "20252"), (date(2026, 3, 1), "20252"), (date(2026, 4, 30), None)):
        frame = kind_breakdown.by_kind(ledger, as_of=as_of, bills=BillFilter(semester=semester))
        plain = _plain(ledger, as_of, semester)
        unknown = plain.drop(index=[k for k in plain.index if k != "kursus"]).sum()
        known = plain.drop(index="kursus", errors="ignore")
        got = frame.set_index(frame["kind"].fillna("?"))
        for kind, expected in known.iterrows():
            for name, value in expected.items():
                assert got.loc[kind, name] == value, (as_of, semester, kind, name)
            assert got.loc[kind, "rate"] == pytest.approx(float(expected["paid"] / expected["billed"]))
        if "kursus" in plain.index:
            assert [got.loc["?", name] for name in unknown.index] == list(unknown)
        assert len(frame) == len(plain)


def test_kindq003_the_kinds_add_up_to_the_collection_rate_and_the_outstanding(ledger):
    for semester in (None, "20252"):
        bills = BillFilter(semester=semester)
        frame = kind_breakdown.by_kind(ledger, as_of=TODAY, bills=bills)
        rate = payments.collection_rate(ledger, as_of=TODAY, bills=bills)
        owed = payments.outstanding(ledger, as_of=TODAY, bills=bills)
        assert (frame["billed"].sum(), frame["paid"].sum()) == (rate.billed, rate.paid)
        assert (frame["bills"].sum(), frame["paid_bills"].sum()) == (rate.bills, rate.paid_bills)
        assert (frame["outstanding"].sum(), frame["owing"].sum()) == (owed.amount, owed.bills)


def test_kindq004_exact_figures_by_group_and_kind(ledger):
    frame = kind_breakdown.by_kind(ledger, as_of=TODAY, bills=BillFilter(semester="20252"))
    ukt = frame.set_index("kind").loc["ukt"]
    assert (ukt["bills"], ukt["paid_bills"], ukt["billed"], ukt["paid"]) == (2, 1, Decimal(8_000_000),
                                                                               Decimal(5_000_000))
    assert (ukt["outstanding"], ukt["owing"], ukt["rate"]) == (Decimal(3_000_000), 1, 0.625)
    groups = kind_breakdown.by_group(frame).set_index("group_name")
    assert groups.loc["Biaya pendidikan", "billed"] == Decimal(8_500_000)
    assert groups.loc["Biaya pendidikan", "kinds"] == 2 and groups.loc["Layanan", "rate"] == 0.0
    lines = kind_breakdown.worded(frame, "id")
    assert [(line["level"], line["label"]) for line in lines] == [
        ("group", "Biaya pendidikan"), ("kind", "Praktikum"), ("kind", "Uang Kuliah Tunggal (UKT)"),
        ("group", "Layanan"), ("kind", "Asrama"),
        ("group", "Kelompok jenis tidak diketahui (2 tagihan)"), ("kind", "Jenis tagihan tidak diketahui (2 tagihan)"),
        ("total", "Semua jenis tagihan")]
    assert (lines[0]["billed"], lines[0]["paid"], lines[0]["rate"]) == ("Rp 8.500.000", "Rp 5.500.000", "64,7%")
    assert lines[-1]["billed"] == "Rp 10.200.000" and lines[-1]["outstanding"] == "Rp 4.500.000"
    assert kind_breakdown.worded(frame, "en")[-1]["label"] == "All bill kinds"


def test_kindq005_a_renamed_and_regrouped_kind_shows_its_new_names(ledger):
    with session_scope(ledger) as session:
        session.add(BillKindGroup(code="khusus", name_id="Biaya khusus", name_en="Special fees"))
        session.flush()
        kind = session.get(BillKind, "praktikum")
        kind.name_id, kind.group_code = "Praktikum klinik", "khusus"
    frame = kind_breakdown.by_kind(ledger, as_of=TODAY)
    assert ("Biaya khusus", "Praktikum klinik") in set(zip(frame["group_name"], frame["kind_name"]))


def test_kindq006_nothing_due_is_an_empty_frame(ledger):
    assert kind_breakdown.by_kind(ledger, as_of=date(2025, 1, 1)).empty
    assert kind_breakdown.worded(kind_breakdown.by_kind(ledger, as_of=date(2025, 1, 1)), "id") == []


def test_kindq007_the_paid_and_unpaid_chart_counts_an_unknown_kind_never_shows_its_code(ledger):
    for by, unknown in (("kind", "Jenis tagihan tidak diketahui (2 tagihan)"),
                        ("kind_group", "Kelompok jenis tidak diketahui (2 tagihan)")):
        frame = payments.paid_unpaid(ledger, by=by)
        counted = frame.groupby("label")["bills"].sum()
        assert counted[unknown] == 2 and "kursus" not in set(frame["label"]), by
        assert counted.sum() == 8


def test_kindq008_the_monthly_report_splits_the_collection_rate_by_group_and_kind_in_print_and_mail(ledger, tmp_path):
    from queries import monthly_report as monthly

    report = monthly.build(ledger, Settings(data_dir=tmp_path), "2026-03", now=datetime(2026, 4, 5, tzinfo=UTC))
    assert (report.kinds.semester, report.kinds.as_of) == ("20252", date(2026, 3, 31))
    rate = next(kpi for kpi in report.kpis if kpi.key == "collection_rate")
    frame = kind_breakdown.by_kind(ledger, as_of=date(2026, 3, 31), bills=BillFilter(semester="20252"))
    assert frame["billed"].sum() == rate.words["billed"] and frame["paid"].sum() == rate.words["paid"]
    title, scope, lines = monthly.kind_section(report, "id")
    assert title == "Pelunasan per kelompok dan jenis tagihan"
    assert scope == "semester 2025/2026 genap, tagihan jatuh tempo s.d. 31 Mar 2026"
    assert lines == kind_breakdown.worded(frame, "id")
    page = monthly.render_html(report, "id", "Asia/Jakarta")
    assert "<h2>Pelunasan per kelompok dan jenis tagihan</h2>" in page
    assert ("<tr style=\"font-weight:600\"><td>Biaya pendidikan</td><td class=\"value\">3</td>"
            "<td class=\"value\">Rp 8.500.000</td><td class=\"value\">Rp 5.500.000</td>"
            "<td class=\"value\">64,7%</td>") in page
    assert "<td style=\"padding-left:24px\">Jenis tagihan tidak diketahui (2 tagihan)</td>" in page
    assert "ukt" not in page.lower().replace("(ukt)", "")
    text = monthly.render_text(report, "en", "Asia/Jakarta")
    assert "COLLECTION BY KIND GROUP AND BILL KIND (semester 2025/2026 even, bills due by 31 Mar 2026)" in text
    assert "- Tuition and study fees: Rp 5,500,000 of Rp 8,500,000 collected (64.7%); outstanding Rp 3,000,000" in text
    assert "  - Single tuition fee (UKT): Rp 5,000,000 of Rp 8,000,000 collected (62.5%)" in text


def test_kindq009_a_report_before_any_bill_came_due_has_no_kind_section(ledger, tmp_path):
    from queries import monthly_report as monthly

    report = monthly.build(ledger, Settings(data_dir=tmp_path), "2025-06", now=datetime(2026, 4, 5, tzinfo=UTC))
    assert report.kinds is None and monthly.kind_section(report, "id") is None
    assert "Pelunasan per kelompok" not in monthly.render_html(report, "id", "Asia/Jakarta")
