"""The alerts page per role: each role's table and counts hold only the alerts about what it may open (the
operator of UPT TIK: the WS SOP's), and an alert it is not shown cannot be acted on through the page."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from dash import _callback

from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import Alert

UPDATE = "/_dash-update-component"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
ALERTS = {  # title: (role, SOP, step)
    "KSO tahap 1 terlambat": ("operator", "KSO", "permohonan"),
    "KTM foto hilang": ("operator", "KTM", None),
    "WS tahap 1 terlambat": ("operator", "WS", "surat_permohonan"),
    "Akun WS Fakultas Teknik kedaluwarsa": ("kepala_it", "WS", None),
    "Mati: server-h2h": ("kepala_it", None, None),
    "Token menipis": ("bendahara", None, None),
}
SHOWN = {
    "operator": {"WS tahap 1 terlambat"},
    "kepala_it": {"Akun WS Fakultas Teknik kedaluwarsa", "Mati: server-h2h"},
    "bendahara": {"Token menipis"},
    "direktur": set(),
    "admin": set(ALERTS),
}


@pytest.fixture
def scoped(web) -> dict[str, int]:
    ids = {}
    with session_scope(web.engine) as session:
        for number, (title, (role, sop, step)) in enumerate(ALERTS.items()):
            alert, _ = raise_alert(session, dedup_key=f"test:{number}", source="test", role=role, title=title,
                                   severity="critical", now=T0, sop_code=sop, step_key=step)
            ids[title] = alert.id
    return ids


def call(web, client, output: str, inputs: list[dict], state: list[dict], changed: str) -> dict:
    key = next(k for k in [*web.app.callback_map, *_callback.GLOBAL_CALLBACK_MAP]
               if k.startswith(output) or f"..{output}" in k and k.startswith(".."))
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
               for part in key.strip(".").split("...")]
    response = client.post(UPDATE, json={"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
                                         "inputs": inputs, "state": state, "changedPropIds": [changed]})
    assert response.status_code == 200, response.text
    return response.json["response"]


def listed(web, client) -> set[str]:
    answer = call(web, client, "alerts-body.children",
                  [{"id": "alerts-states", "property": "value", "value": ["open", "acknowledged", "resolved"]},
                   {"id": "alerts-tick", "property": "n_intervals", "value": 1}],
                  [{"id": "alerts-table", "property": "selected_row_ids", "value": []}], "alerts-tick.n_intervals")
    text = json.dumps(answer, ensure_ascii=False)
    return {title for title in ALERTS if title in text}


@pytest.mark.parametrize("role", list(SHOWN))
def test_alscope001_each_role_lists_only_the_alerts_about_what_it_may_open(web, scoped, role):
    client = web.client(role)

    assert listed(web, client) == SHOWN[role]
    page = client.get("/peringatan")
    assert page.status_code == 200


def test_alscope002_an_operator_cannot_act_on_an_alert_of_another_units_sop(web, scoped):
    client = web.client("operator")
    answer = call(web, client, "..alerts-feedback.children",
                  [{"id": i, "property": "n_clicks", "value": 1 if i == "alerts-ack" else None}
                   for i in ("alerts-ack", "alerts-resolve", "alerts-remind")],
                  [{"id": "alerts-table", "property": "selected_row_ids", "value": [scoped["KSO tahap 1 terlambat"]]},
                   {"id": "alerts-note", "property": "value", "value": None},
                   {"id": "alerts-states", "property": "value", "value": ["open"]}], "alerts-ack.n_clicks")

    with session_scope(web.engine) as session:
        assert session.get(Alert, scoped["KSO tahap 1 terlambat"]).state == "open"
    assert "Peringatan itu bukan wewenang Anda." in json.dumps(answer, ensure_ascii=False)
