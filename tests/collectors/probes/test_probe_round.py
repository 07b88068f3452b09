"""Rounds: checks run side by side, so a hung host never delays the others."""

from __future__ import annotations

import threading
import time

import pytest

from collectors.probes import ProbeResult, probe_tcp, run_round

HUNG_TIMEOUT_S = 1.0


def test_rd001_hung_checks_run_side_by_side_and_do_not_delay_the_others(listening_port, unanswering_port):
    events: list[tuple[str, str]] = []
    lock = threading.Lock()

    def logged(name: str, port: int, timeout_s: float):
        def check() -> ProbeResult:
            with lock:
                events.append(("start", name))
            result = probe_tcp("127.0.0.1", port, timeout_s)
            with lock:
                events.append(("end", name))
            return result
        return check

    checks = [(f"up-{n}", logged(f"up-{n}", listening_port, 5.0)) for n in range(10)]
    checks += [(f"hung-{n}", logged(f"hung-{n}", unanswering_port, HUNG_TIMEOUT_S)) for n in range(10)]
    started = time.monotonic()

    results = run_round(checks)

    elapsed = time.monotonic() - started
    assert list(results) == [name for name, _ in checks]
    assert all(results[f"up-{n}"].ok for n in range(10))
    assert all(results[f"hung-{n}"].message.endswith(f"timed out after {HUNG_TIMEOUT_S:g} s") for n in range(10))
    first_hung_end = events.index(next(e for e in events if e[0] == "end" and e[1].startswith("hung")))
    assert {name for kind, name in events[:first_hung_end] if kind == "start"} >= {f"hung-{n}" for n in range(10)}
    assert {name for kind, name in events[:first_hung_end] if kind == "end"} == {f"up-{n}" for n in range(10)}
    assert elapsed < 10 * HUNG_TIMEOUT_S / 2


def test_rd002_check_that_raises_becomes_a_failed_result():
    def broken() -> ProbeResult:
        raise OSError("socket exploded")

    results = run_round({"broken": broken, "fine": lambda: ProbeResult(ok=True, message="fine")})

    assert results["broken"].ok is False
    assert results["broken"].message == "check raised OSError: socket exploded"
    assert results["broken"].loss == 1.0
    assert results["fine"].ok


def test_rd003_check_returning_something_else_is_a_failure():
    results = run_round([("odd", lambda: "up")])

    assert results["odd"].message == "check returned str, not a ProbeResult"


def test_rd004_check_past_the_round_deadline_is_reported_without_waiting():
    release = threading.Event()

    def stuck() -> ProbeResult:
        release.wait(30)
        return ProbeResult(ok=True, message="late")

    try:
        results = run_round({"stuck": stuck, "quick": lambda: ProbeResult(ok=True, message="quick")}, deadline_s=0.2)
    finally:
        release.set()

    assert results["stuck"].ok is False
    assert results["stuck"].message == "no result within the round deadline of 0.2 s"
    assert results["quick"].ok


def test_rd005_bare_checks_are_named_by_position():
    results = run_round([lambda: ProbeResult(ok=True, message="a"), lambda: ProbeResult(ok=False, message="b")])

    assert {name: result.message for name, result in results.items()} == {"0": "a", "1": "b"}


def test_rd006_duplicate_or_uncallable_checks_are_refused_by_name():
    with pytest.raises(ValueError, match="'db' is used twice"):
        run_round([("db", lambda: None), ("db", lambda: None)])
    with pytest.raises(TypeError, match="'web'.*not callable"):
        run_round([("web", "http://127.0.0.1/")])


def test_rd007_empty_round_returns_nothing():
    assert run_round([]) == {}


def test_rd008_limited_workers_still_run_every_check(listening_port):
    checks = {f"tcp-{n}": (lambda: probe_tcp("127.0.0.1", listening_port, 5.0)) for n in range(6)}

    results = run_round(checks, max_workers=2)

    assert sorted(results) == sorted(checks)
    assert all(result.ok for result in results.values())
