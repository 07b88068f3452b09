"""Start `pantau serve` (gunicorn) on a loopback port for the load test, and read its workers' memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import psutil

from app.bench.web import free_port


@contextmanager
def served(workers: int, env: dict[str, str], timeout_s: float = 180.0) -> Iterator[tuple[str, psutil.Process]]:
    """`pantau serve --workers N` on 127.0.0.1:<free port> until the block ends; yields its URL and master."""
    port = free_port()
    command = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, process, timeout_s)
        yield url, psutil.Process(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_up(url: str, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pantau serve exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"pantau serve did not answer {url}/login within {timeout_s:.0f} s")


def worker_rss(master: psutil.Process) -> dict[int, int]:
    """Resident memory of each gunicorn worker (the master's children), in bytes."""
    out = {}
    for child in master.children():
        try:
            out[child.pid] = child.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return out
