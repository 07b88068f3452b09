"""SLA queries on SQLite and PostgreSQL: compliance from the aggregates, open steps by the clock,
a case's steps, and every figure limited to the steps a user may see."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pantau.db import session_scope
from pantau.settings import Settings
from pantau.sla.context import sla_context
from pantau.sla.scope import visible_steps
from pantau.workflow.records import parse_event
from pantau.workflow.store import store_events
from queries import sla

WIB = ZoneInfo("Asia/Jakarta")
CTX = sla_context(Settings())


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


ROWS = {
    "WS": [
        # March: registered in 4 minutes (met), agenda in 8 (breached); account still open from 10:12.
        {"case": "W1", "step": 1, "started": "2026-03-02 10:00", "completed": "2026-03-02 10:04", "performer": "Adm"},
        {"case": "W1", "step": 2, "completed": "2026-03-02 10:12", "performer": "Adm"},
        # April: both met.
        {"case": "W2", "step": 1, "started": "2026-04-06 09:00", "completed": "2026-04-06 09:05", "performer": "Rina"},
        {"case": "W2", "step": 2, "completed": "2026-04-06 09:08", "performer": "Adm"},
    ],
    "KSO": [
        # The kolegium's verification is waiting; it does not count in the institution's compliance.
        {"case": "K1", "step": "unggah_siaksi", "started": "2026-04-01 09:00", "completed": "2026-04-01 09:50"},
        {"case": "K2", "step": "verifikasi_skp", "started": "2026-03-02 09:00", "completed": "2026-05-04 09:00",
         "performer": "Kolegium"},
    ],
}


@pytest.fixture
def seeded(store):
    now = wib(2026, 6, 1, 9, 0)
    for code, rows in ROWS.items():
        records = [parse_event(row, CTX.catalogue, WIB, sop=code, now=now) for row in rows]
        with session_scope(store) as session:
            store_events(session, records, CTX, prefix="q", recorded_by="test", now=now)
    return store


def test_qs001_sop_compliance_counts_own_steps_only(seeded):
    frame = sla.sop_compliance(seeded, ["2026-03", "2026-04", "2026-05"]).set_index("sop_code")
    assert frame.loc["WS", ["completed", "measured", "met", "breached"]].tolist() == [4, 4, 3, 1]
    assert frame.loc["WS", "compliance"] == 0.75
    assert frame.loc["KSO", ["measured", "met"]].tolist() == [1, 1], "the kolegium's step is not ours"
    assert sla.overall_compliance(seeded, ["2026-03", "2026-04", "2026-05"]) == 0.8
    assert sla.overall_compliance(seeded, ["2025-01"]) is None


def test_qs002_monthly_compliance_by_step_and_all(seeded):
    steps = sla.monthly_compliance(seeded, ["2026-03", "2026-04"], by="step")
    march = steps[(steps["sop_code"] == "WS") & (steps["month"] == "2026-03")].set_index("step_key")["compliance"]
    assert march.to_dict() == {"agenda_disposisi": 0.0, "surat_permohonan": 1.0}
    overall = sla.monthly_compliance(seeded, ["2026-03", "2026-04"], by="all")
    assert overall[["month", "measured", "met"]].values.tolist() == [["2026-03", 2, 1], ["2026-04", 3, 3]]


def test_qs003_step_stats_with_median_p90_and_outside_party_flag(seeded):
    frame = sla.step_stats(seeded, "2026-H1",
                           ["2026-0" + str(m) for m in range(1, 7)]).set_index(["sop_code", "step_key"])
    registered = frame.loc[("WS", "surat_permohonan")]
    assert (registered["completed"], registered["median_elapsed_s"], registered["p90_elapsed_s"]) == (2, 270, 294)
    assert registered["median_ratio"] == pytest.approx(0.9)
    assert bool(frame.loc[("KSO", "verifikasi_skp"), "outside_party"])
    named = sla.with_steps(frame.reset_index(), CTX.catalogue).set_index("step_key")
    assert named.loc["surat_permohonan", ["number", "role", "standard"]].tolist() == [1, "operator", "5 menit"]


def test_qs004_performer_counts(seeded):
    frame = sla.performer_counts(seeded, "2026-H1")
    ws = frame[frame["sop_code"] == "WS"]
    assert ws[["step_key", "performer", "completed", "met"]].values.tolist() == [
        ["agenda_disposisi", "Adm", 2, 1], ["surat_permohonan", "Adm", 1, 1], ["surat_permohonan", "Rina", 1, 1]]


def test_qs005_open_steps_turn_at_risk_and_breached_by_the_clock(seeded):
    # W1's account step opened Monday 2 March 10:12, due Tuesday 10:12; at risk after 360 of its 450
    # working minutes: 10:12-12:00 and 13:00-16:00 make 288, so Tuesday 08:42.
    before = sla.open_counts(seeded, wib(2026, 3, 3, 8, 41), {"WS": frozenset({"buat_akun"})})
    assert before == {"open": 2, "at_risk": 0, "breached": 0, "waiting": 0}, "W1's and W2's account steps"
    risky = sla.open_steps(seeded, wib(2026, 3, 3, 8, 42))
    assert risky[["case_ref", "step_key", "state"]].values.tolist() == [["W1", "buat_akun", "at_risk"]]
    assert risky["due_at"].iloc[0] == wib(2026, 3, 3, 10, 12)
    late = sla.open_steps(seeded, wib(2026, 6, 1, 9, 0))
    assert late[["case_ref", "state"]].values.tolist() == [["W1", "breached"], ["W2", "breached"]]
    waiting = sla.open_steps(seeded, wib(2026, 6, 1, 9, 0), states=("waiting",))
    assert waiting["case_ref"].tolist() == ["K1"]
    assert sla.open_counts(seeded, wib(2026, 6, 1, 9, 0))["waiting"] == 1


def test_qs005b_open_counts_of_every_sop_in_one_read_equal_each_sops_own(seeded):
    now = wib(2026, 6, 1, 9, 0)
    scope = {code: frozenset(step.key for step in CTX.catalogue[code].steps) for code in ("WS", "KSO", "KTM")}
    assert sla.open_counts_by_sop(seeded, now, scope) == {
        code: sla.open_counts(seeded, now, {code: keys}) for code, keys in scope.items()}
    assert sla.open_counts_by_sop(seeded, now, scope)["WS"]["breached"] == 2
    assert sla.open_counts_by_sop(seeded, now, scope)["KTM"] == {"open": 0, "at_risk": 0, "breached": 0, "waiting": 0}
    assert sla.open_counts_by_sop(seeded, now, {}) == {}


def test_qs005c_open_steps_limit_keeps_the_soonest_due(seeded):
    late = sla.open_steps(seeded, wib(2026, 6, 1, 9, 0), limit=1)
    assert late[["case_ref", "state"]].values.tolist() == [["W1", "breached"]], "W1 fell due before W2"


def test_qs006_scope_hides_other_units_steps(seeded):
    it_head = visible_steps(CTX.catalogue, "kepala_it")
    assert sla.sop_compliance(seeded, ["2026-03", "2026-04"], it_head).empty, "WS steps 1-2 are the operators'"
    assert sla.open_steps(seeded, wib(2026, 6, 1, 9, 0), it_head)["step_key"].tolist() == ["buat_akun", "buat_akun"]
    assert sla.open_counts(seeded, wib(2026, 6, 1, 9, 0), {}) == {"open": 0, "at_risk": 0, "breached": 0, "waiting": 0}
    assert sla.data_months(seeded, {"KSO": frozenset({"verifikasi_skp"})}) == ["2026-05"]
    assert sla.half_years(seeded) == ["2026-H1"]


def test_qs007_a_case_and_its_steps(seeded):
    case_id = sla.find_case(seeded, "W1", ["KTM", "WS"])
    assert sla.find_case(seeded, "W1", ["KTM"]) is None
    info = sla.case_info(seeded, case_id)
    assert (info["sop_code"], info["case_ref"], info["closed_at"]) == ("WS", "W1", None)
    steps = sla.case_steps(seeded, case_id, wib(2026, 6, 1, 9, 0))
    assert steps[["step_key", "state"]].values.tolist() == [
        ["surat_permohonan", "met"], ["agenda_disposisi", "breached"], ["buat_akun", "breached"]]
    assert bool(steps["implicit"].iloc[-1]) and math.isnan(steps["elapsed_s"].iloc[-1])
    assert sla.case_steps(seeded, case_id, wib(2026, 6, 1, 9, 0), {"KTM": frozenset({"distribusi"})}).empty
