"""Bills grouped by kind, kind group and study programme carry names in the reader's language, never codes,
and the bills missing a value are counted and said (issue 17, points 1 and 3), on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from pantau.db import session_scope
from pantau.models import Bill, Prodi
from pantau.recon import reconcile
from pantau.settings import Settings
from queries import bill_rows, payments

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def bills(store):
    """Five bills: UKT and praktikum of a named programme, asrama of one created from bills, two of none."""
    with session_scope(store) as session:
        named = Prodi(code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan")
        unnamed = Prodi(code="TI-D4", name="TI-D4", jenjang="", jurusan="", name_unknown=True, source="billing")
        session.add_all([named, unnamed])
        session.flush()
        for key, kind, prodi in (("A", "ukt", named.id), ("B", "praktikum", named.id), ("C", "asrama", unnamed.id),
                                 ("D", "ukt", None), ("E", "wisuda", None)):
            session.add(Bill(source="billing", source_key=key, kind=kind, payer_name=key, semester="20252",
                             prodi_id=prodi, amount=Decimal(1_000_000), va_number=f"VA{key}",
                             due_date=date(2026, 3, 1)))
    reconcile(store, Settings(), now=NOW)
    return store


def _labels(frame) -> dict[str, int]:
    return frame.groupby("label")["bills"].sum().to_dict()


def test_lbl001_kinds_and_kind_groups_by_name_in_each_language(bills):
    assert _labels(payments.paid_unpaid(bills, by="kind")) == {
        "Uang Kuliah Tunggal (UKT)": 2, "Praktikum": 1, "Asrama": 1, "Wisuda": 1}
    assert _labels(payments.paid_unpaid(bills, by="kind", lang="en")) == {
        "Single tuition fee (UKT)": 2, "Practical work": 1, "Dormitory": 1, "Graduation": 1}
    assert _labels(payments.paid_unpaid(bills, by="kind_group")) == {"Biaya pendidikan": 3, "Layanan": 2}
    assert _labels(payments.paid_unpaid(bills, by="kind_group", lang="en")) == {"Tuition and study fees": 3,
                                                                                 "Services": 2}


def test_lbl002_programmes_by_name_the_unnamed_and_the_missing_said(bills):
    assert _labels(payments.paid_unpaid(bills, by="prodi")) == {
        "D3 Keperawatan": 2, "TI-D4 (nama belum diketahui)": 1, "Prodi tidak diketahui (2 tagihan)": 2}
    assert _labels(payments.paid_unpaid(bills, by="angkatan", lang="en")) == {"Intake year unknown (5 bills)": 5}


def test_lbl003_the_bill_list_names_kind_and_programme(bills):
    rows = bill_rows.bill_rows(bills, lang="en").set_index("bill")
    assert (rows.loc["A", "kind_name"], rows.loc["A", "prodi_name"]) == ("Single tuition fee (UKT)", "D3 Keperawatan")
    assert rows.loc["C", "prodi_name"] == "TI-D4" and pd.isna(rows.loc["D", "prodi_name"])
