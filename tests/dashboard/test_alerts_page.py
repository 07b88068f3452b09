"""Peringatan: acknowledge, resolve and remind through the page's callback, as the browser sends them. The row
is named by its alert id, and the server checks the alert is the reader's and its state allows the action."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from dash import _callback
from sqlalchemy import select

from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.models import Alert, AlertDelivery, AuditEntry

UPDATE = "/_dash-update-component"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
BUTTONS = {"ack": "alerts-ack", "resolve": "alerts-resolve", "remind": "alerts-remind"}


@pytest.fixture
def alerts(web):
    """One open alert for the operator and one for the IT head; their ids by role."""
    made = {}
    with session_scope(web.engine) as session:
        for role, title in (("operator", "Tahap 3 WS-7 berisiko"), ("kepala_it", "Mati: server-h2h")):
            alert, _ = raise_alert(session, dedup_key=f"test:{role}", source="test", role=role, title=title,
                                   severity="warning", now=T0)
            made[role] = alert.id
    return made


def act(web, client, button: str, selected, note: str | None = None, states=("open", "acknowledged")):
    """Press a button with `selected` as the table's selected row ids (as the browser reports them)."""
    key = next(k for k in [*web.app.callback_map, *_callback.GLOBAL_CALLBACK_MAP] if "alerts-feedback.children" in k)
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
               for part in key.strip(".").split("...")]
    body = {
        "output": key, "outputs": outputs, "changedPropIds": [f"{BUTTONS[button]}.n_clicks"],
        "inputs": [{"id": i, "property": "n_clicks", "value": 1 if i == BUTTONS[button] else None}
                   for i in BUTTONS.values()],
        "state": [{"id": "alerts-table", "property": "selected_row_ids", "value": selected},
                  {"id": "alerts-note", "property": "value", "value": note},
                  {"id": "alerts-states", "property": "value", "value": list(states)}],
    }
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200, response.text
    return json.dumps(response.json["response"], ensure_ascii=False)


def state(web, alert_id: int) -> tuple[str, str | None, str | None]:
    with session_scope(web.engine) as session:
        alert = session.get(Alert, alert_id)
        return alert.state, alert.acknowledged_by, alert.resolved_by


def audit(web, action: str) -> list[tuple[str, str]]:
    with session_scope(web.engine) as session:
        return [tuple(row) for row in session.execute(
            select(AuditEntry.actor, AuditEntry.target).where(AuditEntry.action == action))]


def test_alpage001_the_operator_acknowledges_its_alert_in_its_language(web, alerts):
    client = web.client("operator")
    answer = act(web, client, "ack", [alerts["operator"]])
    assert "Peringatan ditandai diketahui: Tahap 3 WS-7 berisiko." in answer
    assert "\"state\": \"Diketahui\"" in answer, "the table shows the new state"
    assert state(web, alerts["operator"]) == ("acknowledged", "user.operator", None)
    assert audit(web, "alert.acknowledge") == [("user.operator", f"alert:{alerts['operator']}")]
    again = act(web, client, "ack", [alerts["operator"]])
    assert "Peringatan ini sudah ditandai diketahui oleh user.operator." in again


def test_alpage002_resolving_needs_a_note_and_then_closes_the_alert(web, alerts):
    client = web.client("kepala_it")
    assert "Tulis catatan sebelum menyelesaikan." in act(web, client, "resolve", [alerts["kepala_it"]], "  ")
    assert state(web, alerts["kepala_it"])[0] == "open"
    client.set_cookie("pantau_lang", "en")
    answer = act(web, client, "resolve", [alerts["kepala_it"]], "link restored by the bank")
    assert "Alert resolved: Mati: server-h2h." in answer
    assert state(web, alerts["kepala_it"]) == ("resolved", None, "user.kepala_it")
    assert audit(web, "alert.resolve") == [("user.kepala_it", f"alert:{alerts['kepala_it']}")]
    assert "This alert was already resolved by user.kepala_it." in act(web, client, "ack", [alerts["kepala_it"]])


def test_alpage003_a_reminder_is_queued_once_and_not_for_an_alert_someone_took_on(web, alerts):
    client = web.client("admin")
    answer = act(web, client, "remind", [alerts["kepala_it"]])
    assert "Pengingat untuk Kepala Unit IT masuk antrean: Mati: server-h2h." in answer
    assert "Pengingat untuk peringatan ini sudah menunggu dikirim." in act(web, client, "remind", [alerts["kepala_it"]])
    with session_scope(web.engine) as session:
        events = session.scalars(select(AlertDelivery.event).where(AlertDelivery.alert_id == alerts["kepala_it"])).all()
    assert sorted(events) == ["opened", "reminder"]
    assert audit(web, "alert.remind") == [("user.admin", f"alert:{alerts['kepala_it']}")]
    act(web, client, "ack", [alerts["operator"]])
    assert "user.admin sudah menangani peringatan ini" in act(web, client, "remind", [alerts["operator"]])


@pytest.mark.parametrize("forged", [["OTHER"], [999_999], ["x"], [None]])
def test_alpage004_an_alert_the_reader_may_not_see_is_refused_whatever_the_browser_sends(web, alerts, forged):
    forged = [alerts["kepala_it"]] if forged == ["OTHER"] else forged
    client = web.client("operator")
    for button in BUTTONS:
        assert "Peringatan itu bukan wewenang Anda." in act(web, client, button, forged, "catatan")
    assert state(web, alerts["kepala_it"]) == ("open", None, None)
    assert audit(web, "alert.acknowledge") == audit(web, "alert.resolve") == audit(web, "alert.remind") == []


def test_alpage005_nothing_chosen_asks_for_a_row(web, alerts):
    client = web.client("direktur")
    for selected in (None, []):
        assert "Pilih peringatan di tabel terlebih dahulu." in act(web, client, "ack", selected)


def test_alpage006_the_table_rows_carry_their_alert_ids(web, alerts):
    from demo_web import page

    response = web.client("admin").post(UPDATE, json=page("/peringatan"))
    table = next(c for c in _walk(response.json["response"]["_pages_content"]["children"])
                 if c.get("props", {}).get("id") == "alerts-table")
    assert sorted(row["id"] for row in table["props"]["data"]) == sorted(alerts.values())
    assert "id" not in [column["id"] for column in table["props"]["columns"]]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.get("props", {}).values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_alpage007_acknowledging_refreshes_the_counts_above_the_table(web, alerts):
    """The action's answer carries the count cards again: one fewer open, one more acknowledged."""
    client = web.client("operator")
    before = json.dumps(client.post(UPDATE, json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/peringatan"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": []}).json, ensure_ascii=False)
    answer = act(web, client, "ack", [alerts["operator"]])

    def count(text: str, state_name: str) -> int:
        props = re.search(r'\{[^{}]*"alerts-count-' + state_name + r'"[^{}]*\}', text).group(0)
        return int(re.search(r'"children": "(\d+)"', props).group(1))
    assert count(answer, "open") == count(before, "open") - 1
    assert count(answer, "acknowledged") == count(before, "acknowledged") + 1


def test_alpage008_a_reader_in_english_reads_an_alert_raised_in_indonesian_in_english(web):
    """The installation speaks Indonesian, so the alert's messages do; the page speaks each reader's language."""
    from demo_web import page

    from pantau.i18n import translate
    with session_scope(web.engine) as session:
        raise_alert(session, dedup_key="monitor:h2h:down", source="monitors", role="kepala_it", severity="critical",
                    words=lambda lang: (translate("{monitor} is down", lang, monitor="Server H2H"), ""), lang="id",
                    now=T0)
    client = web.client("kepala_it")
    client.set_cookie("pantau_lang", "en")
    shown = json.dumps(client.post(UPDATE, json=page("/peringatan")).json, ensure_ascii=False)
    assert "Server H2H is down" in shown and "Server H2H mati" not in shown
    client.set_cookie("pantau_lang", "id")
    assert "Server H2H mati" in json.dumps(client.post(UPDATE, json=page("/peringatan")).json, ensure_ascii=False)
