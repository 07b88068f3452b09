"""The result cache of a single-host installation without Redis: the few Redis calls `pantau.cache` makes,
answered by each process for itself, with the subjects' generations in files every process on the host shares.

A process keeps the results it computed (pickled, so a reader that changes a frame changes its own copy) and
the locks of what it is computing. A subject's generation is a file under `folder`: a writer that commits to
the subject writes a new, never-repeated token into it, and every process reads the tokens before it looks a
result up, so a write in the collector retires what the web workers keep of that subject, as with Redis. Only
the SQLite store is read this way (a file store lives on one host with every process that writes to it).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
"""Results a process keeps at most (the oldest are dropped first)."""
_TOKENS = itertools.count()


class LocalClient:
    """Answers `get`, `set`, `delete`, `exists`, `mget` and `pipeline().incr()` as `pantau.cache` uses them."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES) -> None:
        self.folder, self.max_bytes = Path(folder), max_bytes
        self.folder.mkdir(parents=True, exist_ok=True)
        self._values: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            value, expires = found
            if expires <= time.monotonic():
                self._drop(key)
                return None
            return value

    def set(self, key: str, value: bytes, *, nx: bool = False, px: int | None = None) -> bool:
        with self._lock:
            if nx and key in self._values and self._values[key][1] > time.monotonic():
                return False
            self._drop(key)
            expires = time.monotonic() + (px / 1000 if px else float("inf"))
            self._values[key] = (value, expires)
            self._bytes += len(value)
            while self._bytes > self.max_bytes and len(self._values) > 1:
                self._drop(next(iter(self._values)))
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def exists(self, key: str) -> bool:
        return self.get(key) is not None

    def mget(self, keys: list[str]) -> list[bytes | None]:
        return [self._read_generation(key) for key in keys]

    def pipeline(self, transaction: bool = False) -> _Bumps:
        return _Bumps(self)

    def bump(self, key: str) -> None:
        """Give the generation `key` a new token (written whole, so a reader never sees half of one)."""
        path = self._path(key)
        token = f"{time.time_ns()}-{os.getpid()}-{threading.get_ident()}-{next(_TOKENS)}".encode()
        spare = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        spare.write_bytes(token)
        os.replace(spare, path)

    def _read_generation(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes() or None
        except FileNotFoundError:
            return None

    def _path(self, key: str) -> Path:
        return self.folder / ("gen-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in key))

    def _drop(self, key: str) -> None:
        found = self._values.pop(key, None)
        if found is not None:
            self._bytes -= len(found[0])


class _Bumps:
    """`client.pipeline()`: the generations to raise, raised at `execute()`."""

    def __init__(self, client: LocalClient) -> None:
        self.client, self.keys = client, []

    def incr(self, key: str) -> None:
        self.keys.append(key)

    def execute(self) -> None:
        for key in self.keys:
            self.client.bump(key)
