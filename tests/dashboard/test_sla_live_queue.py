"""A demo seeded now shows its SLA open-step queue on /sla: steps at risk and breached in the table, and the
in-progress, at-risk and breached counts in the summary (the page reads the clock, so the demo is seeded at it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from dash import _callback

from app.demo import generate
from pantau import migrate
from pantau.accounts import create_user
from pantau.db import make_engine, session_scope
from pantau.settings import Settings
from pantau.sla.engine import evaluate_pending

UPDATE = "/_dash-update-component"


def _call(app, client, fragment: str, inputs: list[tuple[str, str, object]]):
    key = next(key for key in [*app.callback_map, *_callback.GLOBAL_CALLBACK_MAP] if fragment in key)
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in key.strip(".").split("...")]
    return client.post(UPDATE, json={
        "output": key, "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [next(f"{i}.{p}" for i, p, v in inputs if v is not None)], "state": []})


def test_slalive001_a_demo_seeded_now_shows_at_risk_and_breached_steps_in_the_open_queue(tmp_path):
    from dashboard import create_app

    engine = make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    generate(engine, "small", seed=42, now=now)
    config = Settings(data_dir=tmp_path, database_url=str(engine.url))
    evaluate_pending(engine, config, now=now)
    with session_scope(engine) as session:
        create_user(session, "user.direktur", "direktur", password="rahasia-123")
    app = create_app(config, engine)
    client = app.server.test_client()
    token = client.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "user.direktur", "password": "rahasia-123", "csrf": token,
                                       "next": "/"}).status_code == 302

    response = _call(app, client, "sla-summary.children", [
        ("sla-sop", "value", "__all__"), ("sla-period", "value", None), ("sla-tick", "n_intervals", 1),
        ("sla-saved", "data", None)])

    assert response.status_code == 200, response.text
    answer = response.json["response"]
    queue = json.dumps(answer["sla-open"], ensure_ascii=False)
    assert "sla-open-table" in queue and "Berisiko" in queue and "Melewati batas" in queue
    for code in ("KTM", "KSO", "AKUN", "WS", "H2H"):
        assert f'"sop_code": "{code} · ' in queue, code  # the SOP by its label
    summary = json.dumps(answer["sla-summary"], ensure_ascii=False)
    assert "Berisiko" in summary and "Melewati batas" in summary
