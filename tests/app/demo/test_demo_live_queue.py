"""The demo's SLA open-step queue is not empty at the moment it is seeded: a few live cases per SOP, each with
one open step started on the working calendar so that some are in progress, some at risk and some breached."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from demo_helpers import NOW, frame

from app.demo import generate
from pantau.db import make_engine
from pantau.migrate import upgrade
from pantau.settings import Settings
from pantau.sla.engine import evaluate_pending
from pantau.sops import load_catalogue
from pantau.workcalendar import WorkingCalendar
from queries.sla import open_counts, open_counts_by_sop


@pytest.fixture(scope="module")
def measured(campus, tmp_path_factory):
    engine, summary = campus
    evaluate_pending(engine, Settings(data_dir=tmp_path_factory.mktemp("settings")), now=NOW)
    return engine


def test_demo040_the_open_queue_at_seeding_has_steps_in_progress_at_risk_and_breached(measured):
    counts = open_counts(measured, NOW)

    assert counts["open"] >= 5 and counts["at_risk"] >= 5 and counts["breached"] >= 5, counts


def test_demo041_every_sop_has_live_cases_in_its_queue(measured):
    catalogue = load_catalogue()
    by_sop = open_counts_by_sop(measured, NOW, {code: {step.key for step in sop.steps}
                                                for code, sop in catalogue.items()})

    for code, counts in by_sop.items():
        assert counts["open"] + counts["at_risk"] + counts["breached"] >= 3, (code, counts)
        assert counts["breached"] >= 1 and counts["open"] + counts["at_risk"] >= 1, (code, counts)


def _utc(value) -> datetime:
    moment = pd.Timestamp(value)
    return (moment.tz_localize(UTC) if moment.tzinfo is None else moment).to_pydatetime()


def test_demo042_live_open_steps_are_due_by_the_working_calendar_and_start_after_their_case_opened(measured):
    calendar = WorkingCalendar()
    catalogue = load_catalogue()
    steps = frame(measured, "SELECT r.sop_code, r.step_key, r.started_at, r.due_at, c.opened_at "
                            "FROM step_results r JOIN sop_cases c ON c.id = r.case_id "
                            "WHERE r.completed_at IS NULL AND r.due_at IS NOT NULL AND r.started_at > '2026-11-01'")

    assert len(steps) >= 15
    for row in steps.itertuples():
        started = _utc(row.started_at)
        assert calendar.due_time(started, catalogue[row.sop_code].step(row.step_key).time) == _utc(row.due_at)
        assert _utc(row.opened_at) <= started <= NOW


def test_demo043_a_demo_seeded_now_has_its_queue_now(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")
    upgrade(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    generate(engine, "small", seed=3, now=now)
    evaluate_pending(engine, Settings(data_dir=tmp_path), now=now)

    counts = open_counts(engine, now)

    assert counts["open"] >= 5 and counts["at_risk"] >= 5 and counts["breached"] >= 5, counts
