"""The push APIs record their sources: each agent's readings and each event source's batches are attempts
(a refused one a failure in plain words), and an agent that stops pushing alerts the IT head until it pushes
again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from collectors.source_watch import SourceWatchCollector
from pantau.api_tokens import issue_token
from pantau.db import session_scope
from pantau.models import Alert, SourceStatus


def status(engine, kind: str, name: str) -> SourceStatus | None:
    with session_scope(engine) as session:
        row = session.get(SourceStatus, (kind, name))
        session.expunge_all()
        return row


def live_alerts(engine) -> list[tuple[str, str, str]]:
    with session_scope(engine) as session:
        return [tuple(row) for row in session.execute(
            select(Alert.dedup_key, Alert.role, Alert.state).order_by(Alert.id))]


def test_apisrc001_agents_pushing_are_sources_and_a_silent_one_alerts_the_it_head(web, tmp_path):
    with session_scope(web.engine) as session:
        token = issue_token(session, "agen-bayar", purpose="agent", actor="user.admin")
    client = web.app.server.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    reading = {"hostname": "server-pembayaran", "taken_at": datetime.now(UTC).isoformat(), "cpu_percent": 12.0,
               "memory_percent": 40.0}

    assert client.post("/api/v1/agent/metrics", json=reading, headers=headers).status_code == 201
    refused = client.post("/api/v1/agent/metrics", json={**reading, "cpu_percent": 140}, headers=headers)

    assert refused.status_code == 422
    row = status(web.engine, "agent", "server-pembayaran")
    assert (row.pushed, row.interval_s, row.consecutive_failures, row.last_error_kind) == (True, 60.0, 1, "data")
    assert "cpu_percent" in row.last_error
    later = {**reading, "taken_at": (datetime.now(UTC) + timedelta(seconds=1)).isoformat()}  # a new reading
    assert client.post("/api/v1/agent/metrics", json=later, headers=headers).status_code == 201
    with session_scope(web.engine) as session:
        session.get(SourceStatus, ("agent", "server-pembayaran")).last_success_at = \
            datetime.now(UTC) - timedelta(minutes=10)
    SourceWatchCollector(web.settings, web.engine).run()
    assert live_alerts(web.engine) == [("source:agent:server-pembayaran:failing", "kepala_it", "open")]
    latest = {**reading, "taken_at": (datetime.now(UTC) + timedelta(seconds=2)).isoformat()}
    assert client.post("/api/v1/agent/metrics", json=latest, headers=headers).status_code == 201
    assert live_alerts(web.engine) == [("source:agent:server-pembayaran:failing", "kepala_it", "resolved")]


def test_apisrc002_an_event_source_pushing_through_the_api_is_a_source_and_a_refused_batch_its_failure(web):
    with session_scope(web.engine) as session:
        token = issue_token(session, "siakad", purpose="events", actor="user.admin")
    client = web.app.server.test_client()

    refused = client.post("/api/v1/events", json={"events": [{"sop": "nope"}]},
                          headers={"Authorization": f"Bearer {token}"})

    assert refused.status_code == 422
    row = status(web.engine, "event_source", "siakad")
    assert (row.pushed, row.consecutive_failures, row.last_error_kind) == (True, 1, "data")
    assert row.last_error.startswith("1 of 1 events refused; event 0, field ")
