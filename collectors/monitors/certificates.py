"""Certificate alerts from the newest certificate reading of each https monitor, as the server page shows it.

A reading says how many days a certificate had left when it was read; its expiry does not wait for the next
successful probe, so the days left now are the reading's less the time since. One pass raises, escalates
and clears every certificate alert: run after each round of checks, and once after the demo is seeded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from pantau.alerts import LIVE_STATES, clear_condition
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert, utcnow

from . import alerts

DAY_S = 86_400.0


def certificate_alerts(engine: Engine, *, limit_days: float, lang: str, zone: str,
                       now: datetime | None = None) -> dict[str, int]:
    """Bring every monitor's certificate alert in line with its newest reading; return each monitor's stage
    (0 none, 1 warning, 2 escalated at 7 days, 3 critical at 1 day, 4 expired). An alert whose monitor has no
    reading any more (removed, or no longer https) is cleared."""
    from queries.servers import certificates  # here: queries.servers reads this package's maintenance rules

    now = now or utcnow()
    readings = certificates(engine)
    stages: dict[str, int] = {}
    with session_scope(engine) as session:
        for row in readings.itertuples():
            days_left = row.days_left - (now - row.checked_at.to_pydatetime()).total_seconds() / DAY_S
            stages[row.monitor] = alerts.certificate_alert(
                session, row.monitor, days_left, limit_days=limit_days, lang=lang, now=now, zone=zone,
                link=f"{alerts.PAGE}?monitor={row.monitor_id}")
        kept = {alerts.certificate_key(monitor) for monitor in stages}
        live = session.scalars(select(Alert.dedup_key).where(
            Alert.source == alerts.MONITOR_SOURCE, Alert.state.in_(LIVE_STATES),
            Alert.dedup_key.like("monitor:%:certificate"))).all()
        note = translate("The monitor no longer reads a certificate.", lang)
        for key in sorted(set(live) - kept):
            clear_condition(session, key, note=note, now=now)
    return stages
