"""The demo's SOP cases follow the catalogue, mostly meet their standard times, and feed the accounts."""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta
from demo_helpers import NOW, frame

from pantau.sops import END, load_catalogue
from pantau.workcalendar import WorkingCalendar


def _events(engine) -> pd.DataFrame:
    events = frame(engine, "SELECT c.id AS case_id, c.sop_code, c.closed_at, e.event_uid, e.step_key, "
                           "e.started_at, e.completed_at, e.outcome, e.channel "
                           "FROM step_events e JOIN sop_cases c ON c.id = e.case_id")
    for column in ("started_at", "completed_at", "closed_at"):
        events[column] = pd.to_datetime(events[column], utc=True)
    return events


def _allowed_after(sop, key: str, outcome: str | None) -> set[str]:
    step = sop.step(key)
    if step.branches:
        return {branch.target for branch in step.branches if branch.key == outcome}
    return set(sop.successors(key))


def test_demo030_every_case_walks_its_sop_in_order(campus):
    engine, _ = campus
    catalogue = load_catalogue()
    events = _events(engine)
    assert events["event_uid"].is_unique
    assert set(events["sop_code"]) == set(catalogue)
    assert (events["completed_at"].dropna() <= pd.Timestamp(NOW)).all()
    assert (events["started_at"] <= pd.Timestamp(NOW)).all()
    done = events.dropna(subset=["completed_at"])
    assert (done["started_at"] <= done["completed_at"]).all()
    for _, case in events.sort_values(["case_id", "started_at"]).groupby("case_id"):
        sop = catalogue[case["sop_code"].iloc[0]]
        rows = case.to_dict("records")
        for current, following in zip(rows, rows[1:]):
            assert following["step_key"] in _allowed_after(sop, current["step_key"], current["outcome"]), current
        if pd.notna(rows[0]["closed_at"]):
            assert END in _allowed_after(sop, rows[-1]["step_key"], rows[-1]["outcome"])
            assert rows[-1]["completed_at"] == rows[0]["closed_at"]


def test_demo031_most_steps_meet_their_standard_time_and_some_breach_it(campus):
    engine, _ = campus
    catalogue = load_catalogue()
    calendar = WorkingCalendar()
    met = []
    for row in _events(engine).dropna(subset=["completed_at"]).itertuples():
        standard = catalogue[row.sop_code].step(row.step_key).time
        due = calendar.due_time(row.started_at.to_pydatetime(), standard)
        if due is not None:
            met.append(row.completed_at.to_pydatetime() <= due)
    share = sum(met) / len(met)
    assert 0.75 <= share <= 0.97


def test_demo032_some_requests_are_rejected_and_some_cases_are_still_open(campus):
    engine, _ = campus
    cases = frame(engine, "SELECT sop_code, outcome, closed_at, flow FROM sop_cases")
    rejected = cases[cases["outcome"] == "ditolak"]
    assert {"KSO", "AKUN"} <= set(rejected["sop_code"])
    assert cases["closed_at"].isna().sum() >= 1
    assert (cases["outcome"].isna() == cases["closed_at"].isna()).all()
    akun = cases[cases["sop_code"] == "AKUN"]
    assert set(akun["flow"]) == {"pengelolaan_akun", "pemberian_akses"}
    events = _events(engine)
    assert set(events.loc[events["sop_code"] == "AKUN", "channel"]) == {"whatsapp", "email"}


def test_demo033_ktm_cases_cover_the_newest_intake_in_batches(campus):
    engine, _ = campus
    newest = frame(engine, "SELECT MAX(angkatan) AS year FROM students")["year"][0]
    students = frame(engine, f"SELECT nim FROM students WHERE angkatan = {newest}")
    ktm = frame(engine, "SELECT case_ref, attrs FROM sop_cases WHERE sop_code = 'KTM'")
    attrs = ktm["attrs"].map(lambda a: a if isinstance(a, dict) else json.loads(a))
    assert sorted(ktm["case_ref"]) == sorted(students["nim"])
    assert (attrs.map(lambda a: a["intake"]) == newest).all()
    assert attrs.map(lambda a: a["batch"]).nunique() >= 2


def test_demo034_kso_requests_carry_their_title_participants_invoice_and_skp_result(campus):
    engine, _ = campus
    kso = frame(engine, "SELECT id, outcome, attrs FROM sop_cases WHERE sop_code = 'KSO'")
    attrs = kso["attrs"].map(lambda a: a if isinstance(a, dict) else json.loads(a))
    assert attrs.map(lambda a: {"title", "participants", "invoice_amount", "skp_result"} <= set(a)).all()
    assert attrs.map(lambda a: a["invoice_amount"] >= a["participants"] * 150_000).all()
    results = frame(engine, "SELECT case_id, outcome FROM step_events WHERE step_key = 'informasi_hasil' "
                            "AND completed_at IS NOT NULL").set_index("case_id")["outcome"]
    for case_id, a in zip(kso["id"], attrs):
        assert a["skp_result"] == results.get(case_id)


def test_demo035_webservice_accounts_are_valid_for_one_year_and_some_run_out(campus):
    engine, _ = campus
    accounts = frame(engine, "SELECT created_at, valid_until, last_used_at FROM webservice_accounts")
    created = pd.to_datetime(accounts["created_at"], utc=True)
    until = pd.to_datetime(accounts["valid_until"], utc=True)
    used = pd.to_datetime(accounts["last_used_at"], utc=True)
    assert all(u == c + relativedelta(years=1) for c, u in zip(created, until))
    now = pd.Timestamp(NOW)
    assert ((until > now) & (until <= now + timedelta(days=30))).sum() >= 1
    assert ((until <= now) & (used > until)).sum() >= 1
    made = frame(engine, "SELECT completed_at FROM step_events "
                         "WHERE step_key = 'buat_akun' AND completed_at IS NOT NULL")
    assert sorted(created) == sorted(pd.to_datetime(made["completed_at"], utc=True))


def test_demo036_registered_accounts_join_the_register_and_collectors_are_fresh(campus):
    engine, _ = campus
    registered = frame(engine, "SELECT COUNT(*) AS n FROM step_events WHERE step_key = 'catat_akun' "
                               "AND completed_at IS NOT NULL")["n"][0]
    register = frame(engine, "SELECT COUNT(*) AS n FROM digital_accounts")["n"][0]
    assert register > registered >= 1
    runs = frame(engine, "SELECT collector, finished_at, ok FROM collector_runs")
    assert runs["collector"].str.startswith("demo:").all() and len(runs) >= 7
    assert (pd.to_datetime(runs["finished_at"], utc=True) == pd.Timestamp(NOW)).all()
