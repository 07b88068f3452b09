"""Helpers for the demo tests: the moment the data is fresh at, table checksums and queries."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, select, text

from pantau.models import Base

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
"""Monday 23 November 2026, 10.00 WIB: the moment the demo data is fresh at in these tests."""

KEY_COLUMNS = {
    "students": ("id", "nim", "name", "prodi_id", "angkatan", "status"),
    "applicants": ("id", "reg_no", "wave_id", "arrived_at", "token_issued_at"),
    "token_movements": ("wave_id", "channel", "occurred_at", "kind", "quantity"),
    "bills": ("id", "source_key", "amount", "va_number", "due_date", "app_paid", "app_paid_at", "app_paid_amount"),
    "payments": ("bill_id", "paid_at", "amount", "reference"),
    "bank_transactions": ("dedup_key", "payment_ref", "amount", "booked_at", "import_id"),
    "rollup_day": ("monitor_id", "bucket", "count", "up", "down", "maintenance", "latency_avg_ms"),
    "incidents": ("monitor_id", "started_at", "kind", "ended_at"),
    "host_metrics": ("host", "collected_at", "cpu_pct", "disks"),
    "sop_cases": ("id", "sop_code", "case_ref", "opened_at", "closed_at", "outcome"),
    "step_events": ("event_uid", "case_id", "started_at", "completed_at", "performer"),
    "webservice_accounts": ("created_at", "contact_name", "valid_until", "last_used_at"),
}
"""Columns whose values the determinism tests compare; ids only where the demo assigns them itself."""


def checksums(engine: Engine) -> dict[str, str]:
    """A SHA-256 per table over its key columns, row by row in key order, read through the store's column
    types so that SQLite and PostgreSQL give the same text."""
    sums = {}
    with engine.connect() as connection:
        for name, columns in KEY_COLUMNS.items():
            table = Base.metadata.tables[name]
            digest = hashlib.sha256()
            query = select(*(table.c[c] for c in columns)).order_by(*(table.c[c] for c in columns if c != "disks"))
            for row in connection.execute(query):
                digest.update(json.dumps([_plain(value) for value in row], sort_keys=True).encode())
            sums[name] = digest.hexdigest()
    return sums


def _plain(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (dict, list, bool, int, str)) or value is None:
        return value
    return str(value)


def frame(engine: Engine, sql: str) -> pd.DataFrame:
    """Run a query and return its rows."""
    with engine.connect() as connection:
        return pd.read_sql(text(sql), connection)
