"""Workflow-only stores for the SLA benchmarks: the demo's SOP cases and their events at a chosen size,
measured by the SLA engine, and kept in the bench cache so that a second run does not build them again.

The cases come from the demo generator's workflow part (`app.demo.workflow`) with every per-SOP count
of the large demo campus scaled to the size asked for, so the mix of SOPs, paths, breaches and open steps
is the demo's. The campus, admissions and ledger the cases are planned from are computed but not stored:
the SLA page and report read only the cases, their events and what the engine derives from them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.schema import CreateIndex, CreateTable

from app.demo import ANALYSIS_ROWS, billing, campus, tokens, workflow
from app.demo.bulk import BulkWriter
from app.demo.context import DemoContext
from app.demo.scales import get_scale
from pantau import migrate
from pantau.db import make_engine
from pantau.models import Base, SopCase
from pantau.settings import Settings
from pantau.sla.engine import evaluate_pending

SEED = 7
WORKFLOW_TABLES = ("sop_cases", "step_events", "step_results", "sla_monthly", "sla_performers", "sla_quantiles",
                   "sla_fingerprints")
_SOURCES = ("app/demo", "pantau/sla", "pantau/sops", "pantau/workcalendar")
"""Packages (under `pantau`) whose code decides what a cached store holds."""


@dataclass(frozen=True)
class SlaStore:
    """A cached store: its file, how many cases it holds, and how long building it took (None if cached)."""

    path: Path
    cases: int
    build_seconds: float | None


class _Unstored(BulkWriter):
    """Counts what the campus, admissions and ledger would write, and stores none of it."""

    def insert(self, table, columns, step=None) -> int:
        total = len(next(iter(columns.values()), ()))
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        return total


def sla_store(settings: Settings, cache: Path, cases: int) -> SlaStore:
    """The store with about `cases` measured SOP cases, built into `cache` unless already there.

    A store is built again when the code that builds or measures it (or the workflow tables) changed,
    and each new week, so its open steps stay about as old as a live campus's.
    """
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"sla-{cases}-{_version()}.db"
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as connection:
                count = connection.scalar(select(func.count()).select_from(SopCase))
        finally:
            engine.dispose()
        return SlaStore(path, int(count), None)
    for stale in cache.glob(f"sla-{cases}-*"):
        stale.unlink()
    started = time.perf_counter()
    building = path.with_suffix(".building")
    engine = make_engine(f"sqlite:///{building}")
    try:
        migrate.upgrade(engine)
        count = fill(engine, settings, cases)
    finally:
        engine.dispose()
    building.rename(path)
    return SlaStore(path, count, time.perf_counter() - started)


def fill(engine: Engine, settings: Settings, cases: int, now: datetime | None = None) -> int:
    """Write about `cases` demo SOP cases with their events into an empty store, measure them all and
    refresh the planner's statistics; returns the number of cases written."""
    large = get_scale("large")
    share = cases / _large_cases()
    scale = replace(large, name=f"sla-{cases}", students_per_cohort=max(1, round(large.students_per_cohort * share)),
                    applicants_per_cycle=max(1, round(large.applicants_per_cycle * share)),
                    kso_cases=max(2, round(large.kso_cases * share)),
                    akun_cases=max(3, round(large.akun_cases * share)),
                    ws_cases=max(2, round(large.ws_cases * share)),
                    h2h_problem_cases=max(1, round(large.h2h_problem_cases * share)))
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        planning = DemoContext(writer=_Unstored(connection), scale=scale, seed=SEED, now=moment)
        school = campus.generate(planning)
        ledger = billing.generate(planning, school, tokens.generate(planning, school.academic_year, school.prodi_ids))
        writer = BulkWriter(connection)
        with writer.tuned():
            workflow.generate(DemoContext(writer=writer, scale=scale, seed=SEED, now=moment), school, ledger)
    evaluate_pending(engine, settings, now=moment)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
        connection.execute(text("ANALYZE"))
        return int(connection.scalar(select(func.count()).select_from(SopCase)))


def _large_cases() -> int:
    """Cases of the large demo campus: its newest intake's KTM cards (about 12 programmes × 1.08 of a cohort,
    the intake's growth) and the other SOPs' counts, with H2H's billing set-ups."""
    large = get_scale("large")
    return round(large.students_per_cohort * 12 * 1.08) + large.kso_cases + large.akun_cases + large.ws_cases \
        + large.h2h_problem_cases


def _version() -> str:
    """A digest of the code and the workflow tables' schema a store was built with, and the ISO week."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]
    files = [Path(__file__).resolve(), *sorted(p for name in _SOURCES for p in (root / name).rglob("*")
                                                 if p.is_file() and p.suffix in (".py", ".toml", ".yaml", ".yml"))]
    for file in files:
        digest.update(file.read_bytes())
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    for name in WORKFLOW_TABLES:
        table = Base.metadata.tables.get(name)
        if table is None:
            continue
        digest.update(str(CreateTable(table).compile(dialect=dialect)).encode())
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            digest.update(str(CreateIndex(index).compile(dialect=dialect)).encode())
    year, week, _ = datetime.now(UTC).isocalendar()
    return f"{year}w{week:02d}-{digest.hexdigest()[:10]}"
