"""The reads the load test found slow, on the demo campus of each scale: each monitor's first check (what the
server page's availability counts from), the monthly report's build and the SLA page's reads.

The first checks are per-monitor index lookups, against the baseline of the GROUP BY over whole tables they
replace (which grows with the history). The report and the SLA reads go through the result cache shared by
the web workers when Redis answers on 127.0.0.1:6379: a read from the cache against the same read from the
store (the baseline), which is what a reader after the first pays until a write retires it.
"""

from __future__ import annotations

import importlib
import uuid

from sqlalchemy import func, select

from pantau.cache import ResultCache
from pantau.models import Monitor, ProbeSample, RollupDay, RollupHour, RollupMinute, utcnow
from pantau.sla.context import sla_context
from queries import monthly_report as monthly
from queries.sla_report import build_report

from .growth import timed
from .registry import BenchContext, Measurement, benchmark

REPEATS = 7
REDIS_URL = "redis://127.0.0.1:6379/0"


@benchmark("load-pages")
def load_pages(context: BenchContext) -> list[Measurement]:
    uptime = importlib.import_module("queries.servers.uptime")  # the package's `uptime` is the function
    engine = context.engine
    with engine.connect() as connection:
        ids = list(connection.scalars(select(Monitor.id)))
    found = [Measurement("server page: each monitor's first check (index lookups vs GROUP BY)",
                         timed(lambda: _first_checks(uptime, engine, ids), REPEATS),
                         baseline=timed(lambda: _grouped_first_checks(engine, ids), REPEATS))]
    cache = _cache()
    if cache is None:
        return found
    try:
        ctx = sla_context(context.settings)
        report = lambda: monthly.build(engine, context.settings)  # noqa: E731
        sla = lambda: build_report(engine, ctx, now=utcnow())  # noqa: E731
        found += [
            Measurement("monthly report: build from the shared cache vs from the store",
                        timed(lambda: cache.get("bench.report", [], ["money", "servers", "sla"], report), REPEATS),
                        baseline=timed(report, REPEATS)),
            Measurement("SLA page: report from the shared cache vs from the store",
                        timed(lambda: cache.get("bench.sla", [], ["sla"], sla), REPEATS),
                        baseline=timed(sla, REPEATS)),
        ]
    finally:
        keys = list(cache.client.scan_iter(match=f"{cache.prefix}*"))
        if keys:
            cache.client.delete(*keys)
    return found


def _first_checks(uptime, engine, ids: list[int]) -> None:
    with engine.connect() as connection:
        uptime._first_checks(connection, ids)


def _grouped_first_checks(engine, ids: list[int]) -> None:
    """The previous way: one GROUP BY a table, each reading every row of the monitors asked for."""
    with engine.connect() as connection:
        for table in (RollupMinute, RollupHour, RollupDay, ProbeSample):
            column = table.checked_at if table is ProbeSample else table.bucket
            connection.execute(select(table.monitor_id, func.min(column)).where(table.monitor_id.in_(ids))
                               .group_by(table.monitor_id)).all()


def _cache() -> ResultCache | None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return ResultCache(client, prefix=f"pantau-bench-{uuid.uuid4().hex[:8]}:", ttl_s=600, secret="bench")

