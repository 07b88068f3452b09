"""The SLA bench's workflow-only store: about the size asked for, every case measured, built once and then
read from the cache."""

from __future__ import annotations

from sqlalchemy import func, select

from app.bench.sla_data import sla_store
from pantau.db import make_engine
from pantau.models import SopCase, StepEvent
from pantau.models.workflow import SlaMonthly, StepResult
from pantau.settings import Settings


def test_sst001_store_holds_about_the_cases_asked_for_all_measured_and_is_built_once(tmp_path):
    first = sla_store(Settings(), tmp_path, 400)
    engine = make_engine(f"sqlite:///{first.path}")
    with engine.connect() as connection:
        sops = dict(connection.execute(select(SopCase.sop_code, func.count()).group_by(SopCase.sop_code)).all())
        pending = connection.scalar(select(func.count()).select_from(SopCase).where(SopCase.evaluated_at.is_(None)))
        events = connection.scalar(select(func.count()).select_from(StepEvent))
        results = connection.scalar(select(func.count()).select_from(StepResult))
        months = connection.scalar(select(func.count()).select_from(SlaMonthly))
    engine.dispose()
    assert first.build_seconds is not None and 360 <= first.cases <= 440 and sum(sops.values()) == first.cases
    assert set(sops) == {"KTM", "KSO", "AKUN", "WS", "H2H"}, "the demo's mix of SOPs"
    assert pending == 0 and events > 0 and results >= events and months > 0, "every case measured and aggregated"
    again = sla_store(Settings(), tmp_path, 400)
    assert again.path == first.path and again.cases == first.cases and again.build_seconds is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.path.name]
