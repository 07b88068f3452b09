"""queries.ktm on both stores: an intake's funnel, stage times, batches, stuck students and completion."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sop_rows import NOW, Step, add_case, wib

from collectors.ktm_pipeline import refresh
from pantau.db import session_scope
from pantau.models import Prodi, Student
from queries import ktm

MIN = timedelta(minutes=1)


def _steps(start, elapsed: list[int | None], *, open_due=None, open_start=None) -> list[Step]:
    """KTM steps back to back from `start`: one per elapsed time (seconds), the last one open when None."""
    keys = ["sosialisasi", "pendaftaran", "pembuatan_rekening", "pembuatan_ktm", "distribusi"]
    allowed = [600, 600, 3600, 300, 3 * 86_400]
    steps, cursor = [], start
    for number, (key, used, standard) in enumerate(zip(keys, elapsed, allowed), start=1):
        if used is None:
            began = open_start or cursor
            steps.append(Step(key, number, began, due=open_due or began + timedelta(seconds=standard)))
            break
        steps.append(Step(key, number, cursor, cursor + timedelta(seconds=used), cursor + timedelta(seconds=standard)))
        cursor = cursor + timedelta(seconds=used) + MIN
    return steps


@pytest.fixture
def intake(store):
    """Intake 2026: five students in the register, four KTM cases in two batches; one 2025 case."""
    with session_scope(store) as session:
        session.add(Prodi(id=1, code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan"))
        session.flush()
        session.add_all(Student(nim=f"P2722026010{n:02d}", name=f"Mhs {n}", prodi_id=1, angkatan=2026)
                        for n in range(5))
        session.add(Student(nim="P272202501001", name="Lama", prodi_id=1, angkatan=2025))
        cases = {
            "A": (1, _steps(wib(2026, 9, 1, 9), [100, 300, 1800, 200, 3600])),
            "B": (1, _steps(wib(2026, 9, 1, 10), [200, 900, 1000, 250, None], open_start=wib(2026, 9, 5, 9),
                            open_due=wib(2026, 9, 8, 9))),
            "C": (2, _steps(NOW - timedelta(minutes=5), [300, None], open_start=NOW - timedelta(minutes=5),
                            open_due=NOW + timedelta(minutes=5))),
            "D": (2, _steps(wib(2026, 9, 2, 8), [400, 500, None], open_start=wib(2026, 9, 2, 9),
                            open_due=wib(2026, 9, 2, 10))),
        }
        for index, (name, (batch, steps)) in enumerate(cases.items()):
            nim = f"P2722026010{index:02d}"
            add_case(session, "KTM", nim, steps[0].started, steps, subject=f"KTM {name}",
                     attrs={"intake": 2026, "batch": batch, "nim": nim})
        add_case(session, "KTM", "P272202501001", wib(2025, 9, 1, 9), _steps(wib(2025, 9, 1, 9), [60] * 5),
                 attrs={"intake": 2025, "batch": 1, "nim": "P272202501001"})
    refresh(store, now=NOW)
    return store


def test_ktm001_intakes_and_batches_newest_first(intake):
    assert ktm.intakes(intake) == [2026, 2025]
    assert ktm.batch_numbers(intake, 2026) == [1, 2]


def test_ktm002_completion_is_distributed_cards_over_the_intakes_students(intake):
    done = ktm.completion(intake, 2026)
    assert (done.students, done.distributed, done.share) == (5, 1, 0.2)
    assert ktm.completion(intake, 2025).share == 1.0
    assert ktm.completion(intake, 2030).share is None
    assert [(c.intake, c.share) for c in ktm.completions(intake)] == [(2026, 0.2), (2025, 1.0)]


def test_ktm003_students_fall_back_to_cases_when_the_register_has_none(intake):
    with session_scope(intake) as session:
        add_case(session, "KTM", "X1", wib(2024, 9, 1, 9), _steps(wib(2024, 9, 1, 9), [60, None]),
                 attrs={"intake": 2024, "batch": 1, "nim": "X1"})
    assert refresh(intake, now=NOW) == [2026, 2024]
    assert (ktm.completion(intake, 2024).students, ktm.completion(intake, 2024).share) == (1, 0.0)


def test_ktm004_funnel_counts_reached_completed_open_and_breached(intake):
    funnel = ktm.funnel(intake, 2026).set_index("step_key")
    assert funnel.loc["sosialisasi"].tolist() == [4, 4, 0, 0]
    assert funnel.loc["pendaftaran"].tolist() == [4, 3, 1, 0]
    assert funnel.loc["pembuatan_rekening"].tolist() == [3, 2, 1, 1]
    assert funnel.loc["pembuatan_ktm"].tolist() == [2, 2, 0, 0]
    assert funnel.loc["distribusi"].tolist() == [2, 1, 1, 1]
    second = ktm.funnel(intake, 2026, batch=2).set_index("step_key")
    assert second.loc["pendaftaran"].tolist() == [2, 1, 1, 0]
    assert "pembuatan_ktm" not in second.index


def test_ktm005_stage_times_give_the_true_median_and_the_p90_of_sla(intake):
    """One definition on /ktm and /sla: the median of an even count is the mean of its two middle values,
    the P90 interpolated between neighbours (the SLA aggregates' pandas quantiles)."""
    times = ktm.stage_times(intake, 2026).set_index("step_key")
    used = {"sosialisasi": pd.Series([100, 200, 300, 400]), "pendaftaran": pd.Series([300, 900, 500])}
    assert times.loc["sosialisasi", ["completed", "met", "breached", "allowed_s"]].tolist() == [4, 4, 0, 600]
    assert times.loc["sosialisasi", "median_s"] == (200 + 300) / 2, "not the lower middle value"
    for key, values in used.items():
        assert times.loc[key, ["median_s", "p90_s"]].tolist() == [values.median(), round(values.quantile(0.9))]
    assert times.loc["pendaftaran", ["completed", "met", "breached"]].tolist() == [3, 2, 1]
    assert times.loc["distribusi", ["completed", "median_s", "p90_s"]].tolist() == [1, 3600, 3600]


def test_ktm006_batches_say_when_data_went_to_the_bank_and_cards_were_given(intake):
    rows = ktm.batches(intake, 2026).set_index("batch")
    first, second = rows.loc[1], rows.loc[2]
    assert first[["students", "sent", "cards_made", "distributed"]].tolist() == [2, 2, 2, 1]
    assert first["sent_at"].tz_convert("Asia/Jakarta").strftime("%Y-%m-%d %H") == "2026-09-01 09"
    assert second[["students", "sent", "cards_made", "distributed"]].tolist() == [2, 0, 0, 0]
    assert second["sent_at"] is None or str(second["sent_at"]) == "NaT"


def test_ktm007_stuck_students_longest_waiting_first(intake):
    rows = ktm.stuck(intake, 2026, NOW)
    assert rows["subject"].tolist() == ["KTM D", "KTM B", "KTM C"]
    assert rows["step_key"].tolist() == ["pembuatan_rekening", "distribusi", "pendaftaran"]
    assert rows["state"].tolist() == ["breached", "breached", "open"]
    assert ktm.stuck(intake, 2026, NOW, batch=1)["subject"].tolist() == ["KTM B"]


def test_ktm008_cards_distributed_by_month_run_up(intake):
    months = ktm.distributed_by_month(intake, 2026)
    assert months.to_dict("records") == [{"month": "2026-09", "cards": 1, "cumulative": 1}]


def test_ktm009_batch_members_know_which_batches_went_to_the_bank(intake):
    members = ktm.batch_members(intake, 2026).sort_values("nim")
    assert members["batch"].tolist() == [1, 1, 2, 2]
    assert members["sent"].tolist() == [True, True, False, False]


def test_ktm010_an_empty_store_has_no_intakes_and_empty_frames(store):
    assert refresh(store, now=NOW) == [] and ktm.intakes(store) == []
    assert ktm.funnel(store, 2026).empty and ktm.batches(store, 2026).empty and ktm.stuck(store, 2026, NOW).empty
    assert ktm.completion(store, 2026).share is None



def test_ktm011_completions_as_at_a_past_moment_and_month_by_month(intake):
    now = ktm.completions(intake, as_of=NOW)
    assert [(c.intake, c.share, c.monthly) for c in now] == [(2026, 0.2, (("2026-09", 1),)),
                                                             (2025, 1.0, (("2025-09", 1),))]
    assert now[0].cumulative_shares() == (0.2,)
    before = ktm.completions(intake, as_of=wib(2026, 8, 31, 23))
    assert [(c.intake, c.distributed, c.share) for c in before] == [(2025, 1, 1.0)]
    early = ktm.completions(intake, as_of=wib(2025, 8, 31, 23), zone="Asia/Jakarta")
    assert early == []
    assert [c.intake for c in ktm.completions(intake, limit=1)] == [2026]
