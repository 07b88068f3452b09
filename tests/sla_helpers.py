"""Helpers for the SLA tests: feed hand-written step events through the real ingestion path."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from pantau.db import session_scope
from pantau.models import SopCase
from pantau.models.workflow import StepResult
from pantau.sla.context import SlaContext
from pantau.workflow.records import parse_event
from pantau.workflow.store import IngestReport, store_events

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=WIB)


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


def feed(engine: Engine, ctx: SlaContext, sop: str, rows: list[dict], *, prefix: str = "test",
         now: datetime = NOW) -> IngestReport:
    """Validate raw rows as an import would and store them in one transaction."""
    records = [parse_event(row, ctx.catalogue, WIB, sop=sop, now=now) for row in rows]
    with session_scope(engine) as session:
        return store_events(session, records, ctx, prefix=prefix, recorded_by="tester", now=now)


def results(engine: Engine, sop: str, case_ref: str) -> dict[str, dict]:
    """The step results of one case by step key, times in WIB."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(StepResult).join(SopCase, SopCase.id == StepResult.case_id)
            .where(SopCase.sop_code == sop, SopCase.case_ref == case_ref)
        ).mappings().all()
    out = {}
    for row in rows:
        item = dict(row)
        for name in ("started_at", "completed_at", "due_at", "risk_at"):
            if item[name] is not None:
                item[name] = item[name].astimezone(WIB)
        out[item["step_key"]] = item
    return out


def case_row(engine: Engine, sop: str, case_ref: str) -> dict:
    with engine.connect() as connection:
        row = connection.execute(
            select(SopCase).where(SopCase.sop_code == sop, SopCase.case_ref == case_ref)
        ).mappings().one()
    return dict(row)
