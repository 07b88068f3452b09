"""The events API and the file import refuse a step that would complete before it starts, line by line,
and never count a completion alone as met; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collectors.workflow.files import EventFileError, import_file
from pantau.api_tokens import issue_token
from pantau.db import session_scope
from pantau.models import StepEvent
from pantau.models.workflow import StepResult
from pantau.settings import Settings

START = {"event_id": "1", "sop": "WS", "case_ref": "B-1", "step": "surat_permohonan",
         "started_at": "2026-05-08T10:00:00+07:00"}


@pytest.fixture
def api(store, tmp_path):
    """A test client of the app on `store` and a bearer token of the source "simak"."""
    from dashboard import create_app

    app = create_app(Settings(data_dir=tmp_path, database_url=store.url.render_as_string(hide_password=False)),
                     store)
    with session_scope(store) as session:
        bearer = issue_token(session, "simak", "events", actor="test")
    client = app.server.test_client()
    return lambda body: client.post("/api/v1/events", json=body, headers={"Authorization": f"Bearer {bearer}"})


def states(engine) -> dict[str, tuple]:
    with engine.connect() as connection:
        return {row.step_key: (row.state, row.problem)
                for row in connection.execute(select(StepResult.step_key, StepResult.state, StepResult.problem))}


def count(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(StepEvent))


def test_evi001_api_completion_earlier_than_its_start_is_422_naming_the_event(api, store):
    same = dict(START, completed_at="2026-05-08T09:00:00+07:00")
    response = api([dict(START, event_id="0", case_ref="B-0"), same])
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json["errors"]] == [(1, "completed_at")]
    assert api([START]).status_code == 200
    later = {"event_id": "2", "sop": "WS", "case_ref": "B-1", "step": 1, "completed_at": "2026-05-08T09:59:00+07:00"}
    refused = api([later])
    assert refused.status_code == 422 and refused.json["refused"] == 1
    assert refused.json["errors"] == [{"index": 0, "field": "completed_at", "value": "2026-05-08T09:59:00+07:00",
                                       "reason": "before the start of step surat_permohonan of case B-1 "
                                                 "(2026-05-08T10:00+07:00)"}]
    assert count(store) == 1


def test_evi002_api_completion_alone_for_an_unknown_case_is_stored_as_a_data_error_never_met(api, store):
    alone = {"event_id": "9", "sop": "WS", "case_ref": "B-9", "step": "agenda_disposisi",
             "completed_at": "2026-05-08T10:03:00+07:00"}
    assert api([alone]).status_code == 200
    assert states(store)["agenda_disposisi"] == ("data_error", "no_start")
    assert "met" not in {state for state, _ in states(store).values()}


def test_evi003_api_a_changed_completion_is_stored_as_a_correction(api, store):
    assert api([dict(START, completed_at="2026-05-08T10:30:00+07:00")]).status_code == 200
    assert api([{"event_id": "fix", "sop": "WS", "case_ref": "B-1", "step": 1,
                 "completed_at": "2026-05-08T10:03:00+07:00"}]).status_code == 200
    with store.connect() as connection:
        assert connection.execute(select(StepEvent.event_uid, StepEvent.correction).order_by(StepEvent.id)).all() == [
            ("api:simak:1", False), ("api:simak:fix", True)]
    assert states(store)["surat_permohonan"] == ("met", None)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_evi004_file_completion_earlier_than_the_stored_start_names_line_and_field(store, ctx, tmp_path):
    import_file(store, write(tmp_path, "a.csv", "case;step;started;event_id\nW-1;1;08/05/2026 10:00;A\n"), "WS", ctx)
    late = write(tmp_path, "b.csv",
                 "case;step;completed;event_id\nW-2;1;08/05/2026 10:00;B\nW-1;1;08/05/2026 09:00;C\n")
    with pytest.raises(EventFileError) as caught:
        import_file(store, late, "WS", ctx)
    assert caught.value.as_dicts() == [{"file": str(late), "line": 3, "field": "completed_at",
                                        "value": "2026-05-08T09:00+07:00",
                                        "reason": "before the start of step surat_permohonan of case W-1 "
                                                  "(2026-05-08T10:00+07:00)"}]
    assert count(store) == 1


def test_evi005_file_with_surplus_cells_still_lists_earlier_rows_errors(store, ctx, tmp_path):
    text = ("case;step;completed\n"
            "W-1;arsip;08/05/2026 10:00\n"
            "W-1;1;08/05/2026 10:00;surplus\n"
            "W-1;1;31/02/2026 10:00\n")
    with pytest.raises(EventFileError) as caught:
        import_file(store, write(tmp_path, "c.csv", text), "WS", ctx)
    assert [(p["line"], p["field"]) for p in caught.value.as_dicts()] == [(2, "step"), (3, None), (4, "completed_at")]
    assert "c.csv line 3: 4 cells, but the header has 3" in str(caught.value)
    assert count(store) == 0
