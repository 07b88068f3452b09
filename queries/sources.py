"""Sources and how fresh their data is: every source's status row (the sources page), the collector's
heartbeat (the banner on every page), and the freshness of a subject's figures (a line on its cards).

A source is stale when its newest data is older than two of its intervals: pages then say "no recent data
since …" in a neutral colour instead of a status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, func, select

from pantau.lease import store_now
from pantau.models import CollectorRun, Monitor, ProbeSample, SourceStatus, utcnow
from pantau.models.monitoring import monitor_label
from pantau.sources import (
    BANK_INBOX,
    BILL_SOURCE,
    COLLECTOR,
    EVENT_SOURCE,
    KINDS,
    MONITOR,
    PROCESS,
    PROCESS_NAME,
)

from .frames import read_frame

STALE_AFTER = 2
"""A source is stale when its newest data is older than this many of its intervals."""

COLUMNS = ["kind", "name", "interval_s", "pushed", "last_attempt_at", "last_success_at", "last_error_at",
           "last_error_kind", "last_error", "last_message", "consecutive_failures", "failing_since",
           "check_requested_at", "check_requested_by"]
TIMES = ("last_attempt_at", "last_success_at", "last_error_at", "failing_since", "check_requested_at")


def is_stale(at: datetime | pd.Timestamp | None, interval_s: float | None, now: datetime) -> bool:
    """Whether data from `at`, expected every `interval_s` seconds, is older than two intervals at `now`
    (never for an unknown interval; always for data that never came from a source with an interval)."""
    if interval_s is None or pd.isna(interval_s) or interval_s <= 0:
        return False
    if at is None or pd.isna(at):
        return True
    return now - pd.Timestamp(at).to_pydatetime() > timedelta(seconds=STALE_AFTER * float(interval_s))


def statuses(engine: Engine, now: datetime | None = None, kinds: Iterable[str] | None = None, *,
             unconfigured: bool = False) -> pd.DataFrame:
    """Every source's status in the page's order (by kind, then name), with its `label` and its `state`:
    ``never`` (no attempt yet), ``failing`` (its latest attempt failed), ``stale`` (no data within two intervals)
    or ``ok``.

    With `unconfigured`, monitors the store knows but no collector reads (no status row: not in the running
    collector's configuration, as in the demo) are listed too, from their newest checks, `configured` False.
    """
    now = now or utcnow()
    query = select(*(getattr(SourceStatus, column) for column in COLUMNS))
    if kinds is not None:
        query = query.where(SourceStatus.kind.in_(list(kinds)))
    frame = read_frame(engine, query, COLUMNS)
    frame["configured"] = True
    if unconfigured and (kinds is None or MONITOR in kinds):
        extra = _unconfigured_monitors(engine, set(frame.loc[frame["kind"] == MONITOR, "name"]))
        frame = pd.concat([frame, extra], ignore_index=True) if not extra.empty else frame
    for column in TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["interval_s"] = frame["interval_s"].astype("float64")
    frame["state"] = [_state(row, now) for row in frame.itertuples()]
    frame["label"] = _labels(engine, frame)
    order = {kind: index for index, kind in enumerate(KINDS)}
    frame["_order"] = frame["kind"].map(order).fillna(len(order))
    return frame.sort_values(["_order", "name"]).drop(columns="_order").reset_index(drop=True)


def display_name(engine: Engine, kind: str, name: str) -> str:
    """What people call one source: a monitor by its label, any other source by its configured name."""
    if kind != MONITOR:
        return name
    with engine.connect() as connection:
        return connection.execute(select(monitor_label()).where(Monitor.name == name)).scalar() or name


def _labels(engine: Engine, frame: pd.DataFrame) -> list[str]:
    """What people call each source: a monitor by its label, any other source by its configured name."""
    if not (frame["kind"] == MONITOR).any():
        return list(frame["name"])
    with engine.connect() as connection:
        monitors = dict(connection.execute(select(Monitor.name, monitor_label())).all())
    return [monitors.get(name, name) if kind == MONITOR else name for kind, name in zip(frame["kind"], frame["name"])]


def _unconfigured_monitors(engine: Engine, known: set[str]) -> pd.DataFrame:
    # each monitor's newest check and newest good check, found from the (monitor_id, checked_at) index
    newest = select(func.max(ProbeSample.checked_at)).where(ProbeSample.monitor_id == Monitor.id)
    query = (
        select(Monitor.name, Monitor.interval_s, newest.correlate(Monitor).scalar_subquery(),
               newest.where(ProbeSample.ok.is_(True)).correlate(Monitor).scalar_subquery())
        .where(Monitor.enabled.is_(True))
    )
    found = read_frame(engine, query, ["name", "interval_s", "last_attempt_at", "last_success_at"])
    found = found[~found["name"].isin(known)]
    if found.empty:
        return pd.DataFrame(columns=COLUMNS + ["configured"])
    extra = pd.DataFrame({column: [None] * len(found) for column in COLUMNS})
    extra["kind"], extra["name"] = MONITOR, found["name"].to_numpy()
    extra["interval_s"] = found["interval_s"].to_numpy(dtype="float64")
    extra["last_attempt_at"] = found["last_attempt_at"].to_numpy()
    extra["last_success_at"] = found["last_success_at"].to_numpy()
    extra["pushed"], extra["consecutive_failures"], extra["configured"] = False, 0, False
    return extra


def _state(row, now: datetime) -> str:
    if row.kind == PROCESS:
        return "stale" if is_stale(row.last_success_at, row.interval_s, now) else "ok"
    if pd.isna(row.last_attempt_at) and pd.isna(row.last_success_at):
        return "never"
    if row.consecutive_failures:
        return "failing"
    return "stale" if is_stale(row.last_success_at, row.interval_s, now) else "ok"


@dataclass(frozen=True)
class Heartbeat:
    """The active collector's last report: when, how often it promised one, who it was, whether it stopped
    on purpose, and whether it has been silent for more than two of its intervals (by the store's clock)."""

    last_seen: datetime | None
    interval_s: float | None
    who: str | None
    stopped_at: datetime | None
    silent: bool


def heartbeat(engine: Engine) -> Heartbeat:
    """The collector process's heartbeat; `silent` when it never reported or not within two intervals."""
    with engine.connect() as connection:
        now = store_now(connection)
        row = connection.execute(
            select(SourceStatus.last_success_at, SourceStatus.interval_s, SourceStatus.last_message,
                   SourceStatus.last_error_at, SourceStatus.last_error_kind)
            .where(SourceStatus.kind == PROCESS, SourceStatus.name == PROCESS_NAME)
        ).one_or_none()
    if row is None:
        return Heartbeat(None, None, None, None, True)
    last, interval, who, error_at, error_kind = row
    stopped_at = error_at if error_kind == "stopped" and error_at and last and error_at >= last else None
    silent = last is None or interval is None or is_stale(last, interval, now)
    return Heartbeat(last, interval, who, stopped_at, silent)


@dataclass(frozen=True)
class Freshness:
    """How old a figure's data is: `at` its newest data (None: unknown), `stale` when a source behind it has
    had nothing within two of its intervals (`since`: the newest data of the stalest source)."""

    at: datetime | None
    stale: bool = False
    since: datetime | None = None


@dataclass(frozen=True)
class Feed:
    """What a figure is read from: kinds of source (their status rows, sources that push excepted), and
    collectors by name (their status rows; their newest successful run when no status row says more, the
    demo's "demo:<subject>" runs in a demo). `collectors` None: any collector."""

    kinds: tuple[str, ...] = ()
    collectors: tuple[str, ...] | None = ()


_BILLS = ("bills", "demo:billing")
_BANK = ("bank-inbox", "demo:bank")
_EVENTS = ("workflow-sources", "sla", "demo:workflow")
FEEDS = {
    "bills": Feed((BILL_SOURCE,), _BILLS),
    "bank": Feed((BANK_INBOX,), _BANK),
    "reconciliation": Feed((BILL_SOURCE, BANK_INBOX), ("reconciliation", *_BILLS, *_BANK)),
    "tokens": Feed((BILL_SOURCE,), ("token-stock", "bills", "demo:tokens")),
    "workflow": Feed((EVENT_SOURCE,), _EVENTS),
    "ktm": Feed((EVENT_SOURCE,), ("ktm-pipeline", "demo:workflow")),
    "ktm-photos": Feed((), ("ktm-photos", "demo:workflow")),
    "accounts": Feed((), ("accounts-expiry", "demo:accounts")),
    "access-requests": Feed((EVENT_SOURCE,), (*_EVENTS, "demo:accounts")),
    "alerts": Feed((PROCESS,), None),
    "servers": Feed((MONITOR,), ("monitors", "demo:monitoring")),
}
"""The feeds figures are drawn from, by name: each card and chart says how old the data of its feed is."""
SUBJECT_FEEDS = {"payments": "reconciliation", "tokens": "tokens", "sla": "workflow", "ktm": "ktm", "kso": "workflow",
                 "accounts": "accounts", "servers": "servers"}
"""The feed of a whole subject (the overview's cards, the line under a page's title)."""


def freshness(engine: Engine, subject: str, now: datetime | None = None, *,
              known: pd.DataFrame | None = None) -> Freshness:
    """The freshness of a subject's figures (`SUBJECT_FEEDS`)."""
    return feed_freshness(engine, FEEDS[SUBJECT_FEEDS[subject]] if subject in SUBJECT_FEEDS else Feed(), now,
                          known=known)


def feed_freshness(engine: Engine, feed: Feed | str, now: datetime | None = None, *,
                   known: pd.DataFrame | None = None) -> Freshness:
    """How old a feed's data is: from the status of the sources and collectors it is read from (as fresh as the
    stalest of them; stale when one has had nothing within two of its intervals), else from its collectors'
    newest successful run (unknown when none ran). `known`: every source's status (`statuses` of all kinds)
    already read, for a page that asks about several feeds."""
    now = now or utcnow()
    feed = FEEDS[feed] if isinstance(feed, str) else feed
    kinds = tuple(feed.kinds) + ((COLLECTOR,) if feed.collectors else ())
    if kinds:
        rows = statuses(engine, now, kinds) if known is None else known[known["kind"].isin(kinds)]
        if not rows.empty:
            named = rows["kind"] != COLLECTOR
            if feed.collectors:
                named |= rows["name"].isin(feed.collectors)
            rows = rows[named & ~rows["pushed"].astype(bool)]
        if not rows.empty:
            stale = rows[[is_stale(at, every, now) for at, every in zip(rows["last_success_at"], rows["interval_s"])]]
            if not stale.empty:
                return Freshness(_moment(rows["last_success_at"].max()), True,
                                 _moment(stale["last_success_at"].min()))
            return Freshness(_moment(rows["last_success_at"].min()))
    query = select(func.max(CollectorRun.finished_at)).where(CollectorRun.ok.is_(True))
    if feed.collectors is not None:
        query = query.where(CollectorRun.collector.in_(feed.collectors))
    with engine.connect() as connection:
        latest = connection.scalar(query)
    return Freshness(_moment(latest))


def _moment(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    return moment.to_pydatetime()
