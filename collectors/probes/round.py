"""Run a round of checks concurrently, so one hung host never delays the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait

from collectors.probes.result import ProbeResult, utc_now

Check = Callable[[], ProbeResult]


def run_round(
    checks: Mapping[str, Check] | Iterable[Check | tuple[str, Check]],
    max_workers: int | None = None,
    deadline_s: float | None = None,
) -> dict[str, ProbeResult]:
    """Run every check in its own worker thread and return the results by name.

    ``checks`` is a mapping of name to check, or a sequence of ``(name, check)`` pairs or bare
    checks (named by their position, ``"0"``, ``"1"``, ...). A check is any callable returning
    a :class:`ProbeResult` and is expected to bound itself with its own timeout; all of them
    start at once unless ``max_workers`` (default: one per check) is smaller. A check that
    raises becomes a failed result carrying the exception's message. If ``deadline_s`` is
    given, checks still running after it are reported as failed without waiting for them
    (their threads finish in the background). Results come back in the order of ``checks``.
    """
    named = _named(checks)
    if not named:
        return {}
    started = utc_now()
    executor = ThreadPoolExecutor(max_workers=max_workers or len(named), thread_name_prefix="pantau-probe")
    try:
        futures = {name: executor.submit(check) for name, check in named.items()}
        done, _ = wait(futures.values(), timeout=deadline_s)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    results = {}
    for name, future in futures.items():
        if future not in done:
            results[name] = ProbeResult.failure(f"no result within the round deadline of {deadline_s:g} s", started)
        elif (error := future.exception()) is not None:
            results[name] = ProbeResult.failure(f"check raised {type(error).__name__}: {error}", started)
        elif not isinstance(result := future.result(), ProbeResult):
            results[name] = ProbeResult.failure(f"check returned {type(result).__name__}, not a ProbeResult", started)
        else:
            results[name] = result
    return results


def _named(checks: Mapping[str, Check] | Iterable[Check | tuple[str, Check]]) -> dict[str, Check]:
    items = checks.items() if isinstance(checks, Mapping) else checks
    named: dict[str, Check] = {}
    for position, item in enumerate(items):
        name, check = item if isinstance(item, tuple) else (str(position), item)
        if name in named:
            raise ValueError(f"run_round: check name {name!r} is used twice (item {position})")
        if not callable(check):
            raise TypeError(f"run_round: check {name!r} (item {position}) is not callable: {check!r}")
        named[name] = check
    return named
