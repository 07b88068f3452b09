"""Server alerts for the IT head: down and recovered, certificates running out, full disks, gone processes.

Every condition has its own dedup key, so one outage is one alert however many rounds it lasts; a new
outage after a recovery is a new alert. Children of a down parent never get here (they are unreachable).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.alerts.texts import Words
from pantau.i18n import translate
from pantau.models import Alert

from .state import Transition

ROLE = "kepala_it"
MONITOR_SOURCE = "monitors"
HOST_SOURCE = "host-metrics"
PAGE = "/server"


def down_key(monitor: str) -> str:
    return f"monitor:{monitor}:down"


def certificate_key(monitor: str) -> str:
    return f"monitor:{monitor}:certificate"


def on_transition(session: Session, monitor: str, transition: Transition, cause: str, *, lang: str,
                  zone: ZoneInfo, link: str = PAGE, label: str | None = None) -> None:
    """Raise the down alert when a monitor goes down, naming it by its `label` (else its name); resolve it,
    saying why, when the outage ends."""
    before, after = transition.before.status, transition.after.status
    if after == "down" and before != "down":
        since = transition.began_at
        raise_alert(
            session, dedup_key=down_key(monitor), source=MONITOR_SOURCE, role=ROLE, severity="critical",
            words=lambda lang: (
                translate("{monitor} is down", lang, monitor=label or monitor),
                translate("Down since {when}: {cause}", lang, when=formatting.moment(since, lang, zone.key),
                          cause=cause)),
            lang=lang, link=link, now=since,
        )
    elif before == "down" and after != "down":
        if after in ("up", "degraded"):
            outage = transition.ended_at - (transition.before.since or transition.ended_at)
            note = translate("Recovered after {duration}.", lang, duration=formatting.duration(outage, lang))
        elif after == "maintenance":
            note = translate("Maintenance began.", lang)
        else:
            note = translate("Unreachable while the monitor it depends on is down.", lang)
        clear_condition(session, down_key(monitor), note=note, now=transition.ended_at)


ESCALATE_DAYS = (7.0, 1.0)
"""Besides `cert_alert_days`, the days left at which a certificate alert escalates; at the last, and once
expired, it is critical."""


def certificate_stage(days_left: float, limit_days: float) -> int:
    """0 while the certificate has more than ``limit_days`` left; then 1 (warning), 2 at 7 days (warning,
    escalated), 3 at 1 day (critical), 4 once expired (critical)."""
    if days_left <= 0:
        return 4
    if days_left > limit_days:
        return 0
    return 1 + sum(days_left <= bound for bound in ESCALATE_DAYS)


_CERT_TITLES = {
    1: "TLS certificate of {monitor} expires soon",
    2: "TLS certificate of {monitor} expires within 7 days",
    3: "TLS certificate of {monitor} expires within a day",
    4: "TLS certificate of {monitor} has expired",
}


def certificate_alert(session: Session, monitor: str, days_left: float | None, *, limit_days: float, lang: str,
                      now: datetime, link: str = PAGE, zone: str = "Asia/Jakarta") -> int | None:
    """Alert from ``limit_days`` left (warning), escalate at 7 and 1 days (critical from 1 day, and once
    expired); resolve once the certificate is renewed. Returns the stage (see :func:`certificate_stage`),
    or None when ``days_left`` is unknown (nothing changes)."""
    if days_left is None:
        return None
    stage = certificate_stage(days_left, limit_days)
    if stage == 0:
        clear_condition(session, certificate_key(monitor), now=now, note=translate(
            "Certificate renewed: {days} days left.", lang, days=formatting.number(days_left, lang, decimals=1)))
        return 0

    def words(lang: str) -> tuple[str, str]:
        until = formatting.moment(now + timedelta(days=days_left), lang, zone)
        days = formatting.number(abs(days_left), lang, decimals=1)
        body = (translate("Expired {when}, {days} days ago.", lang, when=until, days=days) if stage == 4 else
                translate("{days} days left, until {when}.", lang, days=days, when=until))
        return translate(_CERT_TITLES[stage], lang, monitor=monitor), body

    raise_alert(
        session, dedup_key=certificate_key(monitor), source=MONITOR_SOURCE, role=ROLE,
        severity="critical" if stage >= 3 else "warning", level=stage, words=words, lang=lang, link=link, now=now,
    )
    return stage


def host_alerts(session: Session, host: str, disks: dict[str, float | None], processes: dict[str, bool], *,
                disk_limit: float, lang: str, now: datetime) -> list[str]:
    """Alert for each mount above ``disk_limit`` percent and each watched process gone; resolve the rest.

    Returns the dedup keys of the conditions that hold.
    """
    holding: dict[str, tuple[str, Words]] = {}
    for mount, used in disks.items():
        if used is not None and used > disk_limit:
            holding[f"host:{host}:disk:{mount}"] = (
                "warning" if used < 98 else "critical", lambda say, mount=mount, used=used: (
                    translate("Disk {mount} on {host} is {percent} full", say, mount=mount, host=host,
                              percent=formatting.percent(used / 100, say)),
                    translate("Above the limit of {limit}.", say, limit=formatting.percent(disk_limit / 100, say))))
    for name, alive in processes.items():
        if not alive:
            holding[f"host:{host}:process:{name}"] = ("critical", lambda say, name=name: (
                translate("Process {process} is not running on {host}", say, process=name, host=host),
                translate("No live process named {process} was found.", say, process=name)))
    for key, (severity, words) in holding.items():
        raise_alert(session, dedup_key=key, source=HOST_SOURCE, role=ROLE, severity=severity, words=words, lang=lang,
                    link=f"{PAGE}?host={quote(host)}", now=now)
    live = session.scalars(
        select(Alert.dedup_key).where(Alert.source == HOST_SOURCE, Alert.state.in_(LIVE_STATES),
                                      Alert.dedup_key.startswith(f"host:{host}:", autoescape=True))
    ).all()
    for key in live:
        if key not in holding:
            clear_condition(session, key, note=translate("Back to normal.", lang), now=now)
    return list(holding)
