"""`pantau store copy --to URL`: an SQLite store moves to PostgreSQL whole, ids and references intact, new rows
get fresh ids there; a target that holds data is refused in one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import Monitor, ProbeSample

pytestmark = pytest.mark.postgres
AT = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def test_storecopy001_sqlite_moves_to_postgresql_whole(cli, engine, pg_engine, monkeypatch):
    monkeypatch.setenv("PANTAU_DATABASE_URL", str(engine.url))
    with session_scope(engine) as session:
        for name in ("bayar", "h2h", "siakad"):
            monitor = Monitor(name=name, role="payment", check="tcp", target="127.0.0.1:9")
            session.add(monitor)
            session.flush()
            session.add_all([ProbeSample(monitor_id=monitor.id, checked_at=AT, ok=True, latency_ms=float(i))
                             for i in range(3)])
    target = pg_engine.url.render_as_string(hide_password=False)

    result = cli("store", "copy", "--to", target, "--json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows["monitors"] == 3 and rows["probe_samples"] == 9
    with session_scope(pg_engine) as session:
        pairs = sorted(session.execute(select(Monitor.name, ProbeSample.latency_ms)
                                       .join(ProbeSample, ProbeSample.monitor_id == Monitor.id)).all())
        assert pairs == sorted((n, float(i)) for n in ("bayar", "h2h", "siakad") for i in range(3))
        session.add(Monitor(name="baru", role="payment", check="tcp", target="127.0.0.1:9"))
    with session_scope(pg_engine) as session:
        assert session.scalar(select(Monitor.id).where(Monitor.name == "baru")) == 4

    again = cli("store", "copy", "--to", target)
    said = " ".join(again.output.split())
    assert again.exit_code == 2 and "basis data tujuan sudah berisi data (di pemantauan)" in said, said
    assert "Traceback" not in said
