"""Simulated probe rounds of one monitor over its whole history, as vectors.

Times are whole seconds since the epoch (UTC). A monitor fails during its own outages and, for a
child such as the bank link, during its parent's outages (then it is unreachable because of the
parent). Weekly maintenance windows are flagged; servers sometimes restart inside them. Latency
follows the monitor's base with a daytime load pattern and jitter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

WEEK = 7 * 86_400


@dataclass(frozen=True)
class MonitorSpec:
    """One monitor of the demo campus; `outages_per_month` sets how often it fails on its own."""

    name: str
    role: str
    check: str
    target: str
    parent: str | None
    base_ms: float
    outages_per_month: float
    weekly_maintenance: bool = False
    cert_days_left: float | None = None
    latency_range: tuple[float, float] | None = None
    options: dict = field(default_factory=dict)


@dataclass
class Outages:
    """Failure intervals [start, end) in epoch seconds, with the cause each one is reported with."""

    start: np.ndarray
    end: np.ndarray
    cause: list[str]
    status_code: np.ndarray

    @staticmethod
    def empty() -> Outages:
        return Outages(np.zeros(0, np.int64), np.zeros(0, np.int64), [], np.zeros(0))


@dataclass
class Rounds:
    """Every probe round of one monitor; float columns use NaN for "no value"."""

    t: np.ndarray
    ok: np.ndarray
    maintenance: np.ndarray
    unreachable: np.ndarray
    cause: np.ndarray
    latency: np.ndarray
    latency_min: np.ndarray
    latency_max: np.ndarray
    loss: np.ndarray
    jitter: np.ndarray
    status_code: np.ndarray
    cert_days_left: np.ndarray

    def take(self, mask: np.ndarray | slice) -> Rounds:
        return Rounds(*(getattr(self, name)[mask] for name in Rounds.__dataclass_fields__))


def covering(times: np.ndarray, outages: Outages) -> np.ndarray:
    """For each time, the index of the outage covering it, or -1."""
    if not len(outages.start):
        return np.full(len(times), -1)
    index = np.searchsorted(outages.start, times, side="right") - 1
    inside = (index >= 0) & (times < outages.end[np.maximum(index, 0)])
    return np.where(inside, index, -1)


def in_weekly_window(times: np.ndarray, offset_s: int, weekday: int, start_s: int, end_s: int) -> np.ndarray:
    """Whether each UTC time falls in a weekly local window (weekday 0 = Monday, seconds of the day)."""
    local = times + offset_s
    day = (local // 86_400 + 3) % 7
    second = local % 86_400
    return (day == weekday) & (second >= start_s) & (second < end_s)


def daytime_load(times: np.ndarray, offset_s: int) -> np.ndarray:
    """0 at night to 1 at the office-hours peak (about 10:00-14:00 WIB)."""
    hour = ((times + offset_s) % 86_400) / 3600
    return np.clip(np.exp(-((hour - 11.5) ** 2) / 18), 0, 1)


def simulate(spec: MonitorSpec, times: np.ndarray, own: Outages, parent: Outages | None,
             maintenance: np.ndarray, restarts: Outages, offset_s: int, now_s: int,
             rng: np.random.Generator, monitors: tuple[MonitorSpec, ...] = ()) -> Rounds:
    """The rounds of `spec` at `times`, failing in its outages, its parent's (named by its label among
    `monitors`), and maintenance restarts."""
    count = len(times)
    own_hit = covering(times, own)
    parent_hit = covering(times, parent) if parent is not None else np.full(count, -1)
    restart_hit = covering(times, restarts)
    unreachable = (parent_hit >= 0) & ~maintenance
    down = (own_hit >= 0) | unreachable | (restart_hit >= 0)
    parent_name = next((m.options.get("label", m.name) for m in monitors if m.name == spec.parent), spec.parent)
    causes = np.array([*own.cause, f"tidak terjangkau: induk {parent_name} mati", "dimulai ulang saat pemeliharaan"],
                      dtype=object)
    index = np.where(own_hit >= 0, own_hit, np.where(unreachable, len(own.cause), len(own.cause) + 1))
    cause = np.where(down, causes[index], None)
    load = daytime_load(times, offset_s)
    latency = spec.base_ms * (1 + 0.45 * load) * rng.lognormal(0, 0.18, count)
    latency *= np.where(rng.random(count) < 0.01, rng.uniform(1.8, 3.5, count), 1.0)
    if spec.latency_range is not None:
        low, high = spec.latency_range
        latency = np.where(latency > high, rng.uniform(0.8 * high, high, count), latency)
        latency = np.where(latency < low, rng.uniform(low, 1.2 * low, count), latency)
    latency = np.where(down, np.nan, latency)
    if spec.check == "icmp":
        low = latency * rng.uniform(0.72, 0.95, count)
        high = latency * rng.uniform(1.05, 1.7, count)
        jitter = (high - low) / 2.5
        loss = np.where(down, 1.0, np.where(rng.random(count) < 0.004, rng.choice([0.2, 0.4], count), 0.0))
    else:
        low, high, jitter = latency, latency, np.full(count, np.nan)
        loss = down.astype(float)
    status = np.full(count, np.nan)
    cert = np.full(count, np.nan)
    if spec.check == "http":
        own_status = own.status_code[np.maximum(own_hit, 0)] if len(own.status_code) else np.nan  # none of its own
        status = np.where(down, np.where(own_hit >= 0, own_status, np.nan), 200.0)
        if spec.cert_days_left is not None:
            cert = certificate_days_left(times, now_s, spec.cert_days_left)
    return Rounds(times, ~down, maintenance, unreachable, cause, latency, low, high, loss, jitter, status, cert)


def certificate_days_left(times: np.ndarray, now_s: int, days_left_now: float) -> np.ndarray:
    """Days left on the TLS certificate: 90-day certificates renewed with 30 days to go, except the
    current one, which has `days_left_now` at `now` (a renewal that failed shows as few days left)."""
    expiry = now_s + days_left_now * 86_400
    issued = expiry - 90 * 86_400
    generation = np.maximum(0, np.ceil((issued - times) / (60 * 86_400)))
    return np.round((expiry - generation * 60 * 86_400 - times) / 86_400, 2)
