"""The result cache of a SQLite installation without Redis (`pantau.cache_local`): each process keeps what it
read, and a write committed by any process on the host (the collector, another web worker) retires it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from sqlalchemy import insert
from test_cache import Counter

from pantau.cache import ResultCache, result_cache
from pantau.cache_local import LocalClient
from pantau.db import engine_for
from pantau.migrate import upgrade
from pantau.models import AuditEntry, Prodi, utcnow
from pantau.settings import load_settings


@pytest.fixture
def local(tmp_path, monkeypatch):
    """The settings of a SQLite installation without Redis, its cache on, its store migrated."""
    monkeypatch.setenv("PANTAU_CACHE__LOCAL", "true")
    settings = load_settings(data_dir=tmp_path, redis_url=None)
    upgrade(engine_for(settings))
    return settings


def test_lcache001_a_sqlite_install_without_redis_keeps_results_in_the_process(local):
    cache, compute = result_cache(local), Counter()
    assert cache.enabled and isinstance(cache.client, LocalClient)
    assert [cache.get("q", 1, ["money"], compute) for _ in range(3)] == [{"run": 1}] * 3
    assert cache.get("q", 2, ["money"], compute) == {"run": 2}


def test_lcache002_a_write_in_this_process_retires_its_subject_only(local):
    cache, engine = result_cache(local), engine_for(local)
    money, system = Counter(), Counter()
    cache.get("money", 1, ["money"], money), cache.get("system", 1, ["system"], system)
    with engine.begin() as connection:
        connection.execute(insert(Prodi).values(code="P99", name="Prodi baru", jenjang="D3", jurusan="J"))

    assert cache.get("money", 1, ["money"], money) == {"run": 2}
    assert cache.get("system", 1, ["system"], system) == {"run": 1}


def test_lcache003_a_write_committed_by_another_process_retires_what_this_one_keeps(local, tmp_path):
    cache, compute = result_cache(local), Counter()
    cache.get("q", 1, ["system"], compute)
    writer = textwrap.dedent(f"""
        from sqlalchemy import insert
        from pantau.db import engine_for
        from pantau.models import AuditEntry, utcnow
        from pantau.settings import load_settings
        engine = engine_for(load_settings(data_dir={str(tmp_path)!r}, redis_url=None))
        with engine.begin() as connection:
            connection.execute(insert(AuditEntry).values(at=utcnow(), actor="collector", action="test", detail={{}}))
        engine.dispose()
    """)
    subprocess.run([sys.executable, "-c", writer], check=True, env={"PANTAU_CACHE__LOCAL": "true",
                                                                      "PATH": "/usr/bin:/bin"})

    assert cache.get("q", 1, ["system"], compute) == {"run": 2}


def test_lcache004_each_reader_gets_its_own_copy(local):
    cache = result_cache(local)
    first = cache.get("frame", 1, ["money"], lambda: pd.DataFrame({"amount": [100, 200]}))
    first["amount"] = 0
    assert cache.get("frame", 1, ["money"], lambda: pd.DataFrame())["amount"].tolist() == [100, 200]


def test_lcache005_off_when_told_or_on_a_server_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_CACHE__LOCAL", "false")
    assert not result_cache(load_settings(data_dir=tmp_path, redis_url=None)).enabled
    monkeypatch.setenv("PANTAU_CACHE__LOCAL", "true")
    on_postgres = load_settings(data_dir=tmp_path, redis_url=None,
                                database_url="postgresql+psycopg://postgres@127.0.0.1:5432/none")
    assert not result_cache(on_postgres).enabled


def test_lcache006_results_expire_and_the_oldest_go_first_beyond_the_size_limit(tmp_path, monkeypatch):
    client = LocalClient(tmp_path, max_bytes=2_000)
    cache = ResultCache(client, prefix="t:", ttl_s=60, secret="local")
    for number in range(10):
        cache.get("big", number, ["money"], lambda: "x" * 500)
    assert client._bytes <= 2_000 and len(client._values) < 10
    ticks = iter([0.0, 0.0, 61.0, 61.0])
    monkeypatch.setattr("pantau.cache_local.time.monotonic", lambda: next(ticks, 61.0))
    client.set("k", b"v", px=60_000)
    assert client.get("k") == b"v" and client.get("k") is None


def test_lcache007_a_generation_file_never_repeats_a_token(tmp_path):
    client = LocalClient(tmp_path)
    seen = set()
    for _ in range(200):
        client.bump("pantau:gen:money")
        seen.add(client.mget(["pantau:gen:money"])[0])
    assert len(seen) == 200 and not any(path.name.startswith(".") for path in tmp_path.iterdir())


def test_lcache008_an_audit_row_is_a_write_to_the_system_subject(local):
    cache, engine, compute = result_cache(local), engine_for(local), Counter()
    cache.get("q", 1, ["system"], compute)
    with engine.begin() as connection:
        connection.execute(insert(AuditEntry).values(at=utcnow(), actor="x", action="y", detail={}))
    assert cache.get("q", 1, ["system"], compute) == {"run": 2}


def test_lcache009_a_restore_retires_every_subject(local, tmp_path):
    from pantau.backup import backup, restore

    cache, engine = result_cache(local), engine_for(local)
    copy = backup(engine, tmp_path / "copy.db")
    counters = {subject: Counter() for subject in ("money", "servers", "sla", "system")}
    for subject, compute in counters.items():
        cache.get(subject, 1, [subject], compute)
    restore(engine, copy)
    assert [cache.get(subject, 1, [subject], compute) for subject, compute in counters.items()] == [{"run": 2}] * 4
