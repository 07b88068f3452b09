"""One workflow step event, validated against the SOP catalogue, from whichever path it came by.

Every arrival path (source database, CSV/XLSX file, JSON API, the page's form) hands its raw
fields to `parse_event`, which names the field, the value and the reason when something is wrong.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pantau.sla.timeline import branch_key
from pantau.sops import Sop, Step

FIELDS: dict[str, tuple[str, ...]] = {
    "sop": ("sop", "sop_code", "kode_sop"),
    "case_ref": ("case_ref", "case", "case_id", "kasus", "nomor_kasus"),
    "step": ("step", "step_key", "tahap"),
    "event_id": ("event_id", "id", "event", "id_kejadian"),
    "started_at": ("started_at", "started", "start", "mulai", "waktu_mulai"),
    "completed_at": ("completed_at", "completed", "end", "selesai", "waktu_selesai"),
    "performer": ("performer", "pelaksana"),
    "outcome": ("outcome", "result", "hasil"),
    "channel": ("channel", "saluran"),
    "unit": ("unit",),
    "subject": ("subject", "perihal"),
}
"""Each field and the names (English or Indonesian, any case) it may come under."""

_LIMITS = {"case_ref": 64, "event_id": 64, "performer": 120, "outcome": 24, "channel": 16, "unit": 80, "subject": 160}
_LOCAL_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")
_FUTURE_TOLERANCE = timedelta(minutes=10)


class EventProblem(ValueError):
    """A raw event that cannot be stored: which field, its value, and why (`reason`; `template` and `values`
    keep its English message id and fill-ins apart, for a page to translate)."""

    def __init__(self, field: str, value: object, reason: str, **values: object) -> None:
        self.field = field
        self.value = value
        self.template, self.values = reason, values
        self.reason = reason.format(**values) if values else reason
        shown = "" if value is None else f", value {str(value)[:80]!r}"
        super().__init__(f"field {field}{shown}: {self.reason}")


@dataclass(frozen=True)
class EventRecord:
    """A validated step event; times are aware, the step is a key of the SOP, a decision's outcome a branch key."""

    sop_code: str
    case_ref: str
    step_key: str
    flow: str | None
    started_at: datetime | None
    completed_at: datetime | None
    event_id: str | None = None
    performer: str | None = None
    outcome: str | None = None
    channel: str | None = None
    unit: str | None = None
    subject: str | None = None

    def content(self) -> tuple:
        """What an event says about its step; two events with one uid must say the same."""
        return (self.sop_code, self.case_ref, self.step_key, _utc(self.started_at), _utc(self.completed_at),
                self.performer, self.outcome)

    def uid(self, prefix: str, *, with_content: bool = False) -> str:
        """The stored `event_uid`: `<prefix>:<event id>`, or a digest of the content when the event
        has no id (or `with_content`, for sources whose rows change as the work goes on)."""
        if self.event_id and not with_content:
            uid = f"{prefix}:{self.event_id}"
            return uid if len(uid) <= 96 else f"{prefix[:40]}:{_digest(self.event_id)}"
        parts = [prefix if with_content else "", self.event_id or "", *map(str, self.content())]
        return f"c:{_digest('|'.join(parts))}"

    @property
    def times(self) -> list[datetime]:
        """The event's start and completion, those that are given."""
        return [moment for moment in (self.started_at, self.completed_at) if moment is not None]


def normalise_keys(raw: Mapping[str, Any], *, strict: bool) -> dict[str, Any]:
    """Map raw names to field names; unknown names are an error when `strict`, else ignored."""
    lookup = {alias: field for field, aliases in FIELDS.items() for alias in aliases}
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        field = lookup.get(str(name).strip().casefold().replace(" ", "_"))
        if field is None:
            if strict:
                raise EventProblem(str(name), None, f"unknown field; known fields: {', '.join(FIELDS)}")
            continue
        if field in fields and fields[field] not in (None, ""):
            raise EventProblem(str(name), value, f"{field} is given twice")
        fields[field] = value
    return fields


def parse_event(
    raw: Mapping[str, Any],
    catalogue: Mapping[str, Sop],
    zone: ZoneInfo,
    *,
    sop: str | None = None,
    strict: bool = False,
    now: datetime | None = None,
) -> EventRecord:
    """Validate one raw event. `sop` is the SOP a file or source is for (a row may repeat it, not
    contradict it); times without a zone are read in `zone`; times more than ten minutes after
    `now` are refused."""
    fields = normalise_keys(raw, strict=strict)
    code = _text(fields, "sop") or sop
    if not code:
        raise EventProblem("sop", None, "missing: name the SOP (its code, e.g. KTM)")
    if sop and code.upper() != sop.upper():
        raise EventProblem("sop", code, f"this import is for SOP {sop}")
    definition = catalogue.get(code.upper())
    if definition is None:
        raise EventProblem("sop", code, f"unknown SOP; known: {', '.join(catalogue)}")
    case_ref = _text(fields, "case_ref")
    if not case_ref:
        raise EventProblem("case_ref", None, "missing: every event belongs to a case")
    step = _step(definition, fields.get("step"))
    started, completed = _moment(fields, "started_at", zone), _moment(fields, "completed_at", zone)
    if started is None and completed is None:
        raise EventProblem("completed_at", None, "give started_at, completed_at or both")
    if started and completed and completed < started:
        raise EventProblem("completed_at", fields.get("completed_at"), "before started_at")
    limit = (now or datetime.now(zone)) + _FUTURE_TOLERANCE
    for name, moment in (("started_at", started), ("completed_at", completed)):
        if moment is not None and moment > limit:
            raise EventProblem(name, fields.get(name), "in the future")
    outcome = _text(fields, "outcome")
    if step.branches and outcome:
        chosen = branch_key(step, outcome)
        if chosen is None:
            choices = ", ".join(f"{b.key} ({b.label})" for b in step.branches)
            raise EventProblem("outcome", outcome, f"not an outcome of step {step.number}; one of: {choices}")
        outcome = chosen
    elif step.branches and completed is not None:
        choices = ", ".join(b.key for b in step.branches)
        raise EventProblem("outcome", None, f"step {step.number} is a decision: give its outcome ({choices})")
    channel = _text(fields, "channel")
    if channel is not None and not re.fullmatch(r"[a-z][a-z0-9_-]*", channel.lower()):
        raise EventProblem("channel", channel, "use a word such as whatsapp, email or letter")
    return EventRecord(
        sop_code=definition.code, case_ref=case_ref, step_key=step.key, flow=step.flow,
        started_at=started, completed_at=completed, event_id=_text(fields, "event_id"),
        performer=_text(fields, "performer"), outcome=outcome, channel=channel.lower() if channel else None,
        unit=_text(fields, "unit"), subject=_text(fields, "subject"),
    )


def parse_moment(value: Any, zone: ZoneInfo) -> datetime | None:
    """An aware datetime from a datetime, an ISO 8601 string, or `dd/mm/yyyy HH:MM[:SS]`; naive
    values are read in `zone`. None for an empty value; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise ValueError("a date without a time of day; give the time too")
    elif isinstance(value, str):
        moment = _from_text(value.strip())
    else:
        raise ValueError("not a date and time")
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _from_text(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in _LOCAL_FORMATS:
            try:
                return datetime.strptime(text, pattern)
            except ValueError:
                continue
        raise ValueError("not a date and time (use 2026-03-02 10:15 or 02/03/2026 10:15)") from None
    if len(text) <= 10:
        raise ValueError("a date without a time of day; give the time too")
    return moment


def _moment(fields: dict[str, Any], name: str, zone: ZoneInfo) -> datetime | None:
    try:
        return parse_moment(fields.get(name), zone)
    except ValueError as error:
        raise EventProblem(name, fields.get(name), str(error)) from None


def _step(sop: Sop, value: Any) -> Step:
    if value is None or str(value).strip() == "":
        raise EventProblem("step", None, "missing: give the step key or number of SOP {sop}", sop=sop.code)
    text = str(value).strip()
    number = int(float(text)) if re.fullmatch(r"\d+(\.0)?", text) else None
    if number is None:
        key = text.casefold()
        match = next((step for step in sop.steps if step.key == key), None)
        if match is None:
            raise EventProblem("step", text,
                               f"SOP {sop.code} has no such step; keys: {', '.join(s.key for s in sop.steps)}")
        return match
    matches = [step for step in sop.steps if step.number == number]
    if not matches:
        raise EventProblem("step", text, f"SOP {sop.code} has no step {number}")
    if len(matches) > 1:
        keys = ", ".join(step.key for step in matches)
        raise EventProblem("step", text, f"step {number} is in several flows of SOP {sop.code}; give its key ({keys})")
    return matches[0]


def _text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    limit = _LIMITS.get(name)
    if limit and len(text) > limit:
        raise EventProblem(name, text, "longer than {limit} characters", limit=limit)
    return text


def _utc(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(ZoneInfo("UTC")).isoformat()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]
