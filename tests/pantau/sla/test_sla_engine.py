"""The engine on a real store: late, out-of-order and duplicated events, cases written by other
means, aggregates kept in step, and re-measuring when the rules change."""

from __future__ import annotations

import random

import pytest
from sla_helpers import NOW, case_row, feed, results, wib
from sqlalchemy import insert, select, update

from pantau.models import SopCase, StepEvent
from pantau.models.workflow import SlaMonthly, SlaPerformer, SlaQuantile, StepResult
from pantau.settings import Settings
from pantau.sla.context import SlaContext, sla_context
from pantau.sla.engine import evaluate_pending, rebuild
from pantau.sops import BUILTIN_DIR
from pantau.workflow.store import EventConflict

KTM_EVENTS = [
    {"case": "K", "step": "sosialisasi", "started": "2026-04-06 08:00", "completed": "2026-04-06 08:08",
     "event_id": "1"},
    {"case": "K", "step": "pendaftaran", "started": "2026-04-06 08:10", "event_id": "2"},
    {"case": "K", "step": "pendaftaran", "completed": "2026-04-06 08:25", "performer": "Ani", "event_id": "3"},
    {"case": "K", "step": "pembuatan_rekening", "completed": "2026-04-06 09:40", "event_id": "4"},
    {"case": "K", "step": "pembuatan_ktm", "completed": "2026-04-07 10:00", "performer": "Bank", "event_id": "5"},
    {"case": "K", "step": "distribusi", "completed": "2026-04-08 10:00", "event_id": "6"},
]


def snapshot(engine) -> list[tuple]:
    with engine.connect() as connection:
        steps = connection.execute(
            select(StepResult.step_key, StepResult.started_at, StepResult.completed_at, StepResult.due_at,
                   StepResult.state, StepResult.performer, StepResult.elapsed_s).order_by(StepResult.step_key)
        ).all()
        months = connection.execute(
            select(SlaMonthly.step_key, SlaMonthly.month, SlaMonthly.met, SlaMonthly.breached)
            .order_by(SlaMonthly.step_key, SlaMonthly.month)
        ).all()
        cases = connection.execute(select(SopCase.opened_at, SopCase.closed_at, SopCase.outcome)).all()
    return [tuple(r) for r in steps] + [tuple(r) for r in months] + [tuple(r) for r in cases]


def test_en001_late_and_out_of_order_events_give_the_result_of_in_order_arrival(tmp_path, ctx):
    from pantau.db import make_engine
    from pantau.migrate import upgrade

    snapshots = []
    for attempt, seed in enumerate([None, 1, 2, 3]):
        engine = make_engine(f"sqlite:///{tmp_path / f'order{attempt}.db'}")
        upgrade(engine)
        events = list(KTM_EVENTS)
        if seed is not None:
            random.Random(seed).shuffle(events)
        for event in events:
            feed(engine, ctx, "KTM", [event])
        snapshots.append(snapshot(engine))
        engine.dispose()
    assert all(shot == snapshots[0] for shot in snapshots[1:])
    assert ("pendaftaran", wib(2026, 4, 6, 8, 10)) in [(row[0], row[1]) for row in snapshots[0][:6]]


def test_en002_duplicated_events_are_stored_once_and_change_nothing(store, ctx):
    first = feed(store, ctx, "KTM", KTM_EVENTS)
    before = snapshot(store)
    again = feed(store, ctx, "KTM", KTM_EVENTS + KTM_EVENTS[:2])
    assert (first.stored, again.stored, again.duplicates, again.cases) == (6, 0, 8, 0)
    assert snapshot(store) == before
    with store.connect() as connection:
        assert connection.scalar(select(StepEvent.id).order_by(StepEvent.id.desc()).limit(1)) == 6


def test_en003_same_event_id_with_other_content_is_a_conflict_and_stores_nothing(store, ctx):
    feed(store, ctx, "KTM", KTM_EVENTS[:1])
    changed = dict(KTM_EVENTS[0], completed="2026-04-06 08:09")
    with pytest.raises(EventConflict, match="event 1 is already stored with other content"):
        feed(store, ctx, "KTM", [KTM_EVENTS[1], changed])
    assert set(results(store, "KTM", "K")) == {"sosialisasi", "pendaftaran"}
    assert results(store, "KTM", "K")["pendaftaran"]["implicit"], "the rolled-back batch left no events"


def test_en004_an_earlier_event_moves_the_case_opening_back(store, ctx):
    feed(store, ctx, "KTM", KTM_EVENTS[1:3])
    assert case_row(store, "KTM", "K")["opened_at"] == wib(2026, 4, 6, 8, 10)
    feed(store, ctx, "KTM", KTM_EVENTS[:1])
    assert case_row(store, "KTM", "K")["opened_at"] == wib(2026, 4, 6, 8, 0)


def test_en005_cases_written_directly_are_measured_by_evaluate_pending(store, ctx):
    with store.begin() as connection:
        case_id = connection.execute(
            insert(SopCase).values(sop_code="WS", case_ref="WS-9", opened_at=wib(2026, 5, 8, 10, 0), source="demo",
                                   attrs={}).returning(SopCase.id)
        ).scalar_one()
        connection.execute(insert(StepEvent), [
            dict(event_uid="d1", case_id=case_id, step_key="surat_permohonan", started_at=wib(2026, 5, 8, 10, 0),
                 completed_at=wib(2026, 5, 8, 10, 4), received_at=NOW),
            dict(event_uid="d2", case_id=case_id, step_key="agenda_disposisi", started_at=None,
                 completed_at=wib(2026, 5, 8, 10, 12), received_at=NOW),
        ])
    evaluation = evaluate_pending(store, ctx, now=NOW)
    assert (evaluation.cases, evaluation.steps) == (1, 3)
    assert results(store, "WS", "WS-9")["agenda_disposisi"]["state"] == "breached"
    assert case_row(store, "WS", "WS-9")["evaluated_at"] is not None
    assert evaluate_pending(store, ctx, now=NOW).cases == 0, "nothing left to measure"


def test_en006_monthly_counts_and_half_year_quantiles_follow_the_results(store, ctx):
    rows = []
    # Five WS requests registered in 3, 4, 5, 6 and 8 working minutes against a 5-minute standard.
    for number, minutes in enumerate([3, 4, 5, 6, 8], start=1):
        rows.append({"case": f"W{number}", "step": "surat_permohonan", "started": "2026-05-11 09:00",
                     "completed": f"2026-05-11 09:{minutes:02d}", "performer": "Adm" if number < 4 else "Helpdesk"})
    feed(store, ctx, "WS", rows)
    with store.connect() as connection:
        monthly = connection.execute(
            select(SlaMonthly.month, SlaMonthly.completed, SlaMonthly.met, SlaMonthly.breached)
            .where(SlaMonthly.step_key == "surat_permohonan")
        ).all()
        performers = connection.execute(
            select(SlaPerformer.performer, SlaPerformer.completed, SlaPerformer.met)
            .where(SlaPerformer.step_key == "surat_permohonan").order_by(SlaPerformer.performer)
        ).all()
        quantiles = select(SlaQuantile).where(SlaQuantile.step_key == "surat_permohonan")
        spread = connection.execute(quantiles).mappings().one()
    assert [tuple(r) for r in monthly] == [("2026-05", 5, 3, 2)]
    assert [tuple(r) for r in performers] == [("Adm", 3, 3), ("Helpdesk", 2, 0)]
    assert spread["period"] == "2026-H1"
    assert spread["median_elapsed_s"] == 5 * 60 and spread["median_ratio"] == pytest.approx(1.0)
    # P90 of 3, 4, 5, 6, 8 minutes with linear interpolation: 6 + 0.6 × (8 − 6) = 7.2 minutes.
    assert spread["p90_elapsed_s"] == 432 and spread["p90_ratio"] == pytest.approx(1.44)


def test_en007_a_changed_sop_or_at_risk_share_re_measures_its_cases(store, ctx):
    feed(store, ctx, "KTM", KTM_EVENTS[:1])
    evaluate_pending(store, ctx, now=NOW)
    open_step = results(store, "KTM", "K")["pendaftaran"]
    assert open_step["risk_at"] == wib(2026, 4, 6, 8, 16)
    cautious = SlaContext(ctx.catalogue, ctx.calendar, ctx.config.model_copy(update={"at_risk_share": 0.5}))
    assert evaluate_pending(store, cautious, now=NOW).cases == 1
    assert results(store, "KTM", "K")["pendaftaran"]["risk_at"] == wib(2026, 4, 6, 8, 13)


def test_en008_rebuild_measures_everything_afresh(store, ctx):
    feed(store, ctx, "KTM", KTM_EVENTS)
    before = snapshot(store)
    with store.begin() as connection:
        connection.execute(update(StepResult).values(state="bogus"))
    evaluation = rebuild(store, ctx, now=NOW)
    assert evaluation.cases == 1
    assert snapshot(store) == before


def test_en009_performers_beyond_the_most_frequent_are_summed_as_others(store, ctx):
    rows = [{"case": f"W{n}", "step": 1, "started": "2026-05-11 09:00", "completed": "2026-05-11 09:03",
             "performer": f"Mahasiswa {n:02d}" if n > 2 else "Adm"} for n in range(1, 16)]
    feed(store, ctx, "WS", rows)
    with store.connect() as connection:
        performers = connection.execute(select(SlaPerformer.performer, SlaPerformer.completed)
                                        .order_by(SlaPerformer.completed.desc(), SlaPerformer.performer)).all()
    counts = dict(performers)
    assert len(counts) == 11, "ten by name, the rest summed"
    assert (counts["Adm"], counts["*"]) == (2, 4)


def test_en010_settings_choose_zone_and_extra_sop_directory(tmp_path):
    folder = tmp_path / "sops"
    folder.mkdir()
    text = (BUILTIN_DIR / "webservice.toml").read_text()
    (folder / "ws.toml").write_text(text.replace('code = "WS"', 'code = "WS2"'))
    ctx = sla_context(Settings(timezone="Asia/Makassar", sops={"dirs": [folder]}))
    assert ctx.calendar.config.timezone == "Asia/Makassar"
    assert set(ctx.catalogue) >= {"WS", "WS2"} and ctx.catalogue["WS2"].steps == ctx.catalogue["WS"].steps
