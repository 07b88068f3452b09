"""The collector lease: one holder at a time, renewed by it, taken over once it lapses, on both stores."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from pantau.db import make_engine
from pantau.lease import Lease, current_holder, store_now
from pantau.models import CollectorLease


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lapse(engine) -> None:
    """Make the lease's row lapse, as if its holder had stopped renewing it a while ago."""
    with engine.begin() as connection:
        now = store_now(connection)
        connection.execute(update(CollectorLease).values(expires_at=now - timedelta(seconds=1)))


def test_lease001_first_comer_holds_and_a_second_sees_who(store):
    first = Lease(store, 30, host="pantau-1", pid=101)
    second = Lease(store, 30, host="pantau-2", pid=202)

    taken = first.acquire()
    seen = second.acquire()

    assert taken.token == first.token and (taken.host, taken.pid) == ("pantau-1", 101)
    assert seen == current_holder(store) and seen.token == first.token
    assert first.fresh() and not second.fresh()
    assert timedelta(seconds=20) < seen.expires_at - seen.renewed_at <= timedelta(seconds=21)
    assert "host pantau-1, pid 101, since " in seen.describe("Asia/Jakarta")
    assert seen.describe("Asia/Jakarta").endswith("WIB")


def test_lease002_the_holder_renews_and_keeps_its_since(store):
    holder = Lease(store, 30, host="pantau-1", pid=101)
    since = holder.acquire().since

    assert holder.renew()
    assert holder.acquire().since == since
    row = current_holder(store)
    assert row.since == since and row.renewed_at >= since
    assert Lease(store, 30, host="pantau-2", pid=202).acquire().token == holder.token


def test_lease003_a_lapsed_lease_is_taken_over_and_the_old_holder_learns_it(store):
    clock = Clock()
    old = Lease(store, 30, host="pantau-1", pid=101, clock=clock)
    new = Lease(store, 30, host="pantau-2", pid=202)
    old.acquire()
    lapse(store)

    taken = new.acquire()
    clock.now += 5

    assert taken.token == new.token and (taken.host, taken.pid) == ("pantau-2", 202)
    assert not old.renew()
    assert not old.fresh()
    assert current_holder(store).token == new.token


def test_lease004_the_holder_trusts_its_lease_only_for_its_length_without_renewal(store):
    clock = Clock()
    holder = Lease(store, 10, clock=clock)
    holder.acquire()

    clock.now += 6.9
    fresh_before = holder.fresh()
    clock.now += 0.2
    stale_after = holder.fresh()
    renewed = holder.renew()

    assert (fresh_before, stale_after, renewed, holder.fresh()) == (True, False, True, True)


def test_lease007_a_holder_cut_off_from_the_store_knows_it_until_a_renewal_reaches_it(store, unused_tcp_port):
    holder = Lease(store, 10)
    holder.acquire()
    holder.engine = make_engine(f"postgresql+psycopg://pantau@127.0.0.1:{unused_tcp_port}/pantau")
    with pytest.raises(SQLAlchemyError):
        holder.renew()
    cut_off = holder.cut_off
    holder.engine.dispose()
    holder.engine = store

    assert (cut_off, holder.renew(), holder.cut_off) == (True, True, False)


def test_lease005_release_hands_the_lease_to_the_next_at_once(store):
    holder = Lease(store, 30, host="pantau-1", pid=101)
    holder.acquire()
    holder.release()
    stranger = Lease(store, 30, host="pantau-3", pid=303)
    stranger.release()

    assert current_holder(store) is None
    assert Lease(store, 30, host="pantau-2", pid=202).acquire().host == "pantau-2"
    assert not holder.renew()


def test_lease006_many_racing_for_a_lapsed_lease_one_wins(store):
    Lease(store, 30, host="pantau-0", pid=1).acquire()
    lapse(store)
    racers = [Lease(store, 30, host=f"pantau-{n}", pid=n) for n in range(1, 9)]
    start = threading.Barrier(len(racers))
    seen: dict[str, str] = {}

    def race(lease: Lease) -> None:
        start.wait()
        seen[lease.token] = lease.acquire().token

    threads = [threading.Thread(target=race, args=(lease,)) for lease in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = {lease.token for lease in racers if lease.fresh()}
    assert len(winners) == 1
    assert set(seen.values()) == winners == {current_holder(store).token}
    with store.connect() as connection:
        assert connection.execute(select(CollectorLease.name)).scalars().all() == ["collector"]
