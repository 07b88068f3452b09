"""Blocks of the KSO / SKP page: the tables of requests waiting on the kolegium and of requests received."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from pantau import formatting

from .. import context, ids
from ..components.empty import empty_state
from ..components.sop_version import short
from ..components.status import label
from ..components.tables import data_table

KEY = "kso"


def waiting_table(frame: pd.DataFrame, now: datetime):
    """The requests waiting on the kolegium: since when, how long, and whether past the standard time."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No request is waiting on the kolegium."), icon="check2-circle")
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "title": frame["title"].fillna(""),
        "since": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["started_at"]],
        "waited": [formatting.duration(now - v.to_pydatetime(), lang, 1) for v in frame["started_at"]],
        "standard": [t("past the standard") if pd.notna(due) and due.to_pydatetime() < now else t("within the standard")
                     for due in frame["due_at"]],
    })
    return data_table(ids.make(KEY, "waiting-table"), shown, {
        "case_ref": t("Request"), "title": t("Training"), "since": t("Sent to the kolegium"), "waited": t("Waiting"),
        "standard": t("Standard time (1 month)")}, page_size=8)


def request_table(frame: pd.DataFrame, names: dict[str, str]):
    """The requests received, each with where it is now: its current step and state, or its outcome."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No KSO request was received in this period."),
                           t("Requests arrive through `pantau import events`, the events API or the SLA page's form."),
                           icon="inbox")
    outcomes = {"setuju": t("Approved"), "ditolak": t("Rejected")}
    shown = pd.DataFrame({
        "case_ref": frame["case_ref"], "title": frame["title"].fillna(""), "organiser": frame["organiser"].fillna(""),
        "received": [formatting.day(v.to_pydatetime(), lang, tz) for v in frame["opened_at"]],
        "now": [f"{names.get(step, step)} · {label(state if state != 'open' else 'in_progress')}"
                if isinstance(step, str)
                else (outcomes.get(outcome, t("Closed")) if isinstance(outcome, str) else "–")
                for step, state, outcome in zip(frame["current_step"], frame["state"], frame["outcome"])],
        "sop": [short(None if pd.isna(v) else int(v)) for v in frame["sop_version"]],
    })
    return data_table(ids.make(KEY, "request-table"), shown, {
        "case_ref": t("Request"), "title": t("Training"), "organiser": t("Organiser"), "received": t("Received"),
        "now": t("Where it is"), "sop": t("SOP version")}, page_size=10)
