"""Collector runs that mark each demo subject as freshly collected at `now`."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Connection, delete

from app.demo.context import DemoContext
from pantau.models import CollectorRun

PREFIX = "demo:"
SUBJECTS = ("campus", "billing", "bank", "tokens", "monitoring", "hosts", "workflow", "accounts")
TABLES_OF = {
    "campus": ("prodi", "students"),
    "billing": ("bills", "payments"),
    "bank": ("bank_transactions",),
    "tokens": ("admission_waves", "applicants", "token_movements"),
    "monitoring": ("probe_samples",),
    "hosts": ("host_metrics",),
    "workflow": ("sop_cases", "step_events"),
    "accounts": ("digital_accounts", "webservice_accounts"),
}


def generate(ctx: DemoContext) -> None:
    """One successful run per subject, named "demo:<subject>", finished at `now`."""
    counts = ctx.writer.counts
    items = [sum(counts.get(table, 0) for table in TABLES_OF[subject]) for subject in SUBJECTS]
    ctx.writer.insert(CollectorRun.__table__, {
        "collector": [PREFIX + subject for subject in SUBJECTS],
        "started_at": np.full(len(SUBJECTS), ctx.now64 - np.timedelta64(20, "s")),
        "finished_at": np.full(len(SUBJECTS), ctx.now64),
        "ok": np.ones(len(SUBJECTS), dtype=bool),
        "items": items,
        "message": [f"data demo ({ctx.scale.name}, seed {ctx.seed})"] * len(SUBJECTS),
    }, step="collector runs")


def clear(connection: Connection) -> None:
    """Remove the demo's collector runs, leaving real collectors' runs alone."""
    connection.execute(delete(CollectorRun).where(CollectorRun.collector.startswith(PREFIX)))
