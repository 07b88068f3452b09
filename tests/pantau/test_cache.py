"""The result cache shared by web workers (pantau.cache), against the real Redis on 127.0.0.1:6379: each test
keeps its keys under a prefix of its own and removes them after."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, select, text

from pantau.cache import SUBJECTS, ResultCache, canonical, result_cache, subjects_written
from pantau.db import session_scope
from pantau.models import ReconCase, utcnow
from pantau.recon import resolve_case
from pantau.settings import load_settings
from queries import recon_cases

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def client():
    connection = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield connection
    connection.close()


@pytest.fixture
def cache(client):
    prefix = f"pantau-test-{uuid.uuid4().hex[:12]}:"
    made = ResultCache(client, prefix=prefix, ttl_s=60, secret="test-secret")
    yield made
    for engine in list(made._watched):
        made.unwatch(engine)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


class Counter:
    """A computation that counts how often it ran and returns its run number."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return {"run": self.runs}


def test_cache001_a_second_read_with_the_same_parameters_is_a_hit(cache):
    compute = Counter()
    first = cache.get("payments.summary", {"semester": "2026/2027-1"}, ["money"], compute)
    second = cache.get("payments.summary", {"semester": "2026/2027-1"}, ["money"], compute)
    assert (first, second, compute.runs) == ({"run": 1}, {"run": 1}, 1)


def test_cache002_other_parameters_name_or_scope_miss(cache):
    compute = Counter()
    cache.get("payments.summary", {"semester": "A", "scope": ["H2H"]}, ["money"], compute)
    cache.get("payments.summary", {"semester": "B", "scope": ["H2H"]}, ["money"], compute)
    cache.get("payments.summary", {"semester": "A", "scope": ["KTM"]}, ["money"], compute)
    cache.get("tokens.summary", {"semester": "A", "scope": ["H2H"]}, ["money"], compute)
    assert compute.runs == 4


def test_cache003_keys_are_the_same_whatever_the_order_of_a_set():
    one, other = frozenset(f"step{i}" for i in range(20)), frozenset(f"step{i}" for i in reversed(range(20)))
    assert canonical({"b": one, "a": 1}) == canonical({"a": 1, "b": other})


def test_cache004_a_bump_retires_its_subject_only(cache):
    money, servers = Counter(), Counter()
    cache.get("m", 1, ["money"], money)
    cache.get("s", 1, ["servers"], servers)
    cache.bump(["money"])
    assert cache.get("m", 1, ["money"], money) == {"run": 2}
    assert cache.get("s", 1, ["servers"], servers) == {"run": 1}
    assert cache.get("both", 1, ["money", "servers"], Counter()) == {"run": 1}


def test_cache005_another_workers_cache_on_the_same_redis_shares_results_and_bumps(cache, client):
    other = ResultCache(client, prefix=cache.prefix, ttl_s=60, secret="test-secret")
    compute = Counter()
    cache.get("q", [1], ["sla"], compute)
    assert other.get("q", [1], ["sla"], compute) == {"run": 1}
    other.bump(["sla"])
    assert cache.get("q", [1], ["sla"], compute) == {"run": 2}


def test_cache006_a_value_not_signed_with_the_secret_is_not_loaded(cache, client):
    compute = Counter()
    cache.get("q", 1, ["money"], compute)
    (key,) = client.scan_iter(match=f"{cache.prefix}r:*")
    forged = ResultCache(client, prefix=cache.prefix, secret="another-secret")._dump({"run": "forged"})
    client.set(key, forged)
    assert cache.get("q", 1, ["money"], compute) == {"run": 2}


def test_cache007_results_expire_after_ttl(cache, client):
    cache.get("q", 1, ["money"], Counter())
    (key,) = client.scan_iter(match=f"{cache.prefix}r:*")
    assert 0 < client.pttl(key) <= 60_000


def test_cache008_an_unreachable_redis_reads_the_store_and_raises_nothing():
    closed = redis.Redis.from_url("redis://127.0.0.1:9/0", socket_timeout=0.2, socket_connect_timeout=0.2)
    unreachable = ResultCache(closed, prefix="x:", secret="s")
    compute = Counter()
    assert [unreachable.get("q", 1, ["money"], compute) for _ in range(2)] == [{"run": 1}, {"run": 2}]
    unreachable.bump(["money"])


def test_cache009_without_redis_url_nothing_is_cached(tmp_path):
    off = result_cache(load_settings(data_dir=tmp_path, redis_url=None))
    compute = Counter()
    assert not off.enabled
    assert [off.get("q", 1, ["money"], compute) for _ in range(2)] == [{"run": 1}, {"run": 2}]


@pytest.mark.parametrize(("statement", "subjects"), [
    ("SELECT * FROM bills", set()),
    ("select id from recon_cases for update", set()),
    ('UPDATE "recon_cases" SET status = %(s)s', {"money"}),
    ("INSERT INTO probe_samples (monitor_id) VALUES (?)", {"servers"}),
    ("DELETE FROM step_results WHERE case_id = 1", {"sla"}),
    ("INSERT INTO audit_log (actor) VALUES ('x')", {"system"}),
    ("INSERT INTO some_new_table (x) VALUES (1)", set(SUBJECTS)),
    ("WITH gone AS (DELETE FROM bills RETURNING id) SELECT count(*) FROM gone", set(SUBJECTS)),
    ("ALTER TABLE bills ADD COLUMN x int", set(SUBJECTS)),
])
def test_cache010_statements_name_the_subjects_they_write(statement, subjects):
    assert subjects_written(statement) == subjects


def test_cache011_a_committed_write_retires_its_subject_a_rolled_back_one_nothing(cache, store):
    cache.watch(store)
    before = dict(zip(SUBJECTS, cache.generations(SUBJECTS)))
    with store.begin() as connection:
        connection.execute(text("UPDATE recon_cases SET status = 'open' WHERE 1 = 0"))
    after_commit = dict(zip(SUBJECTS, cache.generations(SUBJECTS)))
    with pytest.raises(RuntimeError), store.begin() as connection:
        connection.execute(text("UPDATE monitors SET name = name WHERE 1 = 0"))
        raise RuntimeError("abandon")
    after_rollback = dict(zip(SUBJECTS, cache.generations(SUBJECTS)))
    assert after_commit["money"] > before["money"]
    assert {s: after_commit[s] for s in SUBJECTS if s != "money"} == {s: before[s] for s in SUBJECTS if s != "money"}
    assert after_rollback["servers"] == after_commit["servers"]


def test_cache012_a_resolution_makes_the_next_page_read_fresh(cache, store):
    cache.watch(store)
    now = utcnow()
    with session_scope(store) as session:
        session.add(ReconCase(case_key="paid-not-posted-1", kind="paid_unposted", due_at=now + timedelta(hours=24),
                              detected_at=now))
    with store.connect() as connection:
        case_id = connection.scalar(select(func.max(ReconCase.id)))

    def page_read():
        return cache.get("payments.case_counts", {"scope": "bendahara"}, ["money"],
                         lambda: recon_cases.case_counts(store, now=now))

    assert page_read() == {"open": 1, "overdue": 0}
    assert page_read() == {"open": 1, "overdue": 0}
    with session_scope(store) as session:
        resolve_case(session, case_id, user="bendahara", note="posted by hand after the bank's statement")
    assert page_read() == {"open": 0, "overdue": 0}


def test_cache013_readers_missing_the_same_key_at_once_compute_it_once(cache):
    started, release = threading.Event(), threading.Event()
    runs = []

    def slow():
        runs.append(1)
        started.set()
        release.wait(5)
        return {"run": len(runs)}

    answers = []
    first = threading.Thread(target=lambda: answers.append(cache.get("report", "2026-10", ["money"], slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: answers.append(cache.get("report", "2026-10", ["money"], slow)))
              for _ in range(3)]
    for thread in others:
        thread.start()
    release.set()
    for thread in (first, *others):
        thread.join(10)
    assert len(runs) == 1
    assert answers == [{"run": 1}] * 4


def test_cache014_a_hit_says_when_its_result_was_computed(cache):
    value, at = cache.get_dated("q", 1, ["money"], Counter())
    again, at_again = cache.get_dated("q", 1, ["money"], Counter())
    assert (again, at_again) == (value, at)
    cache.bump(["money"])
    _, fresh_at = cache.get_dated("q", 1, ["money"], Counter())
    assert fresh_at > at


def test_cache015_a_reader_whose_leader_never_answers_computes_after_wait_s(cache, client):
    patient = ResultCache(client, prefix=cache.prefix, ttl_s=60, secret="test-secret", wait_s=0.3)
    key = patient._key("q", 1, patient.generations(["money"]))
    client.set(key + ":lock", b"1", px=60_000)
    compute = Counter()
    assert patient.get("q", 1, ["money"], compute) == {"run": 1}
    assert compute.runs == 1


def test_cache016_a_computation_that_fails_leaves_no_lock_behind(cache, client):
    def failing():
        raise ValueError("bad month")

    with pytest.raises(ValueError):
        cache.get("q", 1, ["money"], failing)
    assert not list(client.scan_iter(match=f"{cache.prefix}r:*"))


def test_cache017_a_reader_that_takes_the_lock_after_the_leader_stored_reads_its_result(cache, client):
    """The reader missed, then the leader before it computed, stored and let go of the lock, then the reader took
    the lock: it reads the stored result instead of computing it a second time."""
    computed = Counter()

    class LeaderFinishesFirst:
        """Redis, but the leader runs to its end between this reader's miss and its taking the lock."""

        def __getattr__(self, name):
            return getattr(client, name)

        def set(self, key, value, **options):
            if options.get("nx"):
                assert cache.get("q", 1, ["money"], computed) == {"run": 1}
            return client.set(key, value, **options)

    late = ResultCache(LeaderFinishesFirst(), prefix=cache.prefix, ttl_s=60, secret="test-secret")
    again = Counter()
    assert late.get("q", 1, ["money"], again) == {"run": 1}
    assert (computed.runs, again.runs) == (1, 0)
    assert not client.exists(late._key("q", 1, late.generations(["money"])) + ":lock")
