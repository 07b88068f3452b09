"""ProbeResult: the shape every probe returns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.probes import ProbeResult


def test_pr001_failure_has_total_loss_and_no_latency():
    result = ProbeResult.failure("no reply")

    assert (result.ok, result.loss, result.latency_ms, result.message) == (False, 1.0, None, "no reply")
    assert result.checked_at.tzinfo is not None


def test_pr002_loss_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="loss must be within 0..1, got 1.5"):
        ProbeResult(ok=True, message="x", loss=1.5)


def test_pr003_naive_time_is_refused():
    with pytest.raises(ValueError, match="checked_at must be timezone-aware"):
        ProbeResult(ok=True, message="x", checked_at=datetime(2025, 1, 1))


def test_pr004_to_dict_is_json_ready():
    when = datetime(2025, 3, 1, 2, 30, tzinfo=UTC)
    result = ProbeResult.single(True, "HTTP 200 OK", 12.5, when, status_code=200, cert_days_left=40.0)

    assert result.to_dict() == {
        "ok": True, "message": "HTTP 200 OK", "latency_ms": 12.5, "latency_min_ms": 12.5,
        "latency_max_ms": 12.5, "loss": 0.0, "jitter_ms": None, "status_code": 200,
        "cert_days_left": 40.0, "checked_at": "2025-03-01T02:30:00+00:00",
    }
