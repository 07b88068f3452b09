"""The ``h2h-stall`` collector: the H2H link answers ping and TCP while no payment notification arrives.

Pantau sees both sides of a payment: the bank's statement (or export) and the H2H notification. Two
business-level stalls no server check can see:

* **H2H silent** (*H2H diam*): on a day the bank reported at least ``stall_min_credits`` VA credits to
  an account, most came with no notification, and ``stall_minutes`` of working time have passed since
  Pantau saw them. The IT head and the bendahara are alerted with the credits concerned. An account
  ``[banks] accounts`` places at a bank no notification comes from (not BNI or BRI, nor a bank of
  ``snap_partners``: Bank Mandiri without H2H) has no H2H to fall silent and is not checked.
* **Statement missing**: notifications arrived on a working day, but an account's statement of that
  day has not come by ``statement_by_hour`` of the next working day. The bendahara is alerted.

Alerts are raised only in working time (a quiet night is not a stall) and cleared when the condition
is gone (the notifications arrived and were linked, the statement came).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, select

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.alerts.texts import Words
from pantau.banks import NOTIFICATION_BANK, BankSettings
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert, utcnow
from pantau.recon.config import bank_settings
from pantau.settings import Settings
from pantau.sla.context import sla_context
from pantau.workcalendar import WorkingCalendar
from queries import bankfeed

from .config import FeedSettings, feed_settings

SOURCE = "h2h-stall"
SILENT = "h2h-silent:"
MISSING = "statement-missing:"
SILENT_ROLES = ("kepala_it", "bendahara")
SHOWN_CREDITS = 10


@dataclass(frozen=True)
class Stall:
    """One condition found: its alert key, the role told, and its title and body in any language."""

    key: str
    role: str
    words: Words


def find_stalls(engine: Engine, feeds: FeedSettings, calendar: WorkingCalendar, now: datetime,
                banks: BankSettings | None = None) -> list[Stall]:
    """Every stall that holds at ``now`` (none outside working time); ``banks`` tells the accounts without H2H."""
    if not calendar.is_working_time(now):
        return []
    since = now - timedelta(days=feeds.stall_lookback_days)
    return [*_silent(engine, feeds, calendar, now, since, banks or BankSettings()),
            *_missing(engine, feeds, calendar, now, since)]


def _silent(engine: Engine, feeds: FeedSettings, calendar: WorkingCalendar, now: datetime, since: datetime,
            banks: BankSettings) -> list[Stall]:
    credits = bankfeed.statement_credits(engine, since=since)
    notifying = {*NOTIFICATION_BANK.values(), *banks.snap_partners.values()}
    credits = credits[[banks.account_bank(account) in (None, *notifying) for account in credits["account"]]]
    if credits.empty:
        return []
    zone = str(calendar.zone)
    credits["day"] = pd.to_datetime(credits["booked_at"], utc=True).dt.tz_convert(zone).dt.date
    seen = credits["imported_at"].fillna(credits["booked_at"])
    waited = [calendar.elapsed(min(moment.to_pydatetime(), now), now) for moment in seen]
    credits["waited"] = [span >= timedelta(minutes=feeds.stall_minutes) for span in waited]
    stalls = []
    for (account, day), group in credits.groupby(["account", "day"], dropna=False, sort=True):
        silent = group[~group["notified"] & group["waited"]]
        if len(silent) < feeds.stall_min_credits or len(silent) <= int(group["notified"].sum()):
            continue
        def words(lang: str, account=account, day=day, silent=silent) -> tuple[str, str]:
            listed = "; ".join(f"VA {row.va_number} {formatting.rupiah(row.amount, lang)}"
                               for row in silent.head(SHOWN_CREDITS).itertuples())
            return (translate("H2H silent: money arrived at the bank, no notification came (account {account})",
                              lang, account=account or "–"),
                    translate("{count} VA credits of {day} reached the bank without an H2H notification: {credits}.",
                              lang, count=len(silent), day=formatting.day(day, lang), credits=listed))

        stalls += [Stall(f"{SILENT}{account}:{role}", role, words) for role in SILENT_ROLES]
    return stalls


def _missing(engine: Engine, feeds: FeedSettings, calendar: WorkingCalendar, now: datetime,
             since: datetime) -> list[Stall]:
    statements = bankfeed.latest_statements(engine)
    notified = bankfeed.notification_days(engine, since=since, zone=str(calendar.zone))
    if statements.empty or notified.empty:
        return []
    local = calendar.local(now)
    due_days = [day for day in notified["day"]
                if calendar.is_working_day(day) and _statement_due(calendar, day, feeds) <= local]
    stalls = []
    for account, closing in statements.itertuples(index=False):
        missing = [day for day in due_days if closing is None or day > closing]
        if not missing:
            continue
        stalls.append(Stall(f"{MISSING}{account}", "bendahara", lambda lang, account=account, day=missing[0],
                            closing=closing: (
            translate("Bank statement missing: account {account}", lang, account=account or "–"),
            translate("Notifications arrived on {day}, but the statement of that day has not come; the latest "
                      "is of {latest}.", lang, day=formatting.day(day, lang), latest=formatting.day(closing, lang)))))
    return stalls


def _statement_due(calendar: WorkingCalendar, day, feeds: FeedSettings) -> datetime:
    """When the statement of ``day`` should be there: ``statement_by_hour`` of the next working day."""
    next_day = day + timedelta(days=1)
    while not calendar.is_working_day(next_day):
        next_day += timedelta(days=1)
    return datetime.combine(next_day, datetime.min.time(), calendar.zone) + timedelta(hours=feeds.statement_by_hour)


def report(engine: Engine, stalls: list[Stall], *, checked: bool, now: datetime, language: str = "id") -> None:
    """Raise each stall's alert; clear the live ones no longer found (only when the check ran: a night
    does not clear a stall of the afternoon)."""
    with session_scope(engine) as session:
        for stall in stalls:
            raise_alert(session, dedup_key=stall.key, source=SOURCE, role=stall.role, words=stall.words, lang=language,
                        severity="critical" if stall.key.startswith(SILENT) else "warning",
                        link="/pembayaran", now=now)
        if not checked:
            return
        live = session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES)))
        for key in set(live) - {stall.key for stall in stalls}:
            clear_condition(session, key, note="notifications and statements flow again", now=now)


@register
class H2hStallCollector(Collector):
    """Every ``[feeds] stall_check_s``: compare what the statements and the notifications report."""

    name = "h2h-stall"

    @property
    def interval_s(self) -> float:
        return feed_settings(self.settings).stall_check_s

    def run(self, now: datetime | None = None) -> CollectorResult:
        now = now or utcnow()
        calendar = sla_context(self.settings).calendar
        feeds = feed_settings(self.settings)
        stalls = find_stalls(self.engine, feeds, calendar, now, bank_settings(self.settings))
        report(self.engine, stalls, checked=calendar.is_working_time(now), now=now, language=self.settings.language)
        return CollectorResult(len(stalls), f"{len(stalls)} stall alerts" if stalls else "no stall")


def check(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Run the check once (for the demo's settling and the command line); returns the alerts raised."""
    return H2hStallCollector(settings, engine).run(now).items
