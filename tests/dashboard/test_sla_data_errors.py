"""The SLA page's data-error panel: steps that completed before they started or with no known start are
listed for the roles that see their SOP, in the reader's language, and are never counted as met."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from pantau.db import session_scope
from pantau.sla.context import sla_context
from pantau.workflow.records import parse_event
from pantau.workflow.store import store_events

WIB = ZoneInfo("Asia/Jakarta")
EVENTS = {
    "WS": [{"case": "WS-ERR", "step": 1, "started": "2026-05-08 10:00", "completed": "2026-05-08 10:04"},
           {"case": "WS-ERR", "step": 2, "completed": "2026-05-08 10:02"}],
    "KTM": [{"case": "KTM-ERR", "step": "pembuatan_rekening", "completed": "2026-04-06 09:40"}],
}


@pytest.fixture
def seeded(web):
    ctx = sla_context(web.settings)
    for code, rows in EVENTS.items():
        with session_scope(web.engine) as session:
            store_events(session, [parse_event(row, ctx.catalogue, WIB, sop=code) for row in rows], ctx,
                         prefix="t", recorded_by="test")
    return web


def page(client) -> str:
    response = client.post("/_dash-update-component", json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/sla"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    })
    assert response.status_code == 200, response.text
    return json.dumps(response.json, ensure_ascii=False)


def test_slaerr001_director_sees_every_data_error_with_its_problem_in_indonesian(seeded):
    text = page(seeded.client("direktur"))
    assert "Data bermasalah: tahap yang tidak dihitung (2)" in text
    assert "WS-ERR" in text and "Selesai sebelum dimulai" in text
    assert "KTM-ERR" in text and "Selesai tanpa waktu mulai yang diketahui" in text
    assert "WS · Pengelolaan Webservice" in text and "KTM · Pembuatan KTM" in text, "SOPs by their labels"


def test_slaerr002_operator_sees_only_its_units_sop_and_the_treasurer_none(seeded):
    operator = page(seeded.client("operator"))
    assert "WS-ERR" in operator and "KTM-ERR" not in operator and "(1)" in operator
    treasurer = page(seeded.client("bendahara"))
    assert "Data bermasalah" not in treasurer and "WS-ERR" not in treasurer


def test_slaerr003_no_panel_without_data_errors(web):
    assert "Data bermasalah" not in page(web.client("direktur"))


def test_slaerr004_the_form_refuses_a_completion_before_the_recorded_start_in_the_readers_words(seeded):
    from dash import _callback

    key = next(key for key in [*seeded.app.callback_map, *_callback.GLOBAL_CALLBACK_MAP]
               if "sla-form-feedback.children" in key)
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in key.strip(".").split("...")]
    values = [("sla-form-sop", "WS"), ("sla-form-case", "WS-ERR"), ("sla-form-step", "surat_permohonan"),
              ("sla-form-channel", "whatsapp"), ("sla-form-started", None), ("sla-form-completed", "2026-05-08T09:00"),
              ("sla-form-outcome", None)]
    response = seeded.client("operator").post("/_dash-update-component", json={
        "output": key, "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": "sla-form-save", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["sla-form-save.n_clicks"],
        "state": [{"id": i, "property": "value", "value": v} for i, v in values]})
    assert response.status_code == 200
    assert "Tidak tercatat: Selesai: sebelum waktu mulai tahap yang sudah tercatat" in json.dumps(
        response.json, ensure_ascii=False)
