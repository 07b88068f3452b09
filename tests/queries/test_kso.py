"""queries.kso on both stores: waiting on the kolegium, SKP decisions, lead times, invoices in Rupiah,
requests and a request's timeline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sop_rows import NOW, Step, add_case, wib

from pantau.db import session_scope
from queries import kso

KEYS = ["permohonan", "dokumen_kso", "unggah_siaksi", "verifikasi_skp", "informasi_hasil", "publikasi",
        "pelaksanaan_kegiatan", "invoice", "pembayaran", "surat_keterangan_pembayaran"]
DAY = timedelta(days=1)
SINCE, UNTIL = wib(2026, 1, 1), wib(2026, 12, 1)


def _request(session, ref: str, opened, done: int, outcome: str = "setuju", amount: int = 0, open_due=None):
    """A request whose first `done` steps completed one a day (each within a day), the next one open."""
    steps = []
    for index, key in enumerate(KEYS[: done + 1]):
        start = opened + index * DAY
        finished = index < done
        due = open_due if not finished and open_due else start + DAY
        steps.append(Step(key, index + 1, start, start + DAY / 2 if finished else None, due,
                          outcome=outcome if key == "informasi_hasil" and finished else None,
                          outside=key == "verifikasi_skp"))
    if outcome == "ditolak":
        steps = steps[:5]
    return add_case(session, "KSO", ref, opened, steps, subject=ref,
                    attrs={"title": f"Pelatihan {ref}", "organiser": "RSUD Kota", "participants": 40,
                           "invoice_amount": amount})


@pytest.fixture
def requests(store):
    with session_scope(store) as session:
        ids = {
            "K1": _request(session, "K1", wib(2026, 2, 2, 8), 10, amount=10_000_000),
            "K2": _request(session, "K2", wib(2026, 3, 2, 8), 8, amount=5_500_000),
            "K3": _request(session, "K3", wib(2026, 11, 1, 8), 8, amount=2_000_000, open_due=NOW + DAY),
            "K4": _request(session, "K4", wib(2026, 4, 1, 8), 5, outcome="ditolak"),
            "K5": _request(session, "K5", wib(2026, 10, 1, 8), 3),
            "K6": _request(session, "K6", wib(2025, 12, 1, 8), 3),
        }
    return store, ids


def test_kso001_waiting_on_kolegium_counts_open_skp_verifications_at_each_moment(requests):
    store, _ = requests
    assert kso.waiting_on_kolegium(store, [NOW, wib(2026, 10, 3), wib(2025, 11, 1)]) == [2, 1, 0]
    assert kso.waiting_list(store)["case_ref"].tolist() == ["K6", "K5"]


def test_kso002_approval_and_rejection_rates_over_decided_requests(requests):
    decided = kso.decisions(requests[0], SINCE, UNTIL)
    assert (decided.requests, decided.approved, decided.rejected) == (5, 3, 1)
    assert decided.approval_rate == 0.75 and decided.rejection_rate == 0.25


def test_kso003_lead_time_runs_from_request_to_activity(requests):
    leads = kso.lead_times(requests[0], SINCE, UNTIL)
    assert leads["case_ref"].tolist() == ["K1", "K2", "K3"]
    assert set(leads["lead_s"]) == {6 * 86_400}


def test_kso004_invoices_issued_paid_and_overdue_in_rupiah(requests):
    totals = kso.invoice_totals(requests[0], SINCE, UNTIL, NOW)
    assert (totals.issued, totals.paid, totals.overdue) == (3, 1, 1)
    assert totals.issued_amount == Decimal("17500000.00")
    assert totals.paid_amount == Decimal("10000000.00")
    assert totals.overdue_amount == Decimal("5500000.00")
    assert totals.unpaid_amount == Decimal("7500000.00")
    rows = kso.invoices(requests[0], SINCE, UNTIL, NOW)
    assert list(zip(rows["case_ref"], rows["state"], rows["amount"])) == [
        ("K2", "overdue", Decimal("5500000.00")), ("K3", "unpaid", Decimal("2000000.00")),
        ("K1", "paid", Decimal("10000000.00"))]


def test_kso005_requests_show_the_current_step_and_its_state(requests):
    rows = kso.requests(requests[0], SINCE, UNTIL, NOW).set_index("case_ref")
    assert list(rows.index) == ["K3", "K5", "K4", "K2", "K1"]
    assert rows.loc["K5", ["current_step", "state"]].tolist() == ["verifikasi_skp", "waiting"]
    assert rows.loc["K2", ["current_step", "state"]].tolist() == ["pembayaran", "breached"]
    assert pd.isna(rows.loc["K1", "current_step"])


def test_kso006_timeline_has_each_step_with_its_standard_and_the_outside_wait(requests):
    store, ids = requests
    steps = kso.timeline(store, ids["K1"], NOW)
    assert steps["step_key"].tolist() == KEYS
    assert steps.set_index("step_key").loc["verifikasi_skp", "outside_party"]
    assert set(steps["state"]) == {"met"}
    assert (steps["due_at"] - steps["started_at"]).dt.total_seconds().eq(86_400).all()


def test_kso007_an_empty_period_has_no_rates(requests):
    decided = kso.decisions(requests[0], wib(2020, 1, 1), wib(2020, 2, 1))
    assert decided.requests == 0 and decided.approval_rate is None
    assert kso.invoice_totals(requests[0], wib(2020, 1, 1), wib(2020, 2, 1), NOW).issued_amount == Decimal("0.00")
