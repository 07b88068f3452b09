"""Single-request latency of every recorded page and callback, one request at a time in this process, so the
slow ones show apart from the noise of a shared machine under load:

    python -m app.bench.loadtest.latency [--repeat 3] [--cache] [--profile direktur]

Reads the load test's recording (`<data_dir>/loadtest/recording.json`) and its users; the store and Redis are
the configured ones (PANTAU_DATABASE_URL, PANTAU_REDIS_URL). Without `--cache` the result cache is off, so
each figure is what a request costs when nothing is cached (a cold page, or the first reader after a write).
Prints each request's median and worst time and its median CPU time in this process, slowest first.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict

from pantau.db import make_engine
from pantau.settings import load_settings

from .profiles import PASSWORD, PROFILES, usernames
from .recorder import CALLBACK, Recording, first_output

CSRF = re.compile(r'name="csrf"[^>]*value="([^"]+)"')


def measure(repeat: int, cache: bool, only: str | None, say=print) -> list[tuple[str, float, float, float, int]]:
    """(profile and request name, median ms, worst ms, median ms of this process's CPU, status) of every
    recorded request, slowest first. The CPU time leaves out the store's own work and the waits for a core,
    which on a shared machine can be most of the wall time."""
    from dashboard.app import create_app

    settings = load_settings()
    if not cache:
        settings = settings.model_copy(update={"redis_url": None})
    engine = make_engine(settings.resolved_database_url)
    recording = Recording.load(settings.data_dir / "loadtest" / "recording.json")
    app = create_app(settings, engine).server
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    statuses: dict[str, int] = {}
    for profile in PROFILES:
        if only and profile.key != only or profile.key not in recording.visits:
            continue
        client = app.test_client()
        page = client.get("/login")
        token = CSRF.search(page.text).group(1)
        client.post("/login", data={"username": usernames(profile, 1)[0], "password": PASSWORD, "csrf": token})
        for _ in range(repeat):
            for visit in recording.visits[profile.key]:
                _time(times, statuses, f"{profile.key} page {visit.path}", lambda v=visit, c=client: c.get(v.path))
                for body in visit.callbacks:
                    name = f"{profile.key} {visit.path} cb {first_output(body)}"
                    _time(times, statuses, name, lambda b=body, c=client: c.post(CALLBACK, json=b))
        say(f"  {profile.key}: done")
    engine.dispose()
    rows = [(name, statistics.median(w for w, _ in spent), max(w for w, _ in spent),
             statistics.median(c for _, c in spent), statuses[name]) for name, spent in times.items()]
    return sorted(rows, key=lambda row: -row[1])


def _time(times, statuses, name: str, request) -> None:
    started, cpu = time.perf_counter(), time.thread_time()
    answer = request()
    times[name].append(((time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000))
    statuses[name] = answer.status_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.bench.loadtest.latency", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", action="store_true", help="use the Redis result cache (default: off)")
    parser.add_argument("--profile", help="only this load profile (e.g. direktur)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    rows = measure(args.repeat, args.cache, args.profile)
    print("  median     worst  CPU median  status  request")
    for name, median, worst, cpu, status in rows[:args.top]:
        print(f"{median:8.0f} {worst:9.0f} {cpu:11.0f}  {status}     {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
