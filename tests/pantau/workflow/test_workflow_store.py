"""Event data that cannot lie: a step never completes before it starts, a completion alone never counts
met, and a later event that changes a stored step is kept as an audited correction (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sla_helpers import case_row, feed, results, wib
from sqlalchemy import func, select

from pantau.models import AuditEntry, StepEvent
from pantau.models.workflow import SlaMonthly
from pantau.workflow.store import EventConflict, EventOutOfOrder

START = {"case": "W-1", "step": "surat_permohonan", "started": "2026-04-06 10:00", "event_id": "s"}


def counted(engine) -> tuple[int, int, int]:
    """Completed, measured and met steps over every monthly aggregate."""
    with engine.connect() as connection:
        row = connection.execute(select(func.coalesce(func.sum(SlaMonthly.completed), 0),
                                        func.coalesce(func.sum(SlaMonthly.measured), 0),
                                        func.coalesce(func.sum(SlaMonthly.met), 0))).one()
    return tuple(int(value) for value in row)


def events(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(StepEvent.event_uid, StepEvent.correction).order_by(StepEvent.id))]


def test_wst001_a_completion_before_its_stored_start_is_refused_naming_event_and_field(store, ctx):
    feed(store, ctx, "WS", [START])
    early = {"case": "W-1", "step": "surat_permohonan", "completed": "2026-04-06 09:00", "event_id": "c"}
    with pytest.raises(EventOutOfOrder, match="before the start of step surat_permohonan of case W-1") as refused:
        feed(store, ctx, "WS", [dict(START, event_id="other", case="W-2"), early])
    assert (refused.value.index, refused.value.field) == (1, "completed_at")
    assert events(store) == [("test:s", False)], "the whole batch rolled back"


def test_wst002_a_start_after_the_stored_completion_is_refused_too(store, ctx):
    feed(store, ctx, "WS", [{"case": "W-1", "step": 1, "completed": "2026-04-06 09:00", "event_id": "c",
                             "started": "2026-04-06 08:50"}])
    with pytest.raises(EventOutOfOrder, match="after the completion") as refused:
        feed(store, ctx, "WS", [dict(START, event_id="late-start")])
    assert refused.value.field == "started_at"


def test_wst003_a_completion_alone_for_an_unknown_case_is_a_data_error_never_met(store, ctx):
    report = feed(store, ctx, "WS", [{"case": "W-9", "step": "agenda_disposisi", "completed": "2026-04-06 10:03",
                                      "event_id": "x"}])
    assert report.stored == 1
    step = results(store, "WS", "W-9")["agenda_disposisi"]
    assert (step["state"], step["problem"], step["month"], step["elapsed_s"]) == ("data_error", "no_start", None, None)
    assert counted(store) == (0, 0, 0)
    feed(store, ctx, "WS", [{"case": "W-9", "step": 1, "started": "2026-04-06 10:00", "completed": "2026-04-06 10:02",
                             "event_id": "y"}])
    again = results(store, "WS", "W-9")["agenda_disposisi"]
    assert (again["state"], again["problem"], again["started_at"]) == ("met", None, wib(2026, 4, 6, 10, 2))
    assert counted(store) == (2, 2, 2)


def test_wst004_a_step_completed_before_its_predecessor_is_a_data_error(store, ctx):
    feed(store, ctx, "WS", [
        {"case": "W-3", "step": 1, "started": "2026-04-06 08:00", "completed": "2026-04-06 08:04", "event_id": "1"},
        {"case": "W-3", "step": 2, "completed": "2026-04-06 08:02", "event_id": "2"},
    ])
    steps = results(store, "WS", "W-3")
    assert (steps["agenda_disposisi"]["state"], steps["agenda_disposisi"]["problem"]) == ("data_error", "before_start")
    assert counted(store) == (1, 1, 1), "only step 1 is counted"


def test_wst005_a_later_event_changing_a_stored_completion_is_an_audited_correction(store, ctx):
    feed(store, ctx, "WS", [dict(START, completed="2026-04-06 10:30")])
    assert results(store, "WS", "W-1")["surat_permohonan"]["state"] == "breached"
    fix = {"case": "W-1", "step": "surat_permohonan", "completed": "2026-04-06 10:04", "event_id": "fix"}
    feed(store, ctx, "WS", [fix])
    step = results(store, "WS", "W-1")["surat_permohonan"]
    assert (step["completed_at"], step["state"]) == (wib(2026, 4, 6, 10, 4), "met"), "the correction counts"
    assert events(store) == [("test:s", False), ("test:fix", True)], "the first event is kept as it was"
    with store.connect() as connection:
        entry = connection.execute(select(AuditEntry.actor, AuditEntry.target, AuditEntry.detail)
                                   .where(AuditEntry.action == "events.correction")).one()
    assert entry.actor == "tester" and entry.target == "WS/W-1/surat_permohonan"
    assert entry.detail == {"event": "test:fix",
                            "completed_at": ["2026-04-06T10:30+07:00", "2026-04-06T10:04+07:00"]}
    feed(store, ctx, "WS", [fix])
    assert len(events(store)) == 2, "sending the correction again changes nothing"


def test_wst006_an_event_repeating_what_is_stored_is_no_correction(store, ctx):
    feed(store, ctx, "WS", [dict(START, completed="2026-04-06 10:04")])
    feed(store, ctx, "WS", [{"case": "W-1", "step": 1, "completed": "2026-04-06 10:04", "performer": "Adm",
                             "event_id": "again"}])
    assert events(store)[-1] == ("test:again", False)
    with store.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "events.correction")) == 0


def test_wst007_a_conflicting_event_id_is_still_a_conflict_not_a_correction(store, ctx):
    feed(store, ctx, "WS", [dict(START, completed="2026-04-06 10:04")])
    with pytest.raises(EventConflict, match="already stored with other content"):
        feed(store, ctx, "WS", [dict(START, completed="2026-04-06 10:05")])
    assert case_row(store, "WS", "W-1")["opened_at"] == wib(2026, 4, 6, 10, 0)
