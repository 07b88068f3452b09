"""Run the load test: a seeded store (seeding one if empty), `pantau serve` with N gunicorn workers on
loopback, a recording of each role's pages (Chromium, made once), then locust with many users for a while,
sampling the workers' memory. Prints p50/p95/p99, the error rate, worker RSS and the slowest requests, and
writes them to `<data_dir>/loadtest/report.json`."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from pantau import migrate
from pantau.db import make_engine
from pantau.models import Prodi
from pantau.settings import load_settings

from . import profiles, recorder, serving

GOAL_P95_MS, GOAL_RSS_MB = 1000, 400
HERE = Path(__file__).resolve().parent


@dataclass
class Report:
    users: int
    seconds: int
    workers: int
    cache: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float
    worker_rss_mb: dict[str, float] = field(default_factory=dict)
    slowest: list[dict] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    def met(self) -> bool:
        peak = max(self.worker_rss_mb.values(), default=0)
        return self.p95_ms < GOAL_P95_MS and self.failures == 0 and peak < GOAL_RSS_MB and self.requests > 0


def run(users: int, seconds: int, workers: int, spawn_rate: float, scale: str, record: bool,
        say=print) -> Report:
    settings = load_settings()
    folder = settings.data_dir / "loadtest"
    folder.mkdir(parents=True, exist_ok=True)
    _create_database(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    if engine.dialect.name != "postgresql":
        say("note: the store is not PostgreSQL; set PANTAU_DATABASE_URL for a production-like run")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        empty = not connection.scalar(select(func.count()).select_from(Prodi))
    if empty:
        say(f"Seeding the {scale} demo campus (once)…")
        subprocess.run([sys.executable, "-m", "app", "demo", "--scale", scale, "--no-users"], check=True)
    total = sum(p.weight for p in profiles.PROFILES)
    names = profiles.ensure_users(engine, math.ceil(users * max(p.weight for p in profiles.PROFILES) / total) + 1)
    engine.dispose()
    env = {"PANTAU_DATA_DIR": str(settings.data_dir)}
    recording = folder / "recording.json"
    with serving.served(workers, env) as (url, master):
        if record or not recording.exists():
            say("Recording each role's pages with Chromium…")
            _record(url, names, recording)
        say(f"{users} users on {url} for {seconds} s ({workers} workers, cache: {_cache_word(settings)})…")
        peaks: dict[int, int] = {}
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(master, peaks, stop), daemon=True)
        sampler.start()
        prefix = folder / "locust"
        try:
            _locust(url, users, seconds, spawn_rate, prefix, recording, names)
        finally:
            stop.set()
            sampler.join()
    report = _read(prefix, users, seconds, workers, _cache_word(settings))
    report.worker_rss_mb = {str(pid): round(rss / 2**20, 1) for pid, rss in peaks.items()}
    (folder / "report.json").write_text(json.dumps({**asdict(report), "error_rate": report.error_rate,
                                                    "goals_met": report.met()}, indent=1))
    return report


def _create_database(url: str) -> None:
    """Create the PostgreSQL database the URL names when it does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                     {"name": parsed.database}):
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        server.dispose()


def _cache_word(settings) -> str:
    return "redis" if settings.redis_url else "none"


def _record(url: str, names: dict[str, list[str]], path: Path) -> None:
    driver = recorder.browser()
    try:
        visits = {p.key: recorder.record_profile(driver, url, names[p.key][0], profiles.PASSWORD)
                  for p in profiles.PROFILES}
    finally:
        driver.quit()
    recorder.Recording(visits).save(path)


def _sample(master, peaks: dict[int, int], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        for pid, rss in serving.worker_rss(master).items():
            peaks[pid] = max(peaks.get(pid, 0), rss)


def _locust(url: str, users: int, seconds: int, spawn_rate: float, prefix: Path, recording: Path,
            names: dict[str, list[str]]) -> None:
    env = {**os.environ, "LOADTEST_RECORDING": str(recording), "LOADTEST_USERS": json.dumps(names),
           "LOADTEST_PASSWORD": profiles.PASSWORD}
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--host", url,
               "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--csv", str(prefix),
               "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    subprocess.run(command, env=env, check=True)


def _read(prefix: Path, users: int, seconds: int, workers: int, cache: str) -> Report:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    slowest = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))
    return Report(users, seconds, workers, cache, int(total["Request Count"]), int(total["Failure Count"]),
                  float(total["50%"]), float(total["95%"]), float(total["99%"]), float(total["Requests/s"]),
                  slowest=[_row(r) for r in slowest[:10]])


def _row(row: dict) -> dict:
    return {"name": row["Name"], "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "max_ms": float(row["Max Response Time"])}
