"""The public status page, read side: the published services and their days, the incident posts, the payment
periods; and, for the publishing page, the monitors and incidents that may be published."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, func, literal_column, select
from sqlalchemy.orm import aliased

from pantau.models import (
    AdmissionWave,
    Incident,
    Monitor,
    PaymentPeriodExtension,
    ProbeSample,
    RollupHour,
    StatusIncident,
    StatusService,
    StatusUpdate,
)
from pantau.models.billing import BillRollup
from pantau.models.monitoring import monitor_label
from pantau.recon.sql import local_day

from .frames import read_frame

SERVICE_COLUMNS = ["service_id", "monitor_id", "label", "label_en", "position", "status", "status_since",
                   "interval_s", "checked_at"]


def services(engine: Engine) -> pd.DataFrame:
    """The published services in page order, with their monitor's state and newest check."""
    earlier = aliased(ProbeSample)
    newest = (select(func.max(earlier.checked_at)).where(earlier.monitor_id == Monitor.id)
              .correlate(Monitor).scalar_subquery())
    query = (
        select(StatusService.id, StatusService.monitor_id, StatusService.label, StatusService.label_en,
               StatusService.position, Monitor.status, Monitor.status_since, Monitor.interval_s, newest)
        .join(Monitor, Monitor.id == StatusService.monitor_id)
        .where(StatusService.published.is_(True), Monitor.enabled.is_(True))
        .order_by(StatusService.position, StatusService.label, StatusService.id)
    )
    frame = read_frame(engine, query, SERVICE_COLUMNS)
    for column in ("status_since", "checked_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


DAY_COLUMNS = ["monitor_id", "day", "up", "down", "maintenance"]


def daily_uptime(engine: Engine, monitor_ids: list[int], *, days: int, zone: str, now: datetime) -> pd.DataFrame:
    """Checks up, down and in maintenance per monitor and campus day over the last ``days`` days (today
    included), from the hour rollups; a day without checks has no row."""
    if not monitor_ids:
        return pd.DataFrame(columns=DAY_COLUMNS)
    today = now.astimezone(ZoneInfo(zone)).date()
    first = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), ZoneInfo(zone))
    with engine.connect() as connection:
        day = literal_column(local_day(connection, "rollup_hour.bucket", zone, now))
        query = (
            select(RollupHour.monitor_id, day, func.sum(RollupHour.up), func.sum(RollupHour.down),
                   func.sum(RollupHour.maintenance))
            .where(RollupHour.monitor_id.in_(monitor_ids), RollupHour.bucket >= first)
            .group_by(RollupHour.monitor_id, day)
        )
        frame = read_frame(connection, query, DAY_COLUMNS)
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    for column in ("up", "down", "maintenance"):
        frame[column] = frame[column].astype("int64")
    return frame


POST_COLUMNS = ["post_id", "incident_id", "service_id", "label", "label_en", "started_at", "ended_at", "title",
                "title_en"]
UPDATE_COLUMNS = ["post_id", "state", "note", "note_en", "posted_at", "edited_at"]


def incident_posts(engine: Engine, since: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts about incidents of published services that were open at or after ``since`` (newest first), and
    their notes (oldest first, with the time of their last edit). Withdrawn notes are left out, and so is a
    post whose every note was withdrawn."""
    query = (
        select(StatusIncident.id, Incident.id, StatusService.id, StatusService.label, StatusService.label_en,
               Incident.started_at, Incident.ended_at, StatusIncident.title, StatusIncident.title_en)
        .join(Incident, Incident.id == StatusIncident.incident_id)
        .join(StatusService, StatusService.monitor_id == Incident.monitor_id)
        .where(StatusService.published.is_(True), (Incident.ended_at.is_(None)) | (Incident.ended_at >= since))
        .order_by(Incident.started_at.desc(), StatusIncident.id.desc())
    )
    with engine.connect() as connection:
        posts = read_frame(connection, query, POST_COLUMNS)
        notes = read_frame(connection, select(StatusUpdate.status_incident_id, StatusUpdate.state, StatusUpdate.note,
                                              StatusUpdate.note_en, StatusUpdate.posted_at, StatusUpdate.edited_at)
                           .where(StatusUpdate.status_incident_id.in_(posts["post_id"].tolist()),
                                  StatusUpdate.withdrawn_at.is_(None))
                           .order_by(StatusUpdate.posted_at, StatusUpdate.id), UPDATE_COLUMNS)
    posts = posts[posts["post_id"].isin(notes["post_id"])].reset_index(drop=True)
    for column in ("started_at", "ended_at"):
        posts[column] = pd.to_datetime(posts[column], utc=True)
    for column in ("posted_at", "edited_at"):
        notes[column] = pd.to_datetime(notes[column], utc=True)
    return posts, notes


NOTE_COLUMNS = ["update_id", "post_id", "label", "title", "state", "note", "note_en", "posted_by", "posted_at",
                "edited_by", "edited_at", "withdrawn_by", "withdrawn_at"]


def post_notes(engine: Engine, since: datetime, limit: int = 200) -> pd.DataFrame:
    """Every note of the incident posts of incidents open at or after ``since``, withdrawn ones included, newest
    first (for the publishing page, never the public one)."""
    query = (
        select(StatusUpdate.id, StatusIncident.id, StatusService.label, StatusIncident.title, StatusUpdate.state,
               StatusUpdate.note, StatusUpdate.note_en, StatusUpdate.posted_by, StatusUpdate.posted_at,
               StatusUpdate.edited_by, StatusUpdate.edited_at, StatusUpdate.withdrawn_by, StatusUpdate.withdrawn_at)
        .join(StatusIncident, StatusIncident.id == StatusUpdate.status_incident_id)
        .join(Incident, Incident.id == StatusIncident.incident_id)
        .join(StatusService, StatusService.monitor_id == Incident.monitor_id)
        .where((Incident.ended_at.is_(None)) | (Incident.ended_at >= since))
        .order_by(StatusUpdate.posted_at.desc(), StatusUpdate.id.desc())
        .limit(limit)
    )
    frame = read_frame(engine, query, NOTE_COLUMNS)
    for column in ("posted_at", "edited_at", "withdrawn_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


PERIOD_COLUMNS = ["source", "wave_id", "name", "semester", "ends_on"]
EXTENSION_COLUMNS = ["wave_id", "previous_deadline", "new_deadline", "recorded_at"]


def payment_periods(engine: Engine, today: date, recent_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The payment periods running on ``today`` or ended within ``recent_days`` days, soonest end first: each
    semester's bills of a kind (``source`` "bills", ending on their latest due date) and each admission wave
    opened by then (``source`` "wave", ending on its payment deadline); and the waves' announced extensions."""
    since = today - timedelta(days=recent_days)
    last_due = func.max(BillRollup.due_date)
    bills = (select(BillRollup.semester, BillRollup.kind, last_due)
             .group_by(BillRollup.semester, BillRollup.kind).having(last_due >= since))
    waves = (select(AdmissionWave.id, AdmissionWave.name, AdmissionWave.payment_deadline)
             .where(AdmissionWave.payment_deadline >= since, AdmissionWave.opens_on <= today))
    with engine.connect() as connection:
        rows = [("bills", None, kind, semester, ends_on) for semester, kind, ends_on in connection.execute(bills)]
        rows += [("wave", wave_id, name, None, ends_on) for wave_id, name, ends_on in connection.execute(waves)]
        wave_ids = [row[1] for row in rows if row[1] is not None]
        extensions = read_frame(connection, select(
            PaymentPeriodExtension.wave_id, PaymentPeriodExtension.previous_deadline,
            PaymentPeriodExtension.new_deadline, PaymentPeriodExtension.recorded_at)
            .where(PaymentPeriodExtension.wave_id.in_(wave_ids))
            .order_by(PaymentPeriodExtension.recorded_at), EXTENSION_COLUMNS)
    periods = pd.DataFrame(rows, columns=PERIOD_COLUMNS)
    periods["ends_on"] = pd.to_datetime(periods["ends_on"]).dt.date
    for column in ("previous_deadline", "new_deadline"):
        extensions[column] = pd.to_datetime(extensions[column]).dt.date
    return periods.sort_values(["ends_on", "name"]).reset_index(drop=True), extensions


CHOICE_COLUMNS = ["monitor_id", "monitor", "role", "status", "service_id", "label", "label_en", "position",
                  "published"]


def publishable_monitors(engine: Engine) -> pd.DataFrame:
    """Every enabled monitor with its publication, if any (for the publishing page, never the public one)."""
    query = (
        select(Monitor.id, monitor_label(), Monitor.role, Monitor.status, StatusService.id, StatusService.label,
               StatusService.label_en, StatusService.position, StatusService.published)
        .outerjoin(StatusService, StatusService.monitor_id == Monitor.id)
        .where(Monitor.enabled.is_(True))
        .order_by(StatusService.position, Monitor.name)
    )
    return read_frame(engine, query, CHOICE_COLUMNS)


INCIDENT_COLUMNS = ["incident_id", "monitor", "label", "kind", "started_at", "ended_at", "post_id", "title",
                    "title_en"]


def postable_incidents(engine: Engine, since: datetime, limit: int = 200) -> pd.DataFrame:
    """Incidents of published services open at or after ``since``, newest first, with their post if any."""
    query = (
        select(Incident.id, monitor_label(), StatusService.label, Incident.kind, Incident.started_at,
               Incident.ended_at, StatusIncident.id, StatusIncident.title, StatusIncident.title_en)
        .join(Monitor, Monitor.id == Incident.monitor_id)
        .join(StatusService, StatusService.monitor_id == Incident.monitor_id)
        .outerjoin(StatusIncident, StatusIncident.incident_id == Incident.id)
        .where(StatusService.published.is_(True), (Incident.ended_at.is_(None)) | (Incident.ended_at >= since))
        .order_by(Incident.started_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    frame = read_frame(engine, query, INCIDENT_COLUMNS)
    for column in ("started_at", "ended_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
