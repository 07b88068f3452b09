"""The result cache shared by every web worker: what a page reads is kept in Redis, keyed by the query, its
parameters and the reader's scope, and dropped as soon as a write commits to a table of its subject.

Each subject (money, servers, sla, system) has a generation counter in Redis; a cached read names the subjects
it depends on and its key holds their current generations, so raising a counter retires every result of that
subject at once without finding them. Writers raise the counters themselves: `ResultCache.watch(engine)` hooks
the engine, notes the tables each INSERT, UPDATE or DELETE touches, and raises their subjects when the
transaction commits (and once more when its connection goes back to the pool, after the commit is visible to
other sessions). A statement whose table is not known raises every subject. Results also expire after
`[cache] ttl_s`, which bounds how far figures that depend on the clock (at-risk steps, "due by today") lag it.
Each value keeps the moment it was computed (`get_dated`), so a page says how old its figures are. A key is
computed by one reader at a time: others that miss it meanwhile wait for that result (a Redis lock beside the
key) instead of piling the same heavy read onto the store at once.

Without `redis_url`, an installation on SQLite (one host: `make run`) keeps results in each process, with the
generations in files every process on the host reads and writes (`pantau.cache_local`; `[cache] local = false`
turns it off); on PostgreSQL without Redis nothing is cached, as a web worker on another host would not see the
files. A Redis that fails or does not answer in time is skipped (the read goes to the store) and logged.
Values are pickled and signed with the secret key (HMAC-SHA256), so a value planted in Redis is never loaded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import pickle
import re
import time
import weakref
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, event

if TYPE_CHECKING:
    from pantau.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

SUBJECTS = ("money", "servers", "sla", "system")
_TABLES = {
    "money": "bills bill_quarantine payments bill_rollups bill_states credit_states recon_results recon_summary "
             "recon_cases bank_imports bank_statements bank_transactions students applicants prodi admission_waves "
             "token_movements payment_extensions",
    "servers": "monitors probe_samples rollup_minute rollup_hour rollup_day incidents maintenance_windows "
               "host_metrics status_services status_incidents status_updates",
    "sla": "sop_cases step_events step_results sla_monthly sla_performers sla_quantiles sla_fingerprints "
           "ktm_photo_checks ktm_intakes ktm_stages digital_accounts webservice_accounts",
    "system": "collector_runs collector_lease source_status alerts alert_deliveries users api_tokens audit_log",
}
TABLE_SUBJECT = {table: subject for subject, tables in _TABLES.items() for table in tables.split()}
_READS = re.compile(r"\s*(SELECT|SHOW|SET|BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|PRAGMA|EXPLAIN|VACUUM|ANALYZE)\b",
                    re.IGNORECASE)
_DML = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?(?:"?\w+"?\.)?"?(\w+)', re.IGNORECASE)
WRITTEN, COMMITTED = "pantau_cache_written", "pantau_cache_committed"
_MAC = 32


def subjects_written(statement: str) -> set[str]:
    """The subjects a SQL statement writes to: none for a read, its table's for one INSERT/UPDATE/DELETE, all
    for anything else that may write (a CTE with DML, DDL, a table not in the map)."""
    if _READS.match(statement):
        return set()
    found = _DML.match(statement)
    if found and found.group(1).lower() in TABLE_SUBJECT:
        return {TABLE_SUBJECT[found.group(1).lower()]}
    return set(SUBJECTS)


def canonical(value: Any) -> Any:
    """A JSON-able form of a key part that is the same in every process (sets sorted, dataclasses as dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda item: str(item[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


class ResultCache:
    """Results of reads kept in Redis under `prefix` for `ttl_s` seconds; with no client, every read computes."""

    def __init__(self, client=None, *, prefix: str = "pantau:", ttl_s: float = 60.0, secret: str | bytes = b"",
                 namespace: str = "", wait_s: float = 20.0):
        self.client, self.prefix, self.ttl_s, self.wait_s = client, prefix, ttl_s, wait_s
        self.secret = secret.encode() if isinstance(secret, str) else secret
        self.namespace = namespace
        self._warned_at = 0.0
        self._watched: weakref.WeakSet[Engine] = weakref.WeakSet()

    @property
    def enabled(self) -> bool:
        return self.client is not None

    def get(self, name: str, params: Any, subjects: Iterable[str], compute: Callable[[], T]) -> T:
        """The result of `compute()` for `name` and `params` as of the subjects' current generations."""
        return self.get_dated(name, params, subjects, compute)[0]

    def get_dated(self, name: str, params: Any, subjects: Iterable[str],
                  compute: Callable[[], T]) -> tuple[T, datetime]:
        """`get`, with the moment (UTC) the result was computed: what a page says its figures are as of.

        One computation a key at a time: a reader that misses while another process computes the same key
        waits for its result (up to `wait_s`) instead of computing it again beside it."""
        if self.client is None:
            return compute(), _now()
        try:
            key = self._key(name, params, self.generations(subjects))
            found = self._read(key)
        except Exception as error:  # noqa: BLE001 - a cache that fails must never fail the page
            self._warn("read", error)
            return compute(), _now()
        if found is not None:
            return found
        lock = key + ":lock"
        try:
            leader = bool(self.client.set(lock, b"1", nx=True, px=int(self.wait_s * 1000)))
            # a leader looks again: the one before it may have stored the result and let go since the miss
            found = self._read(key) if leader else self._wait(key)
            if found is not None:
                if leader:
                    self._release(lock)
                return found
        except Exception as error:  # noqa: BLE001
            self._warn("read", error)
            leader = False
        try:
            entry = _Entry(_now(), compute())
            self._store(key, entry)
        finally:
            if leader:
                self._release(lock)
        return entry.value, entry.at

    def _store(self, key: str, entry: _Entry) -> None:
        try:
            self.client.set(key, self._dump(entry), px=int(self.ttl_s * 1000))
        except Exception as error:  # noqa: BLE001
            self._warn("write", error)

    def _release(self, lock: str) -> None:
        try:
            self.client.delete(lock)
        except Exception as error:  # noqa: BLE001
            self._warn("write", error)

    def _read(self, key: str) -> tuple[Any, datetime] | None:
        stored = self.client.get(key)
        entry = self._load(stored) if stored is not None else _MISS
        return (entry.value, entry.at) if isinstance(entry, _Entry) else None

    def _wait(self, key: str) -> tuple[Any, datetime] | None:
        """The result another reader is computing, once it is stored; None after `wait_s`."""
        deadline = time.monotonic() + self.wait_s
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            found = self._read(key)
            if found is not None:
                return found
            if not self.client.exists(key + ":lock"):
                return self._read(key)
        return None

    def generations(self, subjects: Iterable[str]) -> list[str]:
        """The subjects' current generations: a counter in Redis, a token in a file (`pantau.cache_local`)."""
        subjects = sorted(set(subjects))
        values = self.client.mget([self._gen(s) for s in subjects]) if subjects else []
        return [v.decode() if isinstance(v, bytes) else str(v or 0) for v in values]

    def bump(self, subjects: Iterable[str] = SUBJECTS) -> None:
        """Retire every cached result of these subjects (a write to them has committed)."""
        if self.client is None:
            return
        subjects = sorted(set(subjects))
        try:
            pipe = self.client.pipeline(transaction=False)
            for subject in subjects:
                pipe.incr(self._gen(subject))
            pipe.execute()
        except Exception as error:  # noqa: BLE001
            self._warn("invalidate", error)

    def watch(self, engine: Engine) -> None:
        """Raise the generations of the subjects each committed transaction on `engine` wrote to."""
        if self.client is None or engine in self._watched:
            return
        self._watched.add(engine)
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", _forget)
        event.listen(engine.pool, "checkin", self._checked_in)

    def unwatch(self, engine: Engine) -> None:
        """Stop watching `engine` (its listeners are removed)."""
        if engine not in self._watched:
            return
        self._watched.discard(engine)
        for target, name, listener in ((engine, "before_cursor_execute", _note_write),
                                       (engine, "commit", self._committed), (engine, "rollback", _forget),
                                       (engine.pool, "checkin", self._checked_in)):
            if event.contains(target, name, listener):
                event.remove(target, name, listener)

    def _committed(self, connection) -> None:
        written = connection.info.pop(WRITTEN, None)
        if written:
            self.bump(written)
            connection.info.setdefault(COMMITTED, set()).update(written)

    def _checked_in(self, _dbapi_connection, record) -> None:
        if record is None:
            return
        pending = record.info.pop(COMMITTED, set()) | record.info.pop(WRITTEN, set())
        if pending:
            self.bump(pending)

    def _key(self, name: str, params: Any, generations: list[str]) -> str:
        text = json.dumps([canonical(params), generations], sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:40]
        return f"{self.prefix}r:{self.namespace}:{name}:{digest}"

    def _gen(self, subject: str) -> str:
        return f"{self.prefix}gen:{subject}"

    def _dump(self, value: Any) -> bytes:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.new(self.secret, payload, hashlib.sha256).digest() + payload

    def _load(self, stored: bytes) -> Any:
        mac, payload = stored[:_MAC], stored[_MAC:]
        if not hmac.compare_digest(mac, hmac.new(self.secret, payload, hashlib.sha256).digest()):
            log.warning("result cache: a value under %s is not signed with this secret key; ignored", self.prefix)
            return _MISS
        try:
            return pickle.loads(payload)  # noqa: S301 - signed above with the secret key
        except Exception:  # noqa: BLE001 - written by another release: read it anew
            return _MISS

    def _warn(self, what: str, error: Exception) -> None:
        if time.monotonic() - self._warned_at > 60:
            self._warned_at = time.monotonic()
            log.warning("result cache: %s failed (%s); reading the store directly", what, error)


_MISS = object()
POLL_S = 0.05
"""How often a reader waiting for another's computation looks for its result."""


@dataclasses.dataclass(frozen=True)
class _Entry:
    """A cached result and the moment it was computed."""

    at: datetime
    value: Any


def _now() -> datetime:
    return datetime.now(UTC)


def _note_write(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    subjects = subjects_written(statement)
    if subjects:
        connection.info.setdefault(WRITTEN, set()).update(subjects)


def wrote_everything(connection) -> None:
    """Mark `connection`'s transaction as a write to every subject: a store replaced from outside SQL (a restore)
    retires every cached result when it commits."""
    connection.info.setdefault(WRITTEN, set()).update(SUBJECTS)


def _forget(connection) -> None:
    connection.info.pop(WRITTEN, None)


def result_cache(settings: Settings) -> ResultCache:
    """The cache `settings` describe (one per process and configuration): in Redis at `redis_url`; without it,
    on a SQLite store with `[cache] local`, each process's own (`pantau.cache_local`, its generations under
    `data_dir`/cache); else a disabled one."""
    fingerprint = hashlib.sha256(settings.model_dump_json(exclude={"secret_key"}).encode()).hexdigest()[:12]
    local = ""
    if not settings.redis_url and settings.cache.local and settings.resolved_database_url.startswith("sqlite"):
        local = str((settings.data_dir / "cache").resolve())
    return _open(settings.redis_url or "", settings.cache.prefix, settings.cache.ttl_s, settings.cache.timeout_s,
                 settings.resolved_secret_key() if settings.redis_url else "", fingerprint, local)


@lru_cache(maxsize=8)
def _open(url: str, prefix: str, ttl_s: float, timeout_s: float, secret: str, namespace: str,
          local: str = "") -> ResultCache:
    if local:
        from .cache_local import LocalClient

        return ResultCache(LocalClient(Path(local)), prefix=prefix, ttl_s=ttl_s, secret="local", namespace=namespace)
    if not url:
        return ResultCache()
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
                                  health_check_interval=30)
    return ResultCache(client, prefix=prefix, ttl_s=ttl_s, secret=secret, namespace=namespace)
