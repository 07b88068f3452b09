"""Metrics of the machine the collector or agent runs on, read with psutil."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import psutil

from collectors.probes.result import utc_now


@dataclass(frozen=True, slots=True)
class HostSnapshot:
    """One reading of a host's load. Percentages are 0..100; rates are bytes per second.

    ``disk_percent`` maps each mount point to its use (None when the path does not exist);
    ``processes`` maps each watched name to whether a live process matches it. The network
    rates are None on the first snapshot, since they need a previous one.
    """

    hostname: str
    taken_at: datetime
    cpu_percent: float
    load_1: float
    load_5: float
    load_15: float
    memory_percent: float
    disk_percent: dict[str, float | None]
    net_bytes_sent: int
    net_bytes_recv: int
    net_sent_per_s: float | None
    net_recv_per_s: float | None
    processes: dict[str, bool]
    uptime_s: float
    monotonic_s: float = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the snapshot as JSON-ready values for pushing (``taken_at`` in ISO 8601)."""
        data = asdict(self)
        del data["monotonic_s"]
        data["taken_at"] = self.taken_at.isoformat()
        return data


def host_snapshot(
    mounts: list[str] | None = None,
    processes: Iterable[str] = (),
    previous: HostSnapshot | None = None,
    *,
    nics: list[str] | None = None,
    cpu_sample_s: float = 0.2,
) -> HostSnapshot:
    """Read CPU, load, memory, disk, network and process liveness of this machine.

    ``mounts`` defaults to every mounted physical partition. Network counters sum ``nics``
    (default: every interface but loopback); pass the ``previous`` snapshot to get rates.
    CPU use is measured over ``cpu_sample_s`` seconds, so the call blocks that long (0 compares
    with the previous call in this process instead). A process counts as alive when its name,
    or the file name of its first or second command-line word (options excluded), equals the
    watched name, so ``python /usr/bin/gunicorn`` matches ``gunicorn``; zombies do not count.
    """
    cpu_percent = psutil.cpu_percent(interval=cpu_sample_s)
    now, monotonic_s = utc_now(), time.monotonic()
    if mounts is None:
        mounts = [partition.mountpoint for partition in psutil.disk_partitions(all=False)]
    sent, recv = _net_totals(nics)
    rates: tuple[float | None, float | None] = (None, None)
    if previous is not None and monotonic_s > previous.monotonic_s:
        elapsed = monotonic_s - previous.monotonic_s
        if sent >= previous.net_bytes_sent and recv >= previous.net_bytes_recv:
            rates = ((sent - previous.net_bytes_sent) / elapsed, (recv - previous.net_bytes_recv) / elapsed)
    load_1, load_5, load_15 = psutil.getloadavg()
    return HostSnapshot(
        hostname=socket.gethostname(),
        taken_at=now,
        cpu_percent=cpu_percent,
        load_1=load_1,
        load_5=load_5,
        load_15=load_15,
        memory_percent=psutil.virtual_memory().percent,
        disk_percent={mount: _disk_percent(mount) for mount in mounts},
        net_bytes_sent=sent,
        net_bytes_recv=recv,
        net_sent_per_s=rates[0],
        net_recv_per_s=rates[1],
        processes=processes_alive(processes),
        uptime_s=time.time() - psutil.boot_time(),
        monotonic_s=monotonic_s,
    )


def processes_alive(names: Iterable[str]) -> dict[str, bool]:
    """Map each name to whether a live process matches it (see :func:`host_snapshot`)."""
    alive = dict.fromkeys(names, False)
    if not alive:
        return alive
    for process in psutil.process_iter(["name", "cmdline", "status"]):
        if process.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        words = [word for word in (process.info["cmdline"] or [])[:2] if word and not word.startswith("-")]
        candidates = {process.info["name"], *(os.path.basename(word) for word in words)}
        for name in alive.keys() & candidates:
            alive[name] = True
    return alive


def _disk_percent(mount: str) -> float | None:
    try:
        return psutil.disk_usage(mount).percent
    except FileNotFoundError:
        return None


def _net_totals(nics: list[str] | None) -> tuple[int, int]:
    counters = psutil.net_io_counters(pernic=True)
    if nics is None:
        stats = psutil.net_if_stats()
        nics = [nic for nic in counters if nic not in stats or "loopback" not in stats[nic].flags.split(",")]
    chosen = [counters[nic] for nic in nics if nic in counters]
    return sum(c.bytes_sent for c in chosen), sum(c.bytes_recv for c in chosen)
