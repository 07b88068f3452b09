"""POST /api/v1/events: one bearer token per source system, idempotent on the event id."""

from __future__ import annotations

from sqlalchemy import func, select

from pantau.api_tokens import issue_token
from pantau.db import session_scope
from pantau.models import AuditEntry, StepEvent
from pantau.models.workflow import StepResult

EVENTS = [
    {"event_id": "881", "sop": "WS", "case_ref": "B-7/2026", "step": "surat_permohonan",
     "started_at": "2026-05-08T10:00:00+07:00", "completed_at": "2026-05-08T10:04:00+07:00", "performer": "Helpdesk"},
    {"event_id": "882", "sop": "WS", "case_ref": "B-7/2026", "step": "agenda_disposisi",
     "completed_at": "2026-05-08T10:12:00+07:00"},
]


def token(web, name: str = "simak", purpose: str = "events") -> str:
    with session_scope(web.engine) as session:
        return issue_token(session, name, purpose, actor="test")


def post(web, body, bearer: str | None = None):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return web.client().post("/api/v1/events", json=body, headers=headers)


def stored(web) -> int:
    with web.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(StepEvent))


def test_apiev001_missing_wrong_and_other_purpose_tokens_are_refused(web):
    token(web)
    agent = token(web, "host-1", "agent")
    assert post(web, EVENTS).status_code == 401
    assert post(web, EVENTS, "not-a-token").status_code == 401
    assert post(web, EVENTS, agent).status_code == 401
    assert stored(web) == 0


def test_apiev002_events_are_stored_measured_and_resends_are_harmless(web):
    bearer = token(web)
    first = post(web, {"events": EVENTS}, bearer)
    assert first.status_code == 200
    assert first.json == {"received": 2, "stored": 2, "duplicates": 0, "cases": 1, "steps": 3}
    again = post(web, EVENTS[::-1], bearer)
    assert again.json == {"received": 2, "stored": 0, "duplicates": 2, "cases": 0, "steps": 0}
    with web.engine.connect() as connection:
        uids = sorted(connection.scalars(select(StepEvent.event_uid)))
        states = dict(connection.execute(select(StepResult.step_key, StepResult.state)).all())
        audit = connection.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "events.api"))
    assert uids == ["api:simak:881", "api:simak:882"]
    assert states == {"surat_permohonan": "met", "agenda_disposisi": "breached", "buat_akun": "open"}
    assert audit == 2


def test_apiev003_one_event_is_enough(web):
    response = post(web, EVENTS[0], token(web))
    assert response.status_code == 200 and response.json["stored"] == 1


def test_apiev004_invalid_events_are_named_and_nothing_is_stored(web):
    bad = dict(EVENTS[1], step="arsip")
    response = post(web, [EVENTS[0], bad, dict(EVENTS[0], catatan="x", event_id="883")], token(web))
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json["errors"]] == [(1, "step"), (2, "catatan")]
    assert stored(web) == 0


def test_apiev005_an_event_id_reused_with_other_content_is_a_conflict(web):
    bearer = token(web)
    post(web, EVENTS, bearer)
    changed = dict(EVENTS[1], completed_at="2026-05-08T10:08:00+07:00")
    response = post(web, [changed], bearer)
    assert response.status_code == 409 and response.json["index"] == 0
    assert "882" in response.json["error"]


def test_apiev006_each_source_has_its_own_event_ids(web):
    post(web, EVENTS[:1], token(web, "simak"))
    response = post(web, EVENTS[:1], token(web, "sister"))
    assert response.json["stored"] == 1 and stored(web) == 2


def test_apiev007_body_must_be_json_with_events(web):
    bearer = token(web)
    client = web.client()
    not_json = client.post("/api/v1/events", data="hello", headers={"Authorization": f"Bearer {bearer}"})
    assert not_json.status_code == 400
    assert post(web, [], bearer).status_code == 400
    assert post(web, [EVENTS[0]] * 1001, bearer).status_code == 413
