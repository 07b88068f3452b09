"""generate(): deterministic by seed and `now`, one transaction, refusing a store that already has data."""

from __future__ import annotations

from datetime import datetime

import pytest
from demo_helpers import NOW, checksums
from sqlalchemy import func, select

from app.demo import DemoNotEmptyError, generate
from pantau.models import Bill, CollectorRun, Monitor, Student


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_demo001_same_seed_and_now_give_the_same_campus(store):
    first = generate(store, "small", seed=42, now=NOW)
    before = checksums(store)
    second = generate(store, "small", seed=42, now=NOW, replace=True)
    assert second.counts == first.counts
    assert checksums(store) == before
    assert first.counts["bills"] > 1_000 and first.counts["students"] > 250


def test_demo002_another_seed_gives_another_campus(store):
    generate(store, "small", seed=42, now=NOW)
    before = checksums(store)
    generate(store, "small", seed=7, now=NOW, replace=True)
    after = checksums(store)
    assert {table for table in before if before[table] != after[table]} == set(before)


def test_demo003_a_store_with_data_is_refused_unless_replace(store):
    generate(store, "small", seed=42, now=NOW)
    bills = _count(store, Bill)
    with pytest.raises(DemoNotEmptyError, match="already has data.*prodi.*replace"):
        generate(store, "small", seed=7, now=NOW)
    assert _count(store, Bill) == bills
    summary = generate(store, "small", seed=7, now=NOW, replace=True)
    assert _count(store, Bill) == summary.counts["bills"]
    assert _count(store, CollectorRun) == summary.counts["collector_runs"]


def test_demo004_sqlite_and_postgresql_hold_the_same_campus(engine, pg_engine):
    generate(engine, "small", seed=42, now=NOW)
    generate(pg_engine, "small", seed=42, now=NOW)
    assert checksums(engine) == checksums(pg_engine)


def test_demo005_summary_counts_every_table_written(store):
    summary = generate(store, "small", seed=42, now=NOW)
    assert summary.scale == "small" and summary.seed == 42 and summary.now == NOW
    assert summary.counts["students"] == _count(store, Student)
    assert summary.counts["monitors"] == _count(store, Monitor) == 4
    assert summary.seconds > 0


def test_demo006_bad_arguments_are_refused_with_the_reason(engine):
    with pytest.raises(ValueError, match="aware"):
        generate(engine, "small", now=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValueError, match="unknown demo scale 'huge'.*small, medium, large"):
        generate(engine, "huge", now=NOW)
    assert _count(engine, Student) == 0


def test_demo007_progress_reports_rows_written_per_step(engine):
    steps: dict[str, int] = {}

    def progress(step: str, rows: int) -> None:
        steps[step] = steps.get(step, 0) + rows

    summary = generate(engine, "small", now=NOW, progress=progress)
    assert steps["bills"] == summary.counts["bills"]
    assert steps["bank transactions"] == summary.counts["bank_transactions"]
    assert steps["workflow events"] == summary.counts["step_events"]


def test_demo005_replacing_the_campus_empties_what_the_engines_derived_from_the_old_one(store):
    from app.demo import DERIVED_TABLES
    from collectors.ktm_pipeline import refresh
    from pantau.models import Base
    from pantau.recon import reconcile
    from pantau.settings import Settings
    from pantau.sla.engine import evaluate_pending

    generate(store, "small", seed=42, now=NOW)
    reconcile(store, Settings(), now=NOW)
    evaluate_pending(store, Settings(), now=NOW)
    refresh(store, now=NOW)
    filled = {name for name in DERIVED_TABLES if _count(store, Base.metadata.tables[name])}
    assert {"bill_states", "credit_states", "recon_summary", "step_results", "sla_monthly", "ktm_intakes"} <= filled

    generate(store, "small", seed=7, now=NOW, replace=True)

    assert {name: _count(store, Base.metadata.tables[name]) for name in DERIVED_TABLES} == dict.fromkeys(DERIVED_TABLES,
                                                                                                         0)
