"""The demo's public status page: a few services published under plain-language labels, one past incident
with the IT head's public notes, and one scheduled maintenance, so /status shows something real at once.

Published the way an administrator publishes on /publikasi-status (`pantau.statuspage`, audited as the demo
administrator and IT head); a store whose status page was already published is left as it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from pantau.db import session_scope
from pantau.models import Incident, MaintenanceWindow, Monitor, StatusService, StatusUpdate
from pantau.statuspage import post_incident, post_update, publish_service

SERVICES = (
    ("payment-server", "Pembayaran tagihan (server pembayaran)", "Bill payments (payment server)"),
    ("bank-link", "Pembayaran VA BNI", "BNI VA payments"),
    ("bank-link-bri", "Pembayaran VA BRI", "BRI VA payments"),
    ("pmb-portal", "Portal PMB (pendaftaran mahasiswa baru)", "PMB portal (student admissions)"),
    ("siakad", "SIAKAD (nilai dan KRS)", "SIAKAD (grades and course plans)"),
)
"""The monitors the demo publishes, by name, with their Indonesian and English labels, in page order."""
INCIDENT = {
    "title": ("Pembayaran VA BNI sempat terganggu", "BNI VA payments were disrupted"),
    "notes": (
        ("identified", "Pembayaran lewat VA BNI gagal karena gangguan jaringan ke bank. Tim TIK dan BNI sedang "
                       "menanganinya; mohon jangan membayar dua kali.",
         "Payments through BNI VAs failed because of a network fault towards the bank. The IT team and BNI are "
         "on it; please do not pay twice."),
        ("resolved", "Sudah normal kembali. Pembayaran yang dilakukan selama gangguan tercatat otomatis paling "
                     "lambat 1x24 jam hari kerja.",
         "Back to normal. Payments made during the disruption are recorded within one working day."),
    ),
}
MAINTENANCE = ("payment-server", 22, 2, "Pembaruan server pembayaran")
"""The scheduled maintenance: the monitor, the local hour it starts on the coming Saturday, its hours, its note."""
ADMIN, IT_HEAD = "admin", "kepala.it"


def publish_demo_status(engine: Engine, zone: str, now: datetime, incident_days: int = 30) -> str:
    """Publish the demo's status page; a line saying what was published (or that it already was)."""
    with session_scope(engine) as session:
        if session.scalar(select(func.count()).select_from(StatusService)
                          .join(Monitor, Monitor.id == StatusService.monitor_id)):
            return "already published"
        monitors = dict(session.execute(select(Monitor.name, Monitor.id)).all())
        shown = [(monitors[name], label, label_en) for name, label, label_en in SERVICES if name in monitors]
        for position, (monitor_id, label, label_en) in enumerate(shown, start=1):
            publish_service(session, monitor_id=monitor_id, label=label, label_en=label_en, position=position,
                            actor=ADMIN)
        posted = _post_incident(session, [monitor_id for monitor_id, _, _ in shown], monitors.get("bank-link"), now,
                                incident_days)
        planned = _schedule(session, monitors.get(MAINTENANCE[0]), zone, now)
    return (f"{len(shown)} services published, {posted} past incident posted, "
            f"{planned} maintenance window scheduled")


def _post_incident(session, monitor_ids: list[int], preferred: int | None, now: datetime, days: int) -> int:
    """Post about the longest incident of the BNI link (else of any published service) ended in the last days."""
    if not monitor_ids:
        return 0
    span = Incident.ended_at - Incident.started_at
    ended = (select(Incident.id).where(Incident.monitor_id.in_(monitor_ids), Incident.ended_at.is_not(None),
                                       Incident.ended_at >= now - timedelta(days=days), Incident.ended_at <= now)
             .order_by(span.desc(), Incident.id))
    chosen = session.scalar(ended.where(Incident.monitor_id == preferred).limit(1)) or session.scalar(ended.limit(1))
    if chosen is None:
        return 0
    (state, note, note_en), *later = INCIDENT["notes"]
    post = post_incident(session, incident_id=chosen, title=INCIDENT["title"][0], title_en=INCIDENT["title"][1],
                         state=state, note=note, note_en=note_en, actor=IT_HEAD)
    notes = [post_update(session, status_incident_id=post.id, state=state, note=note, note_en=note_en, actor=IT_HEAD)
             for state, note, note_en in later]
    incident = session.get(Incident, chosen)
    first = session.scalar(select(StatusUpdate).where(StatusUpdate.status_incident_id == post.id)
                           .order_by(StatusUpdate.id).limit(1))
    # posted while it happened: the first note a few minutes in, the last once it was over
    post.created_at = first.posted_at = incident.started_at + (incident.ended_at - incident.started_at) / 3
    for update in notes:
        update.posted_at = incident.ended_at + timedelta(minutes=5)
    return 1


def _schedule(session, monitor_id: int | None, zone: str, now: datetime) -> int:
    """A one-off window on the coming Saturday night (at least a day ahead), unless one is already ahead."""
    if monitor_id is None:
        return 0
    ahead = session.scalar(select(func.count()).select_from(MaintenanceWindow).where(
        MaintenanceWindow.monitor_id == monitor_id, MaintenanceWindow.starts_at > now))
    if ahead:
        return 0
    _, hour, hours, note = MAINTENANCE
    local = now.astimezone(ZoneInfo(zone))
    day = local.date() + timedelta(days=(5 - local.weekday()) % 7 or 7)
    if day - local.date() < timedelta(days=1):
        day += timedelta(days=7)
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))
    session.add(MaintenanceWindow(monitor_id=monitor_id, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                                  note=note))
    return 1
