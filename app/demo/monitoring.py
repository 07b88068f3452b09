"""Server monitoring history: monitors, maintenance windows, a year of probe rounds with outages,
the incidents those outages are, and each monitor's status at `now`.

Outages happen a few times a month per monitor (2-90 minutes, never inside maintenance), the H2H
server once had a long one, and the bank links are unreachable whenever the H2H server is down.
Targets are loopback addresses on unprivileged ports: `pantau run` on the demo campus listens there
(:mod:`app.demo.live`) and its collector probes them for real.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import bindparam, update

from app.demo import hosts, rollups
from app.demo.context import DemoContext
from app.demo.probes import WEEK, MonitorSpec, Outages, Rounds, covering, in_weekly_window, simulate
from pantau.models import Incident, MaintenanceWindow, Monitor

MONITORS = (
    MonitorSpec("payment-server", "payment-server", "http", "https://127.0.0.11:18443/status", None, 95, 3.0, True,
                47.0,
                options={"expected_status": 200, "keyword": "OK", "verify_tls": False, "label": "Server pembayaran"}),
    MonitorSpec("h2h-server", "h2h-server", "tcp", "127.0.0.12:17001", None, 3.5, 2.0, True,
                options={"label": "Server H2H"}),
    MonitorSpec("bank-link", "bank-link", "tcp", "127.0.0.13:18443", "h2h-server", 38, 2.5, True,
                latency_range=(20, 80), options={"label": "Koneksi H2H Bank BNI"}),
    MonitorSpec("router", "router", "icmp", "127.0.0.14", None, 1.2, 1.0,
                options={"count": 5, "label": "Router kampus"}),
    MonitorSpec("pmb-portal", "other", "http", "https://127.0.0.15:18443/", None, 160, 2.0, cert_days_left=9.5,
                options={"verify_tls": False, "label": "Portal PMB"}),
    MonitorSpec("bank-link-bri", "bank-link", "tcp", "127.0.0.16:18443", "h2h-server", 46, 2.5, True,
                latency_range=(25, 95), options={"label": "Koneksi H2H Bank BRI"}),
    MonitorSpec("siakad", "other", "http", "https://127.0.0.17:18443/login", None, 240, 2.5, cert_days_left=63.0,
                options={"verify_tls": False, "label": "SIAKAD"}),
    MonitorSpec("database-server", "other", "tcp", "127.0.0.18:13306", None, 1.8, 1.0,
                options={"label": "Server basis data"}),
    MonitorSpec("core-switch", "router", "icmp", "127.0.0.19", None, 0.6, 0.5,
                options={"count": 5, "label": "Switch inti"}),
    MonitorSpec("dns-server", "other", "tcp", "127.0.0.20:10053", None, 2.5, 1.0, options={"label": "Server DNS"}),
)
"""The demo campus's monitors; `label` (with the check options, as `collectors.monitors.sync` keeps it) is what
its pages call each one. The https servers have self-signed certificates (so `verify_tls` is off), whose days
left the history reads."""
TIMEOUT = {"http": 10.0, "tcp": 5.0, "icmp": 2.0}
CAUSES = {
    "http": (("HTTP 503 Service Unavailable", 503), ("HTTP 502 Bad Gateway", 502), ("timeout setelah 10 detik", None),
             ("koneksi ditolak", None)),
    "tcp": (("timeout koneksi", None), ("koneksi ditolak", None), ("koneksi direset oleh peer", None)),
    "icmp": (("100% paket hilang", None),),
}
LONG_OUTAGE = ("gangguan jaringan H2H dengan bank: timeout koneksi ke host bank", 205 * 60)
WEEKLY_RULE = ("SUN 01:00-03:00", 6, 3600, 3 * 3600)
MIGRATION = ("Migrasi server pembayaran ke rak baru (terjadwal)", 3 * 3600)
DOWN_AFTER, UP_AFTER = 3, 2


def generate(ctx: DemoContext) -> None:
    """Write monitors, maintenance windows, probe history, incidents and host metrics."""
    rng = ctx.rng("monitoring")
    specs = MONITORS[: ctx.scale.monitors]
    interval = ctx.scale.probe_interval_s
    now_s = int(ctx.now64.astype(np.int64))
    start_s = (now_s // 86_400 - ctx.scale.history_days + 1) * 86_400
    offset_s = int(ctx.offset.astype(np.int64))
    ids = {spec.name: number for number, spec in enumerate(specs, start=1)}
    migration_start = _local_weekday_time(start_s + int((now_s - start_s) * 0.45), offset_s, 5, 20 * 3600)
    windows = _windows(ctx, specs, ids, migration_start)
    outages: dict[str, Outages] = {}
    restarts: dict[str, Outages] = {}
    first_bucket = rollups.cutoffs(now_s, start_s)
    ctx.writer.insert(Monitor.__table__, _monitor_rows(specs, ids, interval), step="monitors")
    ctx.writer.insert(MaintenanceWindow.__table__, windows, step="monitors")
    statuses = []
    for number, spec in enumerate(specs, start=1):
        times = np.arange(start_s + (number * 7) % interval, now_s + 1, interval, dtype=np.int64)
        weekly = in_weekly_window(times, offset_s, *WEEKLY_RULE[1:]) & spec.weekly_maintenance
        one_off = (times >= migration_start) & (times < migration_start + MIGRATION[1])
        one_off &= spec.name == "payment-server"
        parent = outages.get(spec.parent) if spec.parent else None
        outages[spec.name] = _plan_outages(rng, spec, start_s, now_s, offset_s, interval, parent)
        if spec.parent:
            restarts[spec.name] = restarts[spec.parent]
        elif spec.weekly_maintenance:
            migration = migration_start if spec.name == "payment-server" else None
            restarts[spec.name] = _restarts(rng, start_s, now_s, offset_s, migration)
        else:
            restarts[spec.name] = Outages.empty()
        rounds = simulate(spec, times, outages[spec.name], parent, weekly | one_off, restarts[spec.name], offset_s,
                          now_s, rng, MONITORS)
        rollups.write(ctx, number, rounds, first_bucket)
        _incidents(ctx, number, rounds)
        statuses.append(_status(number, rounds))
    ctx.writer.connection.execute(
        update(Monitor).where(Monitor.id == bindparam("monitor_id")).values(
            status=bindparam("new_status"), status_since=bindparam("since"), streak_since=bindparam("streak"),
            consecutive_failures=bindparam("failures"), consecutive_successes=bindparam("successes"),
        ),
        statuses,
    )
    hosts.generate(ctx, outages["payment-server"], restarts["payment-server"])


def _local_weekday_time(near_s: int, offset_s: int, weekday: int, second_of_day: int) -> int:
    """The first local `weekday` at `second_of_day` on or after the day of `near_s` (0 = Monday)."""
    day = (near_s + offset_s) // 86_400
    day += (weekday - (day + 3) % 7) % 7
    return day * 86_400 + second_of_day - offset_s


def _windows(ctx: DemoContext, specs: tuple, ids: dict, migration_start: int) -> dict:
    weekly = [ids[s.name] for s in specs if s.weekly_maintenance]
    return {
        "monitor_id": [*weekly, ids["payment-server"]],
        "starts_at": [None] * len(weekly) + [np.datetime64(migration_start, "s")],
        "ends_at": [None] * len(weekly) + [np.datetime64(migration_start + MIGRATION[1], "s")],
        "weekly_rule": [WEEKLY_RULE[0]] * len(weekly) + [None],
        "note": ["Pemeliharaan rutin mingguan (jam WIB): pembaruan dan mulai ulang layanan"] * len(weekly)
        + [MIGRATION[0]],
    }


def _plan_outages(rng: np.random.Generator, spec: MonitorSpec, start_s: int, now_s: int, offset_s: int,
                  interval: int, parent: Outages | None) -> Outages:
    """Random outages of 2-90 minutes outside maintenance and apart from the parent's; the H2H server's long one."""
    span = now_s - start_s
    count = rng.poisson(spec.outages_per_month * span / (30 * 86_400))
    minimum = max(120, (DOWN_AFTER + 1) * interval)
    begin = np.sort(rng.integers(start_s + 3600, now_s - 4 * 3600, count))
    length = np.clip(rng.lognormal(np.log(8 * 60), 1.0, count), minimum, 90 * 60).astype(np.int64)
    kinds = rng.integers(0, len(CAUSES[spec.check]), count)
    causes = [CAUSES[spec.check][k] for k in kinds.tolist()]
    if spec.role == "h2h-server":
        at = _local_weekday_time(start_s + int(span * 0.62), offset_s, 2, 10 * 3600)
        begin, length = np.append(begin, at), np.append(length, LONG_OUTAGE[1])
        causes.append((LONG_OUTAGE[0], None))
    order = np.argsort(begin, kind="stable")
    begin, length, causes = begin[order], length[order], [causes[i] for i in order]
    keep = np.ones(len(begin), bool)
    for edge in (begin, begin + length // 2, begin + length):
        keep &= ~in_weekly_window(edge, offset_s, *WEEKLY_RULE[1:])
    if parent is not None and len(parent.start):
        margin = Outages(parent.start - 900, parent.end + 900, [], np.zeros(0))
        keep &= (covering(begin, margin) < 0) & (covering(begin + length, margin) < 0)
    last_end = -1
    for i in range(len(begin)):
        if keep[i] and begin[i] <= last_end + 600:
            keep[i] = False
        elif keep[i]:
            last_end = begin[i] + length[i]
    chosen = np.flatnonzero(keep)
    return Outages(begin[chosen], begin[chosen] + length[chosen], [causes[i][0] for i in chosen],
                   np.array([np.nan if causes[i][1] is None else causes[i][1] for i in chosen], dtype=float))


def _restarts(rng: np.random.Generator, start_s: int, now_s: int, offset_s: int, migration: int | None) -> Outages:
    """Restarts inside about a third of the weekly windows, and the server being off during a migration."""
    first = _local_weekday_time(start_s, offset_s, 6, WEEKLY_RULE[2])
    sundays = np.arange(first, now_s, WEEK, dtype=np.int64)
    sundays = sundays[rng.random(len(sundays)) < 0.35]
    begin = sundays + rng.integers(5, 40, len(sundays)) * 60
    end = begin + rng.integers(3, 12, len(sundays)) * 60
    if migration is not None:
        begin, end = np.append(begin, migration), np.append(end, migration + MIGRATION[1] - 1800)
    order = np.argsort(begin)
    causes = ["dimulai ulang saat pemeliharaan"] * len(begin)
    return Outages(begin[order], end[order], causes, np.full(len(begin), np.nan))


def _incidents(ctx: DemoContext, monitor_id: int, rounds: Rounds) -> None:
    """One incident per run of failed rounds outside maintenance, from the first failure to the first success."""
    usable = np.flatnonzero(~rounds.maintenance)
    failed = (~rounds.ok[usable]).astype(np.int8)
    change = np.diff(failed, prepend=0, append=0)
    first, stop = np.flatnonzero(change == 1), np.flatnonzero(change == -1)
    first, stop = first[stop - first >= DOWN_AFTER], stop[stop - first >= DOWN_AFTER]
    started = rounds.t[usable[first]]
    ended = np.where(stop < len(usable), rounds.t[usable[np.minimum(stop, len(usable) - 1)]], -1)
    ctx.writer.insert(Incident.__table__, {
        "monitor_id": np.full(len(first), monitor_id),
        "kind": np.where(rounds.unreachable[usable[first]], "unreachable", "down"),
        "started_at": started.astype("datetime64[s]"),
        "ended_at": np.where(ended >= 0, ended, np.iinfo(np.int64).min).astype("datetime64[s]"),
        "cause": rounds.cause[usable[first]],
    }, step="incidents")


def _monitor_rows(specs: tuple, ids: dict, interval: int) -> dict:
    return {
        "id": list(ids.values()),
        "name": [s.name for s in specs],
        "role": [s.role for s in specs],
        "check": [s.check for s in specs],
        "target": [s.target for s in specs],
        "interval_s": [interval] * len(specs),
        "timeout_s": [TIMEOUT[s.check] for s in specs],
        "down_after": [DOWN_AFTER] * len(specs),
        "up_after": [UP_AFTER] * len(specs),
        "parent_id": [ids.get(s.parent) for s in specs],
        "enabled": [True] * len(specs),
        "options": [s.options for s in specs],
        "status": ["pending"] * len(specs),
        "consecutive_failures": [0] * len(specs),
        "consecutive_successes": [0] * len(specs),
    }


def _status(number: int, rounds: Rounds) -> dict:
    """A monitor's status at `now` from its latest rounds: the state and since when, and the current run of
    successes or failures (its length and its first round)."""
    state = np.where(rounds.maintenance, 3, np.where(rounds.ok, 0, np.where(rounds.unreachable, 2, 1)))
    changed = np.flatnonzero(state != state[-1])
    since = rounds.t[changed[-1] + 1] if len(changed) else rounds.t[0]
    failed = np.flatnonzero(~rounds.ok)
    succeeded = np.flatnonzero(rounds.ok)
    flipped = np.flatnonzero(rounds.ok != rounds.ok[-1])
    streak = rounds.t[flipped[-1] + 1] if len(flipped) else rounds.t[0]
    return {
        "monitor_id": number,
        "new_status": ("up", "down", "unreachable", "maintenance")[int(state[-1])],
        "since": datetime.fromtimestamp(int(since), UTC),
        "streak": datetime.fromtimestamp(int(streak), UTC),
        "failures": int(len(rounds.ok) - (succeeded[-1] + 1 if len(succeeded) else 0)),
        "successes": int(len(rounds.ok) - (failed[-1] + 1 if len(failed) else 0)),
    }
