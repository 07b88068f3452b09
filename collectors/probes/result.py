"""The outcome of one probe, shared by every kind of check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What one round of a check found.

    ``latency_ms`` is the mean round-trip (ICMP), connect time (TCP) or response time (HTTP);
    ``latency_min_ms``/``latency_max_ms`` bound the samples of the round. ``loss`` is the
    fraction of samples that got no answer (0..1) and ``jitter_ms`` the mean absolute
    difference between consecutive round-trips.
    """

    ok: bool
    message: str
    latency_ms: float | None = None
    latency_min_ms: float | None = None
    latency_max_ms: float | None = None
    loss: float = 0.0
    jitter_ms: float | None = None
    status_code: int | None = None
    cert_days_left: float | None = None
    checked_at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not 0.0 <= self.loss <= 1.0:
            raise ValueError(f"ProbeResult.loss must be within 0..1, got {self.loss!r}")
        if self.checked_at.tzinfo is None:
            raise ValueError(f"ProbeResult.checked_at must be timezone-aware, got {self.checked_at!r}")

    @classmethod
    def failure(cls, message: str, checked_at: datetime | None = None, **fields: Any) -> ProbeResult:
        """Build a failed result: nothing answered, so loss is total."""
        return cls(
            ok=False, message=message, loss=fields.pop("loss", 1.0),
            checked_at=checked_at or utc_now(), **fields,
        )

    @classmethod
    def single(cls, ok: bool, message: str, latency_ms: float, checked_at: datetime, **fields: Any) -> ProbeResult:
        """Build a result from one timed sample (a TCP connect or an HTTP request)."""
        return cls(
            ok=ok, message=message, latency_ms=latency_ms, latency_min_ms=latency_ms,
            latency_max_ms=latency_ms, loss=0.0, checked_at=checked_at, **fields,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready values (``checked_at`` in ISO 8601)."""
        data = asdict(self)
        data["checked_at"] = self.checked_at.isoformat()
        return data
