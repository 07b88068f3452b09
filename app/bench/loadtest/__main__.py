"""`python -m app.bench.loadtest [--users 50] [--seconds 180] [--workers 2] [--record]` (`make loadtest`)."""

from __future__ import annotations

import argparse
import sys

from .run import GOAL_P95_MS, GOAL_RSS_MB, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.bench.loadtest", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="users started (and logged in) per second")
    parser.add_argument("--scale", default="large", help="demo scale seeded into an empty store")
    parser.add_argument("--record", action="store_true", help="record the pages again (Chromium)")
    args = parser.parse_args(argv)
    try:
        report = run(args.users, args.seconds, args.workers, args.spawn_rate, args.scale, args.record)
    except Exception as error:  # noqa: BLE001 - one line naming what failed, never a traceback
        print(f"error: load test failed: {error}", file=sys.stderr)
        return 2
    print(f"requests {report.requests:,}  failures {report.failures:,} ({report.error_rate:.2%})  "
          f"{report.rps:.1f}/s  p50 {report.p50_ms:.0f} ms  p95 {report.p95_ms:.0f} ms  p99 {report.p99_ms:.0f} ms")
    print("worker RSS peak (MB): " + ", ".join(f"{pid}: {mb}" for pid, mb in report.worker_rss_mb.items()))
    print("slowest by p95:")
    for row in report.slowest:
        print(f"  {row['p95_ms']:>7.0f} ms p95  {row['p50_ms']:>6.0f} ms p50  {row['requests']:>5} req "
              f"{row['failures']:>3} fail  {row['name']}")
    verdict = "met" if report.met() else "NOT met"
    print(f"goals (p95 < {GOAL_P95_MS} ms, 0 errors, < {GOAL_RSS_MB} MB a worker): {verdict}")
    return 0 if report.met() else 1


if __name__ == "__main__":
    sys.exit(main())
