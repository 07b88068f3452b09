"""Step events read from a source system's own database through the campus's mapping query.

Source systems (mostly PHP on MySQL/MariaDB) keep their workflow in their own tables; the campus
writes one SELECT per source (see `pantau.sla.config.WorkflowSource`) and Pantau reads it
read-only. Rows change as the work goes on (a completion time filled in later), so each version of
a row is its own event, keyed by its content: a step's result takes the earliest start and the
latest completion, so re-reading is harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, create_engine, func, select, text

from pantau.db import session_scope
from pantau.models import StepEvent, utcnow
from pantau.sla.config import WorkflowSource
from pantau.sla.context import SlaContext
from pantau.workflow.records import EventProblem, parse_event
from pantau.workflow.store import EventConflict, IngestReport, store_events

log = logging.getLogger(__name__)


@dataclass
class SourceRead:
    """One source read: what was stored, and the rows skipped with their problems."""

    source: str
    report: IngestReport
    skipped: list[str] = field(default_factory=list)


def recorded_by(source: WorkflowSource) -> str:
    """The `recorded_by` of events read from `source`."""
    return f"db:{source.name}"


def since(engine: Engine, source: WorkflowSource) -> datetime | None:
    """Where an incremental query resumes: the newest event time read from `source`, less its overlap."""
    with engine.connect() as connection:
        newest = connection.scalar(
            select(func.max(func.coalesce(StepEvent.completed_at, StepEvent.started_at))).where(
                StepEvent.recorded_by == recorded_by(source)
            )
        )
    return None if newest is None else newest - timedelta(hours=source.overlap_hours)


def fetch_rows(source: WorkflowSource, resume: datetime | None, zone) -> list[dict]:
    """Run the mapping query on the source database; `:since` is given as local wall time (naive),
    as source systems store their times."""
    parameters = {}
    if source.uses_since:
        moment = resume.astimezone(zone).replace(tzinfo=None) if resume else datetime(1970, 1, 1)
        parameters["since"] = moment
    remote = create_engine(source.url, pool_pre_ping=True)
    try:
        with remote.connect() as connection:
            return [dict(row) for row in connection.execute(text(source.query), parameters).mappings()]
    finally:
        remote.dispose()


def read_source(engine: Engine, source: WorkflowSource, ctx: SlaContext, *, now: datetime | None = None) -> SourceRead:
    """Read `source` once and store its events; rows that do not validate are skipped and named."""
    now = now or utcnow()
    rows = fetch_rows(source, since(engine, source), ctx.calendar.zone)
    records, skipped = [], []
    for number, row in enumerate(rows, start=1):
        try:
            records.append(parse_event(row, ctx.catalogue, ctx.calendar.zone, sop=source.sop, now=now))
        except EventProblem as problem:
            skipped.append(f"row {number} {problem}")
    with session_scope(engine) as session:
        try:
            report = store_events(session, records, ctx, prefix=f"db:{source.name}", recorded_by=recorded_by(source),
                                  uid_with_content=True, source=source.name[:24], now=now,
                                  refuse_disorder=False)
        except EventConflict as conflict:
            raise EventConflict(conflict.index, f"source {source.name}: {conflict}") from None
    if skipped:
        log.warning("source %s: %d rows skipped, first: %s", source.name, len(skipped), skipped[0])
    return SourceRead(source.name, report, skipped)
