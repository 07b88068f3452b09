"""A lease in the store: at most one process at a time holds a named lease (the collector's), and a process
that stops renewing it (killed, hung, cut off from the store) loses it to a waiting one within one period.

The lease is a row, the same on SQLite and PostgreSQL: taking or renewing it is one conditional UPDATE (or an
INSERT of the first row), which both stores run atomically, so two processes racing for a lapsed lease cannot
both win. Times are read from the store's clock on PostgreSQL (several hosts, one clock) and from this host's
on SQLite (one file, one host). With a lease period P, a holder renews every 0.15 P and its lease runs 0.7 P
past each renewal; a standby looks every 0.1 P, so it takes over at most 0.8 P after the holder's last
renewal. The holder trusts its lease only up to 0.7 P after its last renewal began (by its own monotonic
clock), and starts no run beyond that.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from pantau.models import CollectorLease, utcnow

log = logging.getLogger(__name__)

COLLECTOR = "collector"
TTL_SHARE, RENEW_SHARE, POLL_SHARE = 0.7, 0.15, 0.1
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Holder:
    """Who holds a lease, as the row says."""

    token: str
    host: str
    pid: int
    since: datetime
    renewed_at: datetime
    expires_at: datetime

    def describe(self, zone: str | None = None) -> str:
        """`host pantau-1, pid 4242, since 2026-12-06 14:05:03 WIB`."""
        since = self.since.astimezone(_zone(zone)) if zone else self.since
        return f"host {self.host}, pid {self.pid}, since {since:%Y-%m-%d %H:%M:%S %Z}"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def store_now(connection: Connection) -> datetime:
    """Now by the store's clock: PostgreSQL's transaction time, else this host's (SQLite is a local file)."""
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SELECT now()")).scalar_one()
    return utcnow()


def current_holder(engine: Engine, name: str = COLLECTOR) -> Holder | None:
    """The lease's row (whether or not it has lapsed), or None when nobody ever took it or it was released."""
    with engine.connect() as connection:
        return _read(connection, name)


def _read(connection: Connection, name: str) -> Holder | None:
    row = connection.execute(
        select(CollectorLease.holder, CollectorLease.host, CollectorLease.pid, CollectorLease.acquired_at,
               CollectorLease.renewed_at, CollectorLease.expires_at).where(CollectorLease.name == name)
    ).one_or_none()
    return Holder(*row) if row else None


class Lease:
    """This process's claim on lease `name`, with period `period_s` (see the module's docstring)."""

    def __init__(self, engine: Engine, period_s: float, name: str = COLLECTOR, *, host: str | None = None,
                 pid: int | None = None, clock=time.monotonic) -> None:
        if period_s <= 0:
            raise ValueError(f"lease period must be > 0 s, got {period_s!r}")
        self.engine, self.name, self.period_s = engine, name, float(period_s)
        self.token = uuid.uuid4().hex
        self.host = host or socket.gethostname()
        self.pid = os.getpid() if pid is None else pid
        self.clock = clock
        self._trusted_until = float("-inf")
        self._lock = threading.Lock()
        self.cut_off = False
        """True while the store cannot be reached to renew the lease that this process held when last heard:
        the scheduler then runs only what can be kept in memory (`Collector.observe`)."""

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=self.period_s * TTL_SHARE)

    @property
    def renew_every_s(self) -> float:
        return self.period_s * RENEW_SHARE

    @property
    def poll_every_s(self) -> float:
        return self.period_s * POLL_SHARE

    def fresh(self) -> bool:
        """Whether this process holds the lease as far as it can tell: its last renewal began less than the
        lease's length ago. Runs start only while this holds."""
        return self.clock() < self._trusted_until

    def acquire(self) -> Holder:
        """Take the lease if it is free, lapsed or already ours; return whoever holds it after the attempt."""
        with self._lock:
            started = self.clock()
            with self.engine.begin() as connection:
                now = store_now(connection)
                seen = _read(connection, self.name)
                if seen is not None and seen.token != self.token and seen.expires_at > now:
                    return seen  # held and live: a standby only reads, and takes no write lock
                values = self._values(now)
                insert = _INSERTS[connection.dialect.name](CollectorLease).values(name=self.name, **values)
                taken = connection.execute(insert.on_conflict_do_nothing(index_elements=["name"])).rowcount == 1
                if not taken:
                    taken = connection.execute(
                        update(CollectorLease)
                        .where(CollectorLease.name == self.name, CollectorLease.expires_at <= now)
                        .values(**values)
                    ).rowcount == 1
                if not taken:
                    taken = connection.execute(
                        update(CollectorLease)
                        .where(CollectorLease.name == self.name, CollectorLease.holder == self.token)
                        .values(renewed_at=now, expires_at=values["expires_at"])
                    ).rowcount == 1
                holder = _read(connection, self.name)
            if taken:
                self._trusted_until = started + self.ttl.total_seconds()
            return holder

    def renew(self) -> bool:
        """Extend our lease; False when the row is no longer ours (it lapsed and another process took it)."""
        with self._lock:
            started = self.clock()
            try:
                with self.engine.begin() as connection:
                    now = store_now(connection)
                    renewed = connection.execute(
                        update(CollectorLease)
                        .where(CollectorLease.name == self.name, CollectorLease.holder == self.token)
                        .values(renewed_at=now, expires_at=now + self.ttl)
                    ).rowcount == 1
            except SQLAlchemyError:
                self.cut_off = True
                raise
            self.cut_off = False
            self._trusted_until = started + self.ttl.total_seconds() if renewed else float("-inf")
            return renewed

    def release(self) -> None:
        """Give the lease up (a standby takes it at its next look); nothing happens if it is not ours."""
        with self._lock:
            self._trusted_until = float("-inf")
            with self.engine.begin() as connection:
                connection.execute(
                    delete(CollectorLease).where(CollectorLease.name == self.name, CollectorLease.holder == self.token)
                )

    @contextmanager
    def kept(self) -> Iterator[None]:
        """Renew the lease in a background thread while the block runs (a one-off run may outlast the
        lease), then release it."""
        done = threading.Event()

        def keep_renewing() -> None:
            while not done.wait(self.renew_every_s):
                try:
                    self.renew()
                except SQLAlchemyError as error:
                    log.warning("the %s lease could not be renewed: %s", self.name, error)

        thread = threading.Thread(target=keep_renewing, name=f"lease-{self.name}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
            self.release()

    def _values(self, now: datetime) -> dict:
        return dict(holder=self.token, host=self.host[:255], pid=self.pid, acquired_at=now, renewed_at=now,
                    expires_at=now + self.ttl)
