"""Two real `pantau collect` processes against one store: one active, one standby that takes over within one
lease period after the active one is killed with SIGKILL (run with -s to see the measured takeover time)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest

from pantau.lease import current_holder

LEASE_S = 3.0
MARGIN_S = 1.0
START_TIMEOUT_S = 60.0


@dataclass
class Collect:
    """A `pantau collect` subprocess whose output lines are read as they come, each with when it was read."""

    process: subprocess.Popen
    lines: queue.Queue = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, start: str, timeout: float = START_TIMEOUT_S) -> tuple[float, str]:
        """The first line (and when it was read) beginning with `start`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(start):
                return at, line
        pytest.fail(f"pid {self.process.pid} did not print {start!r} in {timeout:g} s; it printed {self.seen}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def store_url(store) -> str:
    return store.url.render_as_string(hide_password=False)


def start_collect(url: str, data_dir) -> Collect:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANTAU_")}
    env.update(PANTAU_DATABASE_URL=url, PANTAU_DATA_DIR=str(data_dir), PANTAU_COLLECTOR__LEASE_S=str(LEASE_S),
               PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "app", "collect", "--only", "alerts"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    return Collect(process)


def test_lease_cli001_one_active_one_standby_and_takeover_within_a_lease_period_after_sigkill(store, tmp_path):
    url = store_url(store)
    first = start_collect(url, tmp_path)
    second = None
    try:
        first.wait_for("Pengumpul data aktif")
        second = start_collect(url, tmp_path)
        _, standby = second.wait_for("Siaga:")
        holder = current_holder(store)

        assert (holder.pid, holder.host) == (first.process.pid, os.uname().nodename)
        assert f"dipegang oleh host {holder.host}, pid {first.process.pid}, sejak " in standby
        time.sleep(LEASE_S)
        assert current_holder(store).token == holder.token, "the active collector stopped renewing its lease"
        assert second.lines.empty(), f"the standby printed {second.lines.get()[1]!r} while the active one ran"

        first.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        first.process.wait(timeout=10)
        active_at, _ = second.wait_for("Pengumpul data aktif", timeout=LEASE_S + 10)
        takeover = active_at - killed_at
        after = current_holder(store)
    finally:
        first.stop()
        if second is not None:
            second.stop()

    print(f"\n[{store.dialect.name}] takeover after SIGKILL: {takeover:.2f} s (lease period {LEASE_S:g} s)")
    assert (after.pid, after.token != holder.token) == (second.process.pid, True)
    assert takeover <= LEASE_S + MARGIN_S
    assert second.process.returncode == 0 and current_holder(store) is None, "a stopped collector releases its lease"
