"""Server alerts for the IT head: down and recovered, certificates running out, full disks, gone processes.

Every condition has its own dedup key, so one outage is one alert however many rounds it lasts; a new
outage after a recovery is a new alert. Children of a down parent never get here (they are unreachable).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
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
                  zone: ZoneInfo, link: str = PAGE) -> None:
    """Raise the down alert when a monitor goes down; resolve it, saying why, when the outage ends."""
    before, after = transition.before.status, transition.after.status
    if after == "down" and before != "down":
        since = transition.began_at
        raise_alert(
            session, dedup_key=down_key(monitor), source=MONITOR_SOURCE, role=ROLE, severity="critical",
            title=translate("{monitor} is down", lang, monitor=monitor),
            body=translate("Down since {when}: {cause}", lang, when=formatting.moment(since, lang, zone.key),
                           cause=cause),
            link=link, now=since,
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


def certificate_alert(session: Session, monitor: str, days_left: float | None, *, limit_days: float, lang: str,
                      now: datetime, link: str = PAGE) -> None:
    """Alert while the TLS certificate has fewer than ``limit_days`` left; resolve once it is renewed."""
    if days_left is None:
        return
    if days_left >= limit_days:
        clear_condition(session, certificate_key(monitor), note=translate("Certificate renewed.", lang), now=now)
        return
    raise_alert(
        session, dedup_key=certificate_key(monitor), source=MONITOR_SOURCE, role=ROLE,
        severity="critical" if days_left < 3 else "warning",
        title=translate("TLS certificate of {monitor} expires soon", lang, monitor=monitor),
        body=translate("{days} days left.", lang, days=formatting.number(days_left, lang, decimals=1)),
        link=link, now=now,
    )


def host_alerts(session: Session, host: str, disks: dict[str, float | None], processes: dict[str, bool], *,
                disk_limit: float, lang: str, now: datetime) -> list[str]:
    """Alert for each mount above ``disk_limit`` percent and each watched process gone; resolve the rest.

    Returns the dedup keys of the conditions that hold.
    """
    holding: dict[str, tuple[str, str, str]] = {}
    for mount, used in disks.items():
        if used is not None and used > disk_limit:
            holding[f"host:{host}:disk:{mount}"] = (
                "warning" if used < 98 else "critical",
                translate("Disk {mount} on {host} is {percent} full", lang, mount=mount, host=host,
                          percent=formatting.percent(used / 100, lang)),
                translate("Above the limit of {limit}.", lang, limit=formatting.percent(disk_limit / 100, lang)),
            )
    for name, alive in processes.items():
        if not alive:
            holding[f"host:{host}:process:{name}"] = (
                "critical",
                translate("Process {process} is not running on {host}", lang, process=name, host=host),
                translate("No live process named {process} was found.", lang, process=name),
            )
    for key, (severity, title, body) in holding.items():
        raise_alert(session, dedup_key=key, source=HOST_SOURCE, role=ROLE, severity=severity, title=title,
                    body=body, link=f"{PAGE}?host={quote(host)}", now=now)
    live = session.scalars(
        select(Alert.dedup_key).where(Alert.source == HOST_SOURCE, Alert.state.in_(LIVE_STATES),
                                      Alert.dedup_key.startswith(f"host:{host}:", autoescape=True))
    ).all()
    for key in live:
        if key not in holding:
            clear_condition(session, key, note=translate("Back to normal.", lang), now=now)
    return list(holding)
