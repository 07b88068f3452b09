"""Probe history stored the way the collector keeps it: raw rounds for the last 48 hours, minute
rollups for 48 hours, hour rollups for 30 days and day rollups for the whole history (UTC buckets).
Every rollup is computed from the same rounds, so all levels and the raw samples agree."""

from __future__ import annotations

import numpy as np

from app.demo.context import DemoContext
from app.demo.probes import Rounds
from pantau.models import ProbeSample, RollupDay, RollupHour, RollupMinute

RAW_HOURS = 48
HOUR_ROLLUP_DAYS = 30
LEVELS = ((RollupMinute, 60), (RollupHour, 3600), (RollupDay, 86_400))


def cutoffs(now_s: int, history_start_s: int) -> dict[int, int]:
    """The first bucket kept at each level (bucket size in seconds -> epoch seconds)."""
    return {
        60: (now_s - RAW_HOURS * 3600) // 60 * 60,
        3600: (now_s - HOUR_ROLLUP_DAYS * 86_400) // 3600 * 3600,
        86_400: history_start_s,
    }


def aggregate(rounds: Rounds, size: int) -> dict[str, np.ndarray]:
    """Rollup rows of `size`-second buckets: counts by state (maintenance apart), latency of the up
    rounds, and the loss of the up and down rounds."""
    bucket = rounds.t // size
    starts = np.flatnonzero(np.diff(bucket, prepend=bucket[0] - 1))
    counts = np.diff(np.append(starts, len(bucket)))
    usable = ~rounds.maintenance
    up = np.add.reduceat((rounds.ok & usable).astype(np.int64), starts)
    down = np.add.reduceat((~rounds.ok & usable).astype(np.int64), starts)
    measured = rounds.ok & usable
    total = np.add.reduceat(np.where(measured, rounds.latency, 0.0), starts)
    loss_sum = np.add.reduceat(np.where(usable, rounds.loss, 0.0), starts)
    usable_count = np.add.reduceat(usable.astype(np.int64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "bucket": (bucket[starts] * size).astype("datetime64[s]"),
            "count": counts,
            "up": up,
            "down": down,
            "maintenance": counts - usable_count,
            "latency_min_ms": np.round(np.fmin.reduceat(np.where(measured, rounds.latency_min, np.nan), starts), 3),
            "latency_avg_ms": np.round(np.where(up > 0, total / up, np.nan), 3),
            "latency_max_ms": np.round(np.fmax.reduceat(np.where(measured, rounds.latency_max, np.nan), starts), 3),
            "loss_avg": np.round(np.where(usable_count > 0, loss_sum / usable_count, np.nan), 4),
        }


def write(ctx: DemoContext, monitor_id: int, rounds: Rounds, first_bucket: dict[int, int]) -> None:
    """Insert the raw samples and the three rollup levels of one monitor."""
    for model, size in LEVELS:
        kept = rounds.take(rounds.t >= first_bucket[size])
        if len(kept.t):
            rows = aggregate(kept, size)
            ctx.writer.insert(model.__table__, {"monitor_id": np.full(len(rows["count"]), monitor_id), **rows},
                              step="probe history")
    raw = rounds.take(rounds.t >= first_bucket[60])
    ctx.writer.insert(ProbeSample.__table__, {
        "monitor_id": np.full(len(raw.t), monitor_id),
        "checked_at": raw.t.astype("datetime64[s]"),
        "ok": raw.ok,
        "in_maintenance": raw.maintenance,
        "latency_ms": np.round(raw.latency, 3),
        "latency_min_ms": np.round(raw.latency_min, 3),
        "latency_max_ms": np.round(raw.latency_max, 3),
        "loss": raw.loss,
        "jitter_ms": np.round(raw.jitter, 3),
        "status_code": [None if np.isnan(code) else int(code) for code in raw.status_code.tolist()],
        "cert_days_left": raw.cert_days_left,
        "message": raw.cause,
    }, step="probe history")
