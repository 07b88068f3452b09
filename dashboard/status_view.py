"""What the public status page says, in one language: a plain dict built from the published data only
(service labels, states, days, incident posts, maintenance times, payment periods), which the HTML page,
`/status.json` and `/status.atom` all render. No monitor name, target, cause, alert or person is read into it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

import queries.public_status as public
from pantau import formatting, semesters
from pantau.i18n import translate
from pantau.models import utcnow
from pantau.settings import KpiThreshold, Settings
from pantau.statuspage import StatusSettings
from queries.servers import maintenance

STATES = {"up": "operational", "degraded": "degraded", "down": "disrupted", "unreachable": "disrupted",
          "maintenance": "maintenance", "pending": "unknown"}
STATE_WORDS = {"operational": "operational", "degraded": "slow", "disrupted": "disrupted",
               "maintenance": "under maintenance", "unknown": "no recent data"}
POST_WORDS = {"investigating": "Investigating", "identified": "Cause identified", "monitoring": "Monitoring",
              "resolved": "Resolved"}
KIND_WORDS = {"herregistrasi": "re-registration", "registrasi": "registration", "sipenmatu": "application fee"}
STALE_INTERVALS = 3
DEFAULT_TARGET = KpiThreshold(good=0.995, warn=0.98)


def snapshot(engine: Engine, settings: Settings, options: StatusSettings, lang: str,
             now: datetime | None = None) -> dict:
    """The page's content at ``now`` in ``lang``."""
    now = now or utcnow()
    zone = settings.timezone

    def t(text: str, **values) -> str:
        return translate(text, lang, **values)

    shown = public.services(engine)
    days = public.daily_uptime(engine, shown["monitor_id"].tolist(), days=options.days, zone=zone, now=now)
    target = settings.thresholds.get("availability_30d", DEFAULT_TARGET)
    services = [_service(row, days, options.days, target, now, zone, lang, t) for row in shown.itertuples()]
    labels = {row.monitor_id: _label(row, lang) for row in shown.itertuples()}
    states = [service["state"] for service in services]
    overall = ("none" if not states else "disrupted" if "disrupted" in states else
               "operational" if set(states) == {"operational"} else "partial")
    overall_words = {"none": "No service is published yet.", "disrupted": "Some services are disrupted",
                     "operational": "All services are running normally",
                     "partial": "Some services are slow, under maintenance or without recent data"}
    return {
        "institution": settings.institution,
        "language": lang,
        "generated_at": now.isoformat(),
        "generated_text": formatting.moment(now, lang, zone),
        "overall": {"state": overall, "text": t(overall_words[overall])},
        "services": services,
        "incidents": _incidents(engine, now - timedelta(days=options.incident_days), zone, lang, t),
        "maintenance": _maintenance(engine, labels, now, options.maintenance_days, zone, lang, t),
        "periods": _periods(engine, options, now, zone, lang, t) if options.payment_periods else [],
    }


def _label(row, lang: str) -> str:
    return row.label_en if lang == "en" and isinstance(row.label_en, str) and row.label_en else row.label


def _service(row, days: pd.DataFrame, span: int, target: KpiThreshold, now: datetime, zone: str, lang: str,
             t) -> dict:
    label = _label(row, lang)
    state = STATES.get(row.status, "unknown")
    stale_after = timedelta(seconds=STALE_INTERVALS * float(row.interval_s or 60))
    if pd.isna(row.checked_at) or now - row.checked_at.to_pydatetime() > stale_after:
        state = "unknown"
    own = {day.day: (int(day.up), int(day.down), int(day.maintenance))
           for day in days[days["monitor_id"] == row.monitor_id].itertuples()}
    today = now.astimezone(ZoneInfo(zone)).date()
    bar = [_day(day, own.get(day), float(row.interval_s or 60), target, lang, t)
           for day in (today - timedelta(days=offset) for offset in range(span - 1, -1, -1))]
    up, down = sum(found[0] for found in own.values()), sum(found[1] for found in own.values())
    uptime = up / (up + down) if up + down else None
    since = row.status_since.to_pydatetime() if not pd.isna(row.status_since) else None
    return {
        "id": int(row.service_id),
        "label": label,
        "state": state,
        "state_text": t(STATE_WORDS[state]),
        "text": t("{service}: {state}", service=label, state=t(STATE_WORDS[state])),
        "since": since.isoformat() if since and state != "unknown" else None,
        "since_text": formatting.moment(since, lang, zone) if since and state != "unknown" else None,
        "uptime": uptime,
        "uptime_text": t("{percent} up over {days} days", percent=formatting.percent(uptime, lang, 2),
                         days=span) if uptime is not None else t("No checks in the last {days} days", days=span),
        "days": bar,
    }


@lru_cache(maxsize=4096)
def _day_name(day: date, lang: str) -> str:
    return formatting.day(day, lang)


@lru_cache(maxsize=4096)
def _percent(ratio: float, lang: str) -> str:
    return formatting.percent(ratio, lang, 1)


def _day(day: date, found: tuple[int, int, int] | None, interval_s: float, target: KpiThreshold, lang: str,
         t) -> dict:
    """One bar of a service: the day's uptime of checks (up, down, maintenance), its colour and its words."""
    when = _day_name(day, lang)
    up, down, kept = found or (0, 0, 0)
    if up + down == 0:
        maintained = kept > 0
        return {"date": day.isoformat(), "state": "maintenance" if maintained else "none", "uptime": None,
                "text": t("{day}: maintenance", day=when) if maintained else t("{day}: no data", day=when)}
    uptime = up / (up + down)
    state = "good" if uptime >= target.good else "warn" if uptime >= target.warn else "bad"
    text = t("{day}: {percent} normal", day=when, percent=_percent(round(uptime, 3), lang))
    if down:
        text += " · " + t("disrupted about {span}", span=formatting.duration(down * interval_s, lang))
    return {"date": day.isoformat(), "state": state, "uptime": uptime, "text": text}


def _incidents(engine: Engine, since: datetime, zone: str, lang: str, t) -> list[dict]:
    posts, notes = public.incident_posts(engine, since)
    found = []
    for post in posts.itertuples():
        own = notes[notes["post_id"] == post.post_id]
        updates = [{
            "state": note.state, "state_text": t(POST_WORDS.get(note.state, note.state)),
            "note": note.note_en if lang == "en" and isinstance(note.note_en, str) and note.note_en else note.note,
            "posted_at": note.posted_at.isoformat(), "posted_text": formatting.moment(note.posted_at, lang, zone),
            "edited_at": None if pd.isna(note.edited_at) else note.edited_at.isoformat(),
            "edited_text": None if pd.isna(note.edited_at) else t(
                "updated {moment}", moment=formatting.moment(note.edited_at, lang, zone)),
        } for note in own.itertuples()]
        state = updates[-1]["state"] if updates else "investigating"
        ended = post.ended_at.to_pydatetime() if not pd.isna(post.ended_at) else None
        found.append({
            "id": int(post.post_id),
            "service": _label(post, lang),
            "title": post.title_en if lang == "en" and isinstance(post.title_en, str) and post.title_en else post.title,
            "state": state,
            "state_text": t(POST_WORDS.get(state, state)),
            "started_at": post.started_at.isoformat(),
            "started_text": formatting.moment(post.started_at, lang, zone),
            "ended_at": ended.isoformat() if ended else None,
            "ended_text": formatting.moment(ended, lang, zone) if ended else None,
            "updated_at": max((u["edited_at"] or u["posted_at"] for u in updates), default=post.started_at.isoformat()),
            "updates": list(reversed(updates)),
        })
    return found


def _maintenance(engine: Engine, labels: dict[int, str], now: datetime, days: int, zone: str, lang: str,
                 t) -> list[dict]:
    if not labels:
        return []
    windows = maintenance(engine, now, now + timedelta(days=days), zone, monitor_ids=list(labels))
    found, seen = [], set()
    for window in windows.itertuples():
        rule = window.rule if isinstance(window.rule, str) and window.rule else None  # a one-off window: NaN
        key = (window.monitor_id, rule) if rule else (window.monitor_id, window.starts_at)
        if key in seen:
            continue  # a recurring window is announced by its next occurrence
        seen.add(key)
        starts, ends = window.starts_at.to_pydatetime(), window.ends_at.to_pydatetime()
        span = t("{day} {start} to {end}", day=formatting.day(starts, lang, zone),
                 start=formatting.clock(starts, lang, zone), end=formatting.clock(ends, lang, zone))
        found.append({
            "service": labels[window.monitor_id],
            "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "ongoing": starts <= now, "recurring": rule is not None,
            "text": t("Scheduled maintenance of {service}: {span}", service=labels[window.monitor_id], span=span)
            + (" (" + t("recurring") + ")" if rule else ""),
        })
    return found


def _periods(engine: Engine, options: StatusSettings, now: datetime, zone: str, lang: str, t) -> list[dict]:
    where = ZoneInfo(zone)
    today = now.astimezone(where).date()
    periods, extensions = public.payment_periods(engine, today, options.period_recent_days)
    found = []
    for period in periods.itertuples():
        name = (f"{t(KIND_WORDS.get(period.name, period.name))} {semesters.label(period.semester, lang)}"
                if period.source == "bills" else period.name)
        ends = datetime.combine(period.ends_on, options.payment_closes_at, where)
        words = "Payment period {name} ends {day} at {time}" if ends > now else \
            "Payment period {name} ended {day} at {time}"
        moved = extensions[extensions["wave_id"] == period.wave_id] if period.source == "wave" else extensions[:0]
        found.append({
            "name": name, "ends_at": ends.isoformat(), "ended": ends <= now,
            "text": t(words, name=name, day=formatting.day(ends, lang, zone), time=formatting.clock(ends, lang, zone)),
            "extensions": [{
                "from": row.previous_deadline.isoformat(), "to": row.new_deadline.isoformat(),
                "announced_at": row.recorded_at.isoformat() if hasattr(row.recorded_at, "isoformat") else None,
                "text": t("Extended from {old} to {new} (announced {when})", old=formatting.day(row.previous_deadline,
                          lang), new=formatting.day(row.new_deadline, lang),
                          when=formatting.day(row.recorded_at, lang, zone)),
            } for row in moved.itertuples()],
        })
    return found
