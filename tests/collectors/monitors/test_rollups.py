"""Rollups: every sample adds to its minute, hour and day, and the sums match a hand-computed series."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from collectors.monitors.rollups import Tally, bucket_of, record_samples
from pantau.db import session_scope
from pantau.models import Monitor, ProbeSample, RollupDay, RollupHour, RollupMinute


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


def sample(monitor_id: int, when: datetime, ok: bool, latency: float | None = None, low: float | None = None,
           high: float | None = None, loss: float = 0.0, maintenance: bool = False) -> dict:
    return {"monitor_id": monitor_id, "checked_at": when, "ok": ok, "in_maintenance": maintenance,
            "latency_ms": latency, "latency_min_ms": low, "latency_max_ms": high, "loss": loss,
            "jitter_ms": None, "status_code": None, "cert_days_left": None, "message": "test"}


@pytest.fixture
def monitor_id(store) -> int:
    with session_scope(store) as session:
        row = Monitor(name="router", role="router", check="icmp", target="10.0.0.1")
        session.add(row)
        session.flush()
        return row.id


SERIES = [
    # 23 Nov 10:15 — an ICMP round with a min/max band, a plain one, a failure (loss 1), one in maintenance
    (at(23, 10, 15, 5), dict(ok=True, latency=10.0, low=8.0, high=14.0, loss=0.2)),
    (at(23, 10, 15, 35), dict(ok=True, latency=20.0, low=20.0, high=20.0)),
    (at(23, 10, 15, 50), dict(ok=False, loss=1.0)),
    (at(23, 10, 15, 55), dict(ok=False, loss=1.0, maintenance=True)),
    # the next minute, same hour
    (at(23, 10, 16, 0), dict(ok=True, latency=30.0, low=25.0, high=40.0)),
    # the next hour, same day
    (at(23, 11, 0, 0), dict(ok=False, loss=1.0)),
]


def rollup(store, table, monitor_id: int) -> list[tuple]:
    with store.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(table.bucket, table.count, table.up, table.down, table.maintenance, table.latency_min_ms,
                   table.latency_avg_ms, table.latency_max_ms, table.loss_avg)
            .where(table.monitor_id == monitor_id).order_by(table.bucket)
        )]


@pytest.mark.parametrize("batches", [1, 2, 6], ids=["one-batch", "two-batches", "sample-by-sample"])
def test_ru001_rollups_match_the_hand_computed_series(store, monitor_id, batches):
    rows = [sample(monitor_id, when, **fields) for when, fields in SERIES]
    size = -(-len(rows) // batches)
    for first in range(0, len(rows), size):
        with session_scope(store) as session:
            record_samples(session, rows[first:first + size])

    minute_1015 = (at(23, 10, 15), 4, 2, 1, 1, 8.0, 15.0, 20.0, pytest.approx((0.2 + 0 + 1) / 3))
    minute_1016 = (at(23, 10, 16), 1, 1, 0, 0, 25.0, 30.0, 40.0, 0.0)
    minute_1100 = (at(23, 11, 0), 1, 0, 1, 0, None, None, None, 1.0)
    assert rollup(store, RollupMinute, monitor_id) == [minute_1015, minute_1016, minute_1100]
    assert rollup(store, RollupHour, monitor_id) == [
        (at(23, 10, 0), 5, 3, 1, 1, 8.0, 20.0, 40.0, pytest.approx(1.2 / 4)),
        (at(23, 11, 0), 1, 0, 1, 0, None, None, None, 1.0),
    ]
    assert rollup(store, RollupDay, monitor_id) == [
        (at(23, 0, 0), 6, 3, 2, 1, 8.0, 20.0, 40.0, pytest.approx(2.2 / 5)),
    ]
    with store.connect() as connection:
        assert len(connection.execute(select(ProbeSample.id)).all()) == len(SERIES)


def test_ru002_buckets_are_utc_minutes_hours_and_days():
    moment = datetime(2026, 11, 23, 23, 59, 59, 900_000, tzinfo=UTC)

    assert bucket_of(moment, 60) == at(23, 23, 59)
    assert bucket_of(moment, 3600) == at(23, 23, 0)
    assert bucket_of(moment, 86_400) == at(23, 0, 0)


def test_ru003_merging_tallies_weights_latency_by_up_and_loss_by_observed():
    tally = Tally.of(sample(1, at(1, 0, 0), ok=True, latency=10.0, loss=0.0))
    tally.add(Tally.of(sample(1, at(1, 0, 1), ok=False, loss=1.0)))
    tally.add(Tally.of(sample(1, at(1, 0, 2), ok=True, latency=40.0, loss=0.5)))
    tally.add(Tally.of(sample(1, at(1, 0, 3), ok=True, latency=99.0, maintenance=True)))

    assert (tally.count, tally.up, tally.down, tally.maintenance) == (4, 2, 1, 1)
    assert (tally.latency_min_ms, tally.latency_avg_ms, tally.latency_max_ms) == (10.0, 25.0, 40.0)
    assert tally.loss_avg == pytest.approx(0.5)
