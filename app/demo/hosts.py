"""Host metrics every five minutes: the Pantau host itself and the payment server (pushed by its agent)."""

from __future__ import annotations

import numpy as np

from app.demo.context import DemoContext
from app.demo.probes import Outages, covering, daytime_load
from pantau.models import HostMetric

STEP_S = 300
HOSTS = {
    # host: cores, CPU at rest and at peak (%), memory at rest (%), disks at the start and their growth per day
    "pantau": (2, 4.0, 22.0, 34.0, {"/": (23.0, 0.05)}, ("gunicorn", "pantau-collect")),
    "server-pembayaran": (4, 9.0, 68.0, 58.0, {"/": (41.0, 0.02), "/var/lib/mysql": (85.2, 0.12)},
                          ("nginx", "php-fpm", "mariadb")),
}


def generate(ctx: DemoContext, payment_outages: Outages, payment_restarts: Outages) -> None:
    """Write host metrics of the last `host_metric_days`: php-fpm is gone while the payment server is
    down, and its uptime restarts with each restart in a maintenance window."""
    rng = ctx.rng("hosts")
    now_s = int(ctx.now64.astype(np.int64))
    offset_s = int(ctx.offset.astype(np.int64))
    days = ctx.scale.host_metric_days
    times = np.arange(now_s // STEP_S * STEP_S - days * 86_400 + STEP_S, now_s + 1, STEP_S, dtype=np.int64)
    count = len(times)
    elapsed_days = (times - times[0]) / 86_400
    for host, (cores, rest, peak, memory, disks, processes) in HOSTS.items():
        load = daytime_load(times, offset_s)
        cpu = np.clip(rest + (peak - rest) * load * rng.lognormal(0, 0.25, count) + rng.normal(0, 2, count), 0.5, 100)
        load1 = np.round(cpu / 100 * cores * rng.lognormal(0, 0.15, count), 2)
        load5 = np.round(np.convolve(load1, np.ones(3) / 3, mode="same"), 2)
        load15 = np.round(np.convolve(load1, np.ones(9) / 9, mode="same"), 2)
        mem = np.clip(memory + 12 * load + rng.normal(0, 1.5, count), 5, 99)
        rx = (2e5 + 6e6 * load) * rng.lognormal(0, 0.3, count)
        tx = rx * rng.uniform(0.3, 0.7, count)
        if host == "server-pembayaran":
            down = covering(times, payment_outages) >= 0
            booted = _boot_times(times, payment_restarts, times[0] - 19 * 86_400)
        else:
            down = np.zeros(count, bool)
            booted = np.full(count, now_s - 41 * 86_400 - 5_400)
        ctx.writer.insert(HostMetric.__table__, {
            "host": np.full(count, host),
            "collected_at": times.astype("datetime64[s]"),
            "cpu_pct": np.round(cpu, 1),
            "load1": load1,
            "load5": load5,
            "load15": load15,
            "mem_pct": np.round(mem, 1),
            "net_rx_bps": np.round(rx),
            "net_tx_bps": np.round(tx),
            "uptime_s": (times - booted).astype(float),
            "disks": [
                {mount: round(start + growth * day, 1) for mount, (start, growth) in disks.items()}
                for day in elapsed_days.tolist()
            ],
            "processes": [
                {name: not (failed and name == "php-fpm") for name in processes} for failed in down.tolist()
            ],
        }, step="host metrics")


def _boot_times(times: np.ndarray, restarts: Outages, before: int) -> np.ndarray:
    """When the host last came up before each time: the end of the latest restart, else `before`."""
    ended = np.sort(restarts.end)
    index = np.searchsorted(ended, times, side="right") - 1
    return np.where(index >= 0, ended[np.maximum(index, 0)], before)
