"""The publishing page's forms and tables: which monitors the public page shows, and the incident posts."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting
from pantau.models.status import PUBLIC_STATES

from .. import context, ids
from ..components.tables import data_table

KEY = "publish"
MONITOR = ids.make(KEY, "monitor")
LABEL = ids.make(KEY, "label")
LABEL_EN = ids.make(KEY, "label-en")
POSITION = ids.make(KEY, "position")
SHOWN = ids.make(KEY, "shown")
SAVE = ids.make(KEY, "save")
SERVICES = ids.make(KEY, "services")
INCIDENT = ids.make(KEY, "incident")
TITLE = ids.make(KEY, "title")
TITLE_EN = ids.make(KEY, "title-en")
STATE = ids.make(KEY, "state")
NOTE = ids.make(KEY, "note")
NOTE_EN = ids.make(KEY, "note-en")
POST = ids.make(KEY, "post")
INCIDENTS = ids.make(KEY, "incidents")
PICK = ids.make(KEY, "pick")
EDIT_STATE = ids.make(KEY, "edit-state")
EDIT_NOTE = ids.make(KEY, "edit-note")
EDIT_NOTE_EN = ids.make(KEY, "edit-note-en")
EDIT = ids.make(KEY, "edit")
WITHDRAW = ids.make(KEY, "withdraw")
NOTES = ids.make(KEY, "notes")
STATE_NAMES = {"investigating": "Investigating", "identified": "Cause identified", "monitoring": "Monitoring",
               "resolved": "Resolved"}


def service_form(monitors: pd.DataFrame) -> dbc.Row:
    t = context.t
    choices = [{"label": name, "value": str(key)} for key, name in zip(monitors["monitor_id"], monitors["monitor"])]
    return dbc.Row([
        dbc.Col([dbc.Label(t("Monitor"), html_for=MONITOR, className="visually-hidden"),
                 dbc.Select(id=MONITOR, options=choices, value=choices[0]["value"] if choices else None)], md=3),
        dbc.Col(dbc.Input(id=LABEL, placeholder=t("Public label"), maxLength=80), md=3),
        dbc.Col(dbc.Input(id=LABEL_EN, placeholder=t("English label (optional)"), maxLength=80), md=2),
        dbc.Col(dbc.Input(id=POSITION, type="number", value=0, min=0, max=999, placeholder=t("Order")), md=1),
        dbc.Col(dbc.Checkbox(id=SHOWN, value=True, label=t("Show on the public page")), md=2,
                className="d-flex align-items-center"),
        dbc.Col(dbc.Button(t("Save service"), id=SAVE, color="primary", className="w-100"), md=1),
    ], className="g-2")


def services_table(monitors: pd.DataFrame) -> html.Div:
    t = context.t
    frame = monitors.copy()
    frame["shown"] = frame["published"].map(lambda v: t("Shown") if v is True or v == 1 else t("Hidden"))
    frame = frame[frame["service_id"].notna()]
    columns = {"monitor": t("Monitor"), "label": t("Public label"), "label_en": t("English label (optional)"),
               "position": t("Order"), "shown": t("Status")}
    return data_table(SERVICES, frame, columns, page_size=10)


def post_form(incidents: pd.DataFrame) -> html.Div:
    t, lang, tz = context.t, context.lang(), context.tz()
    choices = [{"label": f"{row.label} · {formatting.moment(row.started_at.to_pydatetime(), lang, tz)}"
                         + (f" · {row.title}" if isinstance(row.title, str) else ""),
                "value": str(row.incident_id)} for row in incidents.itertuples()]
    states = [{"label": t(STATE_NAMES[state]), "value": state} for state in PUBLIC_STATES]
    return html.Div([
        dbc.Row([
            dbc.Col([dbc.Label(t("Incident"), html_for=INCIDENT, className="visually-hidden"),
                     dbc.Select(id=INCIDENT, options=choices, value=choices[0]["value"] if choices else None)],
                    md=6),
            dbc.Col([dbc.Label(t("State"), html_for=STATE, className="visually-hidden"),
                     dbc.Select(id=STATE, options=states, value=PUBLIC_STATES[0])], md=3),
        ], className="g-2 mb-2"),
        dbc.Row([
            dbc.Col(dbc.Input(id=TITLE, placeholder=t("Title"), maxLength=120), md=6),
            dbc.Col(dbc.Input(id=TITLE_EN, placeholder=t("English title (optional)"), maxLength=120), md=6),
        ], className="g-2 mb-2"),
        dbc.Row([
            dbc.Col(dbc.Textarea(id=NOTE, placeholder=t("Public note"), maxLength=2000), md=6),
            dbc.Col(dbc.Textarea(id=NOTE_EN, placeholder=t("English note (optional)"), maxLength=2000), md=6),
        ], className="g-2 mb-2"),
        dbc.Button(t("Post or update"), id=POST, color="primary"),
    ])


def incidents_table(incidents: pd.DataFrame, days: int) -> html.Div:
    t, lang, tz = context.t, context.lang(), context.tz()
    if incidents.empty:
        return html.P(t("No incident of a published service in the last {days} days.", days=days),
                      className="text-body-secondary")
    frame = incidents.copy()
    frame["started"] = frame["started_at"].map(lambda v: formatting.moment(v.to_pydatetime(), lang, tz))
    frame["ended"] = frame["ended_at"].map(
        lambda v: formatting.moment(v.to_pydatetime(), lang, tz) if not pd.isna(v) else "–")
    frame["post"] = frame["title"].map(lambda v: v if isinstance(v, str) else t("Not posted"))
    columns = {"label": t("Public label"), "monitor": t("Monitor"), "started": t("Started"), "ended": t("Ended"),
               "post": t("Public post")}
    return data_table(INCIDENTS, frame, columns, page_size=10)


def note_choices(notes: pd.DataFrame) -> list[dict]:
    """The notes still public, to choose one to edit or withdraw."""
    t, lang, tz = context.t, context.lang(), context.tz()
    live = notes[notes["withdrawn_at"].isna()]
    return [{"label": f"{row.label} · {row.title} · {t(STATE_NAMES.get(row.state, row.state))} · "
                      f"{formatting.moment(row.posted_at.to_pydatetime(), lang, tz)}",
             "value": str(row.update_id)} for row in live.itertuples()]


def edit_form(notes: pd.DataFrame) -> html.Div:
    """Choose a posted note, change its state and words or withdraw it from the public page."""
    t = context.t
    choices = note_choices(notes)
    states = [{"label": t(STATE_NAMES[state]), "value": state} for state in PUBLIC_STATES]
    return html.Div([
        html.H3(t("Edit or withdraw a note"), className="h6 mt-4"),
        dbc.Row([
            dbc.Col([dbc.Label(t("Posted note"), html_for=PICK, className="visually-hidden"),
                     dbc.Select(id=PICK, options=choices, value=choices[0]["value"] if choices else None)], md=6),
            dbc.Col([dbc.Label(t("State"), html_for=EDIT_STATE, className="visually-hidden"),
                     dbc.Select(id=EDIT_STATE, options=states, value=PUBLIC_STATES[0])], md=3),
        ], className="g-2 mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label(t("Public note"), html_for=EDIT_NOTE, className="visually-hidden"),
                     dbc.Textarea(id=EDIT_NOTE, placeholder=t("Public note"), maxLength=2000)], md=6),
            dbc.Col([dbc.Label(t("English note (optional)"), html_for=EDIT_NOTE_EN, className="visually-hidden"),
                     dbc.Textarea(id=EDIT_NOTE_EN, placeholder=t("English note (optional)"), maxLength=2000)], md=6),
        ], className="g-2 mb-2"),
        html.Div([dbc.Button(t("Save the edit"), id=EDIT, color="primary"),
                  dbc.Button(t("Withdraw the note"), id=WITHDRAW, color="danger", outline=True)],
                 className="d-flex gap-2"),
    ])


def notes_table(notes: pd.DataFrame) -> html.Div:
    """Every note of the recent posts: who posted it, its last edit, and whether it was withdrawn."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if notes.empty:
        return html.P(t("No note posted yet."), className="text-body-secondary")
    when = lambda v: formatting.moment(v.to_pydatetime(), lang, tz) if not pd.isna(v) else ""  # noqa: E731
    frame = pd.DataFrame({
        "label": notes["label"], "state": [t(STATE_NAMES.get(s, s)) for s in notes["state"]], "note": notes["note"],
        "posted": [f"{when(v)} · {who}" for v, who in zip(notes["posted_at"], notes["posted_by"])],
        "shown": [t("Withdrawn {moment} by {user}", moment=when(w), user=wb) if not pd.isna(w) else
                  (t("Public, updated {moment} by {user}", moment=when(e), user=eb) if not pd.isna(e) else t("Public"))
                  for w, wb, e, eb in zip(notes["withdrawn_at"], notes["withdrawn_by"], notes["edited_at"],
                                          notes["edited_by"])],
    })
    return data_table(NOTES, frame, {"label": t("Public label"), "state": t("State"), "note": t("Public note"),
                                     "posted": t("Posted"), "shown": t("Status")}, page_size=10)
