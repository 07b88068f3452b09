"""Writing a source's status: every attempt (by the scheduler around a collector's run, by collectors for
each of their sources, by the push APIs for each push), the failing-source alerts they lead to, the collector
process's heartbeat, the sources a collector declares, and the sources page's "check now" requests.

Reads go through `queries.sources`. All writes happen in the caller's session (they commit with the data they
describe), except the heartbeat, which is one statement of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau import formatting
from pantau.alerts import clear_condition, raise_alert
from pantau.i18n import translate
from pantau.lease import store_now
from pantau.models import SourceStatus, utcnow
from pantau.settings import Settings

from .errors import WORDS, describe_error
from .kinds import AGENT, ALERTED, KIND_NAMES, PROCESS, SourceRef, alert_key, link_for, owner

ALERT_SOURCE = "sources"
PROCESS_NAME = "collector"
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _ensure(session: Session, kind: str, name: str, **values) -> SourceStatus:
    """The source's row, locked for this transaction on PostgreSQL, made first if there is none (a concurrent
    maker is harmless: one insert wins)."""
    insert = _INSERTS[session.get_bind().dialect.name](SourceStatus)
    session.execute(insert.values(kind=kind, name=name[:120], consecutive_failures=0, pushed=False, **values)
                    .on_conflict_do_nothing(index_elements=["kind", "name"]))
    return session.scalars(
        select(SourceStatus).where(SourceStatus.kind == kind, SourceStatus.name == name[:120])
        .with_for_update().execution_options(populate_existing=True)
    ).one()


def record_attempt(session: Session, settings: Settings, kind: str, name: str, *, ok: bool,
                   at: datetime | None = None, error: BaseException | str | None = None, message: str | None = None,
                   interval_s: float | None = None, pushed: bool | None = None,
                   error_kind: str | None = None) -> SourceStatus:
    """Record one attempt to read (or one push from) a source: a success clears its run of failures (and
    resolves its failing alert, saying how long the outage lasted); a failure is kept in plain words and,
    after the kind's configured number in a row, alerts the source's owner once. `error_kind` (one of
    `errors.KINDS`) says what failed where the caller knows better than the error's text (a refused file)."""
    at = at or utcnow()
    row = _ensure(session, kind, name)
    if interval_s is not None:
        row.interval_s = float(interval_s)
    if pushed is not None:
        row.pushed = pushed
    row.last_attempt_at = at
    if ok:
        if row.consecutive_failures:
            _recovered(session, settings, row, at)
        row.last_success_at, row.last_message = at, (message or None) and message[:2000]
        row.consecutive_failures, row.failing_since = 0, None
        return row
    row.last_error_kind, row.last_error = describe_error(error)
    row.last_error_kind = error_kind or row.last_error_kind
    row.last_error_at = at
    row.failing_since = row.failing_since or at
    row.consecutive_failures += 1
    _failing(session, settings, row, at)
    return row


def threshold(settings: Settings, kind: str) -> int:
    """Failed attempts in a row after which a source of `kind` alerts its owner (0: never)."""
    if kind not in ALERTED:
        return 0
    return int(settings.source_status.failures.get(kind, 3))


def source_label(kind: str, name: str, lang: str) -> str:
    """`Sumber tagihan keuangan` / `Bill source keuangan`."""
    return f"{translate(KIND_NAMES.get(kind, kind), lang)} {name}"


def failure_text(kind: str, name: str, error_kind: str | None, detail: str | None, lang: str) -> str:
    """A failure in plain words naming the source: `Bill source keuangan could not be reached: <detail>`."""
    words = translate(WORDS.get(error_kind or "other", WORDS["other"]), lang)
    head = f"{source_label(kind, name, lang)} {words}"
    return f"{head}: {detail}" if detail else head


def _failing(session: Session, settings: Settings, row: SourceStatus, at: datetime) -> None:
    limit = threshold(settings, row.kind)
    if not limit or row.consecutive_failures < limit:
        return
    zone, role = settings.timezone, owner(row.kind, row.name)

    def words(lang: str) -> tuple[str, str]:
        return (translate("{source} is failing", lang, source=source_label(row.kind, row.name, lang)),
                translate("{count} attempts in a row have failed since {when}. Last: {failure}", lang,
                          count=row.consecutive_failures, when=formatting.moment(row.failing_since, lang, zone),
                          failure=failure_text(row.kind, row.name, row.last_error_kind, row.last_error, lang)))

    raise_alert(session, dedup_key=alert_key(row.kind, row.name), source=ALERT_SOURCE, role=role, words=words,
                lang=settings.language, severity="warning", link=link_for(role), now=at)


def _recovered(session: Session, settings: Settings, row: SourceStatus, at: datetime) -> None:
    lang = settings.language
    outage = at - (row.failing_since or at)
    note = translate("Recovered after {duration}; {count} attempts in a row had failed.", lang,
                     duration=formatting.duration(max(outage, timedelta(0)), lang), count=row.consecutive_failures)
    clear_condition(session, alert_key(row.kind, row.name), note=note, now=at)


def declare(session: Session, refs: Iterable[SourceRef], *, retire: bool = False, lang: str = "id") -> None:
    """Make a row for each source a collector reads, with its interval, so the sources page lists it before
    its first attempt. With `retire`, rows of sources no longer read (not pushed, not the process) go, and
    their failing alerts resolve."""
    refs = list(refs)
    for ref in refs:
        row = _ensure(session, ref.kind, ref.name)
        row.interval_s, row.pushed = ref.interval_s, ref.pushed
    if not retire:
        return
    keep = {(ref.kind, ref.name[:120]) for ref in refs}
    gone = [row for row in session.scalars(select(SourceStatus).where(
        SourceStatus.pushed.is_(False), SourceStatus.kind != PROCESS)) if (row.kind, row.name) not in keep]
    for row in gone:
        clear_condition(session, alert_key(row.kind, row.name), note=translate("No longer configured.", lang))
        session.delete(row)


def heartbeat(engine: Engine, *, interval_s: float, who: str) -> datetime:
    """The active collector says it is alive (by the store's clock, like the lease); returns the time."""
    with engine.begin() as connection:
        now = store_now(connection)
        values = dict(last_attempt_at=now, last_success_at=now, interval_s=float(interval_s), last_message=who[:2000],
                      consecutive_failures=0, failing_since=None, last_error_kind=None, last_error=None)
        done = connection.execute(update(SourceStatus).where(
            SourceStatus.kind == PROCESS, SourceStatus.name == PROCESS_NAME).values(**values)).rowcount
        if not done:
            insert = _INSERTS[connection.dialect.name](SourceStatus)
            connection.execute(insert.values(kind=PROCESS, name=PROCESS_NAME, pushed=False, **values)
                               .on_conflict_do_nothing(index_elements=["kind", "name"]))
    return now


def stopped(engine: Engine, *, who: str) -> None:
    """The active collector stops on purpose: say so (the banner then says since when nothing ran)."""
    with engine.begin() as connection:
        now = store_now(connection)
        connection.execute(update(SourceStatus).where(SourceStatus.kind == PROCESS, SourceStatus.name == PROCESS_NAME)
                           .values(last_error_at=now, last_error_kind="stopped", last_error=who[:300]))


class NotCheckable(ValueError):
    """The source cannot be checked from here (it pushes its data, or it is the collector itself)."""


def request_check(session: Session, kind: str, name: str, *, by: str, at: datetime | None = None) -> SourceStatus:
    """Ask the active collector to check a source once, now (it looks every heartbeat). LookupError for an
    unknown source, NotCheckable for a pushed one or the collector process."""
    row = session.get(SourceStatus, (kind, name))
    if row is None:
        raise LookupError(f"no source {kind} {name!r}")
    if row.pushed or row.kind == PROCESS:
        raise NotCheckable(f"{kind} {name!r} sends its data itself; it cannot be checked from here")
    row.check_requested_at = at or utcnow()
    row.check_requested_by = by[:80]
    return row


def pending_checks(session: Session) -> list[tuple[str, str, datetime]]:
    """The sources whose check was asked for and not yet done, oldest request first."""
    return [tuple(row) for row in session.execute(
        select(SourceStatus.kind, SourceStatus.name, SourceStatus.check_requested_at)
        .where(SourceStatus.check_requested_at.is_not(None)).order_by(SourceStatus.check_requested_at)
    )]


def finish_check(session: Session, kind: str, name: str, requested_at: datetime) -> None:
    """Clear a request once its check ran (a newer request made meanwhile stays)."""
    session.execute(update(SourceStatus).where(
        SourceStatus.kind == kind, SourceStatus.name == name, SourceStatus.check_requested_at == requested_at,
    ).values(check_requested_at=None, check_requested_by=None))


def check_silent(session: Session, settings: Settings, now: datetime | None = None) -> list[str]:
    """Count a pushing host agent as failing for each interval it stays silent beyond two of them (its next
    push resolves the alert that follows); returns the names of the silent agents."""
    now = now or utcnow()
    silent = []
    rows = session.scalars(select(SourceStatus).where(SourceStatus.kind == AGENT,
                                                      SourceStatus.last_success_at.is_not(None))).all()
    for row in rows:
        every = timedelta(seconds=row.interval_s or settings.source_status.agent_every_s)
        age = now - row.last_success_at
        if age <= 2 * every:
            continue
        missed = int(age / every) - 1
        silent.append(row.name)
        locked = _ensure(session, row.kind, row.name)
        if missed <= locked.consecutive_failures and locked.last_error_kind == "silent":
            continue
        locked.consecutive_failures = max(missed, locked.consecutive_failures)
        locked.failing_since = locked.failing_since or locked.last_success_at + every
        locked.last_error_kind, locked.last_error, locked.last_error_at = "silent", "", now
        _failing(session, settings, locked, now)
    return silent


def forget(session: Session, keys: Iterable[tuple[str, str]]) -> int:
    """Remove the rows of these sources (kind, name); returns how many went."""
    keys = list(keys)
    if not keys:
        return 0
    return session.execute(delete(SourceStatus).where(tuple_(SourceStatus.kind, SourceStatus.name).in_(keys))
                           ).rowcount


__all__ = ["NotCheckable", "check_silent", "declare", "failure_text", "finish_check", "forget", "heartbeat",
           "pending_checks", "record_attempt", "request_check", "source_label", "stopped", "threshold"]
