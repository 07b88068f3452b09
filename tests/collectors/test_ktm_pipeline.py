"""The `ktm-pipeline` collector counts an intake again only when something about it can have changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import delete, select, update

from collectors.scheduler import run_once
from pantau.db import session_scope
from pantau.models import KtmIntake, KtmStage, SopCase, utcnow
from pantau.models.workflow import StepResult
from pantau.settings import Settings
from pantau.sla.aggregates import MEDIAN, P90, quantile


def _case(session, intake: int, nim: str, *, done: bool) -> None:
    started = datetime(intake, 9, 1, 2, tzinfo=UTC)
    case = SopCase(sop_code="KTM", case_ref=nim, opened_at=started, unit="Layanan Terpadu", evaluated_at=started,
                   attrs={"intake": intake, "batch": 1, "nim": nim})
    session.add(case)
    session.flush()
    session.add(StepResult(case_id=case.id, sop_code="KTM", step_key="distribusi", step_number=5,
                           performer_role="operator", unit="Layanan Terpadu", started_at=started,
                           completed_at=started + timedelta(days=1) if done else None,
                           due_at=started + timedelta(days=3), elapsed_s=86_400 if done else None,
                           allowed_s=259_200, state="met" if done else "open", month=f"{intake}-09" if done else None))


def test_ktmpipe001_only_new_changed_or_running_intakes_are_counted_again(tmp_path, store):
    settings = Settings(data_dir=tmp_path)
    with session_scope(store) as session:
        _case(session, 2025, "A", done=True)
        _case(session, 2026, "B", done=True)
        _case(session, 2026, "C", done=False)

    first = run_once(settings, store, names=["ktm-pipeline"])[0]
    second = run_once(settings, store, names=["ktm-pipeline"])[0]
    with session_scope(store) as session:
        session.execute(update(SopCase).where(SopCase.case_ref == "A").values(evaluated_at=utcnow()))
    third = run_once(settings, store, names=["ktm-pipeline"])[0]

    assert first.message == "intakes counted: 2026, 2025"
    assert second.message == "intakes counted: 2026"
    assert third.message == "intakes counted: 2026, 2025"
    with session_scope(store) as session:
        counts = {row.intake: (row.students, row.distributed) for row in session.scalars(select(KtmIntake))}
        assert counts == {2025: (1, 1), 2026: (2, 1)}
        stage = session.scalars(select(KtmStage).where(KtmStage.intake == 2026, KtmStage.batch == 0)).one()
        assert (stage.reached, stage.completed, stage.open_breached, stage.monthly) == (2, 1, 1, {"2026-09": 1})


def test_ktmpipe002_an_intake_without_cases_loses_its_counts(tmp_path, store):
    settings = Settings(data_dir=tmp_path)
    with session_scope(store) as session:
        _case(session, 2025, "A", done=True)
    run_once(settings, store, names=["ktm-pipeline"])
    with session_scope(store) as session:
        session.execute(delete(SopCase))

    assert run_once(settings, store, names=["ktm-pipeline"])[0].message == "intakes counted: none changed"
    with session_scope(store) as session:
        assert session.scalars(select(KtmIntake)).all() == [] and session.scalars(select(KtmStage)).all() == []


def test_ktmpipe003_stage_quantiles_are_the_sla_definition():
    values = pd.Series([400, 100, None, 300, 200])
    assert (quantile(values, MEDIAN), quantile(values, P90), quantile(pd.Series([], dtype=float), MEDIAN)) == \
        (250, 370, None), "the true median of four values, and the P90 between the third and the fourth"


def test_ktmpipe004_cases_measured_by_an_evaluation_that_began_before_the_count_are_counted(tmp_path, store):
    """The SLA engine marks its cases with the moment its run began; a count made while it ran must not hide
    them (the demo's first minutes showed 0% KTM completion that way)."""
    settings = Settings(data_dir=tmp_path)
    began = datetime(2026, 11, 20, 2, tzinfo=UTC)
    with session_scope(store) as session:
        session.add(SopCase(sop_code="KTM", case_ref="N1", opened_at=began - timedelta(days=60), unit="Layanan Terpadu",
                            attrs={"intake": 2026, "batch": 1, "nim": "N1"}))
    assert run_once(settings, store, names=["ktm-pipeline"])[0].message == "intakes counted: 2026"
    with session_scope(store) as session:
        assert session.get(KtmIntake, 2026).distributed == 0
        session.execute(delete(SopCase))
        _case(session, 2026, "N1", done=True)
        session.execute(update(SopCase).values(evaluated_at=began))

    assert run_once(settings, store, names=["ktm-pipeline"])[0].message == "intakes counted: 2026"
    assert run_once(settings, store, names=["ktm-pipeline"])[0].message == "intakes counted: none changed"
    with session_scope(store) as session:
        counted = session.get(KtmIntake, 2026)
        assert (counted.students, counted.distributed, counted.evaluated_through) == (1, 1, began)
