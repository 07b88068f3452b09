"""A deterministic, believable demo polytechnic: campus, bills and bank feed, payment tokens, a year of
server monitoring, SOP workflow cases and accounts.

`generate(engine, "medium")` fills an empty store; the same seed and the same `now` give the same
data, row for row. Users and alerts are not generated here (see `app.demo_users` and the alert
engine), and reconciliation results are left to the reconciliation engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, text

from app.demo import accounts, bank, billing, campus, freshness, monitoring, tokens, workflow
from app.demo.bulk import BulkWriter
from app.demo.context import DemoContext
from app.demo.scales import SCALES, Scale, ScaleName, get_scale
from pantau.models import Base

__all__ = [
    "DEMO_TABLES", "DERIVED_TABLES", "SCALES", "DemoNotEmptyError", "DemoSummary", "Scale", "clear", "generate",
]

DEMO_TABLES = (
    "prodi", "students", "admission_waves", "payment_extensions", "applicants", "token_movements", "bills", "bill_vas",
    "payments", "bank_imports", "bank_statements", "bank_transactions", "monitors", "maintenance_windows",
    "probe_samples",
    "rollup_minute", "rollup_hour", "rollup_day", "incidents", "host_metrics", "sop_cases", "step_events",
    "digital_accounts", "webservice_accounts",
)
"""Tables the demo writes; a store with rows in any of them is refused unless `replace` is asked for."""

DERIVED_TABLES = (
    "bill_states", "credit_states", "recon_results", "recon_cases", "recon_summary", "bill_rollups",
    "step_results", "sla_monthly", "sla_quantiles", "sla_performers", "sla_fingerprints",
    "ktm_intakes", "ktm_stages", "ktm_photo_checks",
)
"""Tables other engines compute from the demo's data (reconciliation, SLA); `clear` empties those that
exist, as they would be stale. The demo leaves them empty for those engines to fill."""

ANALYSIS_ROWS = 1000
"""SQLite samples this many index rows per index for the planner's statistics after a bulk load."""


class DemoNotEmptyError(ValueError):
    """The store already holds data in the demo's tables and `replace` was not asked for; `tables` names them."""

    def __init__(self, tables: list[str]) -> None:
        self.tables = list(tables)
        super().__init__(f"the store already has data ({', '.join(self.tables)}); use replace to clear the demo "
                         "tables first")


@dataclass(frozen=True)
class DemoSummary:
    """What a generation run wrote: rows per table, and how long it took."""

    scale: str
    seed: int
    now: datetime
    counts: dict[str, int]
    seconds: float


def generate(
    engine: Engine,
    scale: ScaleName = "medium",
    seed: int = 42,
    now: datetime | None = None,
    progress: Callable[[str, int], None] | None = None,
    replace: bool = False,
) -> DemoSummary:
    """Write a demo campus of `scale` into the store in one transaction and return its summary.

    `now` (aware; default the current time) is the moment the data is fresh at. `progress` is called
    with a step name and the number of rows just written. Refuses a store that already has rows in
    the demo's tables (`DemoNotEmptyError`) unless `replace` is true, which empties them first.
    """
    started = time.perf_counter()
    chosen = get_scale(scale)
    moment = datetime.now(UTC) if now is None else now
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, got naive {moment.isoformat()}")
    with engine.begin() as connection:
        filled = tables_with_rows(connection)
        if filled and not replace:
            raise DemoNotEmptyError(filled)
        if filled:
            clear(connection)
        writer = BulkWriter(connection, progress)
        ctx = DemoContext(writer=writer, scale=chosen, seed=seed, now=moment)
        with writer.tuned():
            _write_subjects(ctx)
        writer.reset_sequences([Base.metadata.tables[name] for name in DEMO_TABLES])
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
        connection.execute(text("ANALYZE"))
    return DemoSummary(chosen.name, seed, ctx.now, dict(writer.counts), time.perf_counter() - started)


def _write_subjects(ctx: DemoContext) -> None:
    """Every subject in dependency order; each hands the next what it needs."""
    school = campus.generate(ctx)
    admissions = tokens.generate(ctx, school.academic_year, school.prodi_ids)
    ledger = billing.generate(ctx, school, admissions)
    bank.generate(ctx, ledger)
    monitoring.generate(ctx)
    planned = workflow.generate(ctx, school, ledger)
    accounts.generate(ctx, planned)
    freshness.generate(ctx)


def tables_with_rows(connection: Connection) -> list[str]:
    """The demo tables that hold at least one row."""
    tables = Base.metadata.tables
    return [name for name in DEMO_TABLES if connection.execute(select(1).select_from(tables[name]).limit(1)).first()]


def clear(connection: Connection) -> None:
    """Empty the demo tables and what was derived from them, and the demo's collector runs.

    PostgreSQL truncates them (restarting their id sequences, and cascading to rows elsewhere that
    point at them); SQLite deletes children first, and its ids restart by themselves.
    """
    names = set(DEMO_TABLES) | set(DERIVED_TABLES)
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.execute(text(f"TRUNCATE {', '.join(quote(n) for n in sorted(names))} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in names:
                connection.execute(table.delete())
    freshness.clear(connection)
