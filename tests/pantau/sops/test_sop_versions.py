"""Publishing an imported SOP adds a catalogue version: new cases start on it and are measured by it, old cases
keep the version they started on, also when measured afresh (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sla_helpers import case_row, feed, results
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry
from pantau.sla.context import with_published
from pantau.sla.engine import rebuild
from pantau.sops import Sop
from pantau.sops.imports import import_document
from pantau.sops.versions import history, publish
from pantau.sops.versions import versions as published

SEEDS = Path(__file__).parents[2] / "data" / "sops"


def webservice_with_ten_minute_requests(ctx) -> Sop:
    """The webservice SOP imported from its document, its executor of step 5 chosen, step 1 given 10 minutes."""
    draft = import_document(SEEDS / "webservice.txt", code="WS", base=ctx.catalogue["WS"]).with_executors({4: "ADM"})
    data = draft.as_catalogue()
    data["steps"][0]["time"] = {"value": 10, "unit": "working_minutes", "written": "10 menit"}
    return Sop.model_validate(data)


def request(case: str, event: str) -> dict:
    return {"case": case, "step": "surat_permohonan", "started": "2026-04-06 10:00", "completed": "2026-04-06 10:07",
            "event_id": event}


def test_sopver001_publishing_numbers_versions_per_code_and_audits_them(store, ctx):
    sop = webservice_with_ten_minute_requests(ctx)
    with session_scope(store) as session:
        first = publish(session, sop, actor="user.admin", source="webservice.docx")
        second = publish(session, sop, actor="user.admin", source="webservice-rev1.docx")
    assert (first, second) == (1, 2)
    with session_scope(store) as session:
        assert [(v.code, v.version, v.source, v.steps) for v in history(session)] == [
            ("WS", 2, "webservice-rev1.docx", 5), ("WS", 1, "webservice.docx", 5)]
        targets = session.scalars(select(AuditEntry.target).where(AuditEntry.action == "sop.publish")
                                  .order_by(AuditEntry.id)).all()
        assert targets == ["WS v1", "WS v2"]
        assert published(session)[("WS", 2)] == sop


def test_sopver002_old_cases_keep_the_version_they_started_on(store, ctx):
    feed(store, ctx, "WS", [request("W-OLD", "old")])
    with session_scope(store) as session:
        publish(session, webservice_with_ten_minute_requests(ctx), actor="user.admin", source="webservice.txt")
    current = with_published(ctx, store)
    assert current.catalogue["WS"].steps[0].time.value == 10 and current.file_catalogue["WS"].steps[0].time.value == 5
    feed(store, current, "WS", [request("W-NEW", "new")])
    assert (case_row(store, "WS", "W-OLD")["sop_version"], case_row(store, "WS", "W-NEW")["sop_version"]) == (None, 1)
    for measured_again in (False, True):
        if measured_again:
            rebuild(store, ctx)
        old, new = results(store, "WS", "W-OLD")["surat_permohonan"], results(store, "WS", "W-NEW")["surat_permohonan"]
        assert (old["state"], old["allowed_s"]) == ("breached", 5 * 60)
        assert (new["state"], new["allowed_s"]) == ("met", 10 * 60)
