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
from sqlalchemy import Engine, case, func, select

from pantau.lease import store_now
from pantau.models import CollectorRun, Monitor, ProbeSample, SourceStatus, utcnow
from pantau.sources import BANK_INBOX, BILL_SOURCE, EVENT_SOURCE, KINDS, MONITOR, PROCESS, PROCESS_NAME

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
    """Every source's status in the page's order (by kind, then name), with its `state`: ``never`` (no attempt
    yet), ``failing`` (its latest attempt failed), ``stale`` (no data within two intervals) or ``ok``.

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
    order = {kind: index for index, kind in enumerate(KINDS)}
    frame["_order"] = frame["kind"].map(order).fillna(len(order))
    return frame.sort_values(["_order", "name"]).drop(columns="_order").reset_index(drop=True)


def _unconfigured_monitors(engine: Engine, known: set[str]) -> pd.DataFrame:
    query = (
        select(Monitor.name, Monitor.interval_s, func.max(ProbeSample.checked_at),
               func.max(case((ProbeSample.ok.is_(True), ProbeSample.checked_at))))
        .outerjoin(ProbeSample, ProbeSample.monitor_id == Monitor.id)
        .where(Monitor.enabled.is_(True))
        .group_by(Monitor.id, Monitor.name, Monitor.interval_s)
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


SUBJECT_KINDS = {
    "payments": (BILL_SOURCE, BANK_INBOX),
    "tokens": (BILL_SOURCE,),
    "sla": (EVENT_SOURCE,),
    "ktm": (EVENT_SOURCE,),
    "kso": (EVENT_SOURCE,),
    "accounts": (),
    "servers": (MONITOR,),
}
SUBJECT_COLLECTORS = {
    "payments": ("bills", "bank-inbox", "reconciliation", "demo:billing", "demo:bank"),
    "tokens": ("token-stock", "bills", "demo:tokens"),
    "sla": ("workflow-sources", "sla", "demo:workflow"),
    "ktm": ("ktm-pipeline", "ktm-photos", "demo:workflow"),
    "kso": ("workflow-sources", "sla", "demo:workflow"),
    "accounts": ("accounts-expiry", "demo:accounts"),
    "servers": ("monitors", "demo:monitoring"),
}


def freshness(engine: Engine, subject: str, now: datetime | None = None) -> Freshness:
    """The freshness of a subject's figures: from the status of the sources it is read from (as fresh as the
    stalest of them), else from its collectors' newest successful run (the demo's, in a demo)."""
    now = now or utcnow()
    kinds = SUBJECT_KINDS.get(subject, ())
    if kinds:
        rows = statuses(engine, now, kinds)
        rows = rows[~rows["pushed"].astype(bool)] if not rows.empty else rows
        if not rows.empty:
            stale = rows[[is_stale(at, every, now) for at, every in zip(rows["last_success_at"], rows["interval_s"])]]
            newest = rows["last_success_at"].max()
            oldest = rows["last_success_at"].min()
            if not stale.empty:
                since = stale["last_success_at"].min()
                return Freshness(_moment(newest), True, _moment(since))
            return Freshness(_moment(oldest))
    names = SUBJECT_COLLECTORS.get(subject, ())
    with engine.connect() as connection:
        latest = connection.scalar(select(func.max(CollectorRun.finished_at))
                                   .where(CollectorRun.ok.is_(True), CollectorRun.collector.in_(names)))
    return Freshness(_moment(latest))


def _moment(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    return moment.to_pydatetime()
