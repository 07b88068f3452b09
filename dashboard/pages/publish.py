"""Status publik: what the public status page (/status) shows. The administrator chooses the monitors shown
and their public labels; the administrator and the IT head post about their incidents. Every change is audited
and the public page shows it at once (this worker's cached page is dropped)."""

from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, html

import queries.public_status as public
from pantau.db import session_scope
from pantau.i18n import refusal_words
from pantau.models import StatusIncident, utcnow
from pantau.statuspage import (
    PublishError,
    edit_update,
    post_incident,
    post_update,
    publish_service,
    status_settings,
    withdraw_update,
)

from .. import access, context, ids, public_status
from . import publish_blocks as blocks

KEY = blocks.KEY
FEEDBACK = ids.make(KEY, "feedback")
POST_FEEDBACK = ids.make(KEY, "post-feedback")
SERVICES_BODY = ids.make(KEY, "services-body")
INCIDENTS_BODY = ids.make(KEY, "incidents-body")
EDIT_FEEDBACK = ids.make(KEY, "edit-feedback")
NOTES_BODY = ids.make(KEY, "notes-body")
SERVICE_ROLES = ("admin",)


def _days() -> int:
    try:
        return status_settings(context.settings()).incident_days
    except ValueError:
        return 30


def _incidents():
    return public.postable_incidents(context.engine(), utcnow() - timedelta(days=_days()))


def _notes():
    return public.post_notes(context.engine(), utcnow() - timedelta(days=_days()))


def layout(**_query) -> html.Div:
    t = context.t
    monitors = public.publishable_monitors(context.engine())
    admin = context.user().role in SERVICE_ROLES
    incidents, notes = _incidents(), _notes()
    services = [blocks.service_form(monitors)] if admin else [
        html.P(t("Only an administrator chooses the published services."), className="text-body-secondary")]
    return html.Div([
        html.Div([
            html.H1(t("Public status"), className="page-title mb-0"),
            html.A([html.I(className="bi bi-box-arrow-up-right me-1"), t("Open the public page")], href="/status",
                   target="_blank", id=ids.make(KEY, "open-public")),
        ], className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3"),
        dbc.Card(dbc.CardBody([
            html.H2(t("Published services"), className="h5"),
            *services,
            html.Div(id=FEEDBACK, className="mt-2", role="status"),
            html.Div(blocks.services_table(monitors), id=SERVICES_BODY, className="mt-3"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H2(t("Incident posts"), className="h5"),
            blocks.post_form(incidents),
            html.Div(id=POST_FEEDBACK, className="mt-2", role="status"),
            html.Div(blocks.incidents_table(incidents, _days()), id=INCIDENTS_BODY, className="mt-3"),
            blocks.edit_form(notes),
            html.Div(id=EDIT_FEEDBACK, className="mt-2", role="status"),
            html.Div(blocks.notes_table(notes), id=NOTES_BODY, className="mt-3"),
        ])),
    ])


@dash.callback(Output(FEEDBACK, "children"), Output(SERVICES_BODY, "children"),
               Input(blocks.SAVE, "n_clicks"), State(blocks.MONITOR, "value"), State(blocks.LABEL, "value"),
               State(blocks.LABEL_EN, "value"), State(blocks.POSITION, "value"), State(blocks.SHOWN, "value"),
               prevent_initial_call=True)
def _save_service(_clicks, monitor, label, label_en, position, shown):
    t, user = context.t, context.user()
    if user.role not in SERVICE_ROLES:
        return dbc.Alert(t("Only an administrator chooses the published services."), color="danger"), dash.no_update
    try:
        with session_scope(context.engine()) as session:
            publish_service(session, monitor_id=_number(monitor), label=str(label or ""),
                            label_en=str(label_en) if label_en else None, published=shown is True,
                            position=_number(position, 0), actor=user.username, ip=flask.request.remote_addr)
    except PublishError as error:
        return _refused(error), dash.no_update
    public_status.invalidate()
    return (dbc.Alert(t("Service saved; the public page shows it now."), color="success"),
            blocks.services_table(public.publishable_monitors(context.engine())))


@dash.callback(Output(POST_FEEDBACK, "children"), Output(INCIDENTS_BODY, "children"),
               Input(blocks.POST, "n_clicks"), State(blocks.INCIDENT, "value"), State(blocks.STATE, "value"),
               State(blocks.TITLE, "value"), State(blocks.TITLE_EN, "value"), State(blocks.NOTE, "value"),
               State(blocks.NOTE_EN, "value"), prevent_initial_call=True)
def _post(_clicks, incident, state, title, title_en, note, note_en):
    t, user = context.t, context.user()
    where = {"actor": user.username, "ip": flask.request.remote_addr, "state": str(state or ""),
             "note": str(note or ""), "note_en": str(note_en) if note_en else None}
    try:
        with session_scope(context.engine()) as session:
            incident_id = _number(incident)
            post = session.query(StatusIncident).filter_by(incident_id=incident_id).one_or_none()
            if post is None:
                post_incident(session, incident_id=incident_id, title=str(title or ""),
                              title_en=str(title_en) if title_en else None, **where)
            else:
                post_update(session, status_incident_id=post.id, **where)
    except PublishError as error:
        return _refused(error), dash.no_update
    public_status.invalidate()
    return (dbc.Alert(t("Posted; the public page shows it now."), color="success"),
            blocks.incidents_table(_incidents(), _days()))


@dash.callback(Output(blocks.EDIT_STATE, "value"), Output(blocks.EDIT_NOTE, "value"),
               Output(blocks.EDIT_NOTE_EN, "value"), Input(blocks.PICK, "value"))
def _pick(update):
    """The chosen note's state and words, to edit."""
    notes = _notes()
    chosen = notes[notes["update_id"].astype(str) == str(update)]
    if chosen.empty:
        return dash.no_update, "", ""
    row = chosen.iloc[0]
    return row["state"], row["note"], row["note_en"] if isinstance(row["note_en"], str) else ""


@dash.callback(Output(EDIT_FEEDBACK, "children"), Output(NOTES_BODY, "children"), Output(blocks.PICK, "options"),
               Output(blocks.PICK, "value"),
               Input(blocks.EDIT, "n_clicks"), Input(blocks.WITHDRAW, "n_clicks"), Input(POST_FEEDBACK, "children"),
               State(blocks.PICK, "value"), State(blocks.EDIT_STATE, "value"), State(blocks.EDIT_NOTE, "value"),
               State(blocks.EDIT_NOTE_EN, "value"), prevent_initial_call=True)
def _edit(_edit, _withdraw, _posted, update, state, note, note_en):
    """Edit or withdraw the chosen note (both audited); after a new post, list its note too."""
    t, user, pressed = context.t, context.user(), dash.ctx.triggered_id
    feedback = None
    if pressed in (blocks.EDIT, blocks.WITHDRAW):
        try:
            with session_scope(context.engine()) as session:
                where = {"update_id": _number(update), "actor": user.username, "ip": flask.request.remote_addr}
                if pressed == blocks.EDIT:
                    edit_update(session, state=str(state or ""), note=str(note or ""),
                                note_en=str(note_en) if note_en else None, **where)
                else:
                    withdraw_update(session, **where)
        except PublishError as error:
            return _refused(error), dash.no_update, dash.no_update, dash.no_update
        public_status.invalidate()
        feedback = dbc.Alert(t("Note updated; the public page marks it as updated.") if pressed == blocks.EDIT
                             else t("Note withdrawn; the public page no longer shows it."), color="success")
    notes = _notes()
    choices = blocks.note_choices(notes)
    keep = update if pressed == blocks.EDIT and any(c["value"] == str(update) for c in choices) else None
    return (feedback, blocks.notes_table(notes), choices,
            keep or (choices[0]["value"] if choices else None))


def _refused(error: PublishError) -> dbc.Alert:
    """Why the publication was refused, in the reader's language."""
    return dbc.Alert(context.t("Publishing refused: {reason}", reason=refusal_words(error, context.lang())),
                     color="danger")


def _number(value, default: int | None = None) -> int:
    """A form's number; PublishError when there is none (a select left empty)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise PublishError("choose a row first") from None


access.register_page(
    __name__,
    key=KEY,
    path="/publikasi-status",
    title="Public status",
    group="Operations",
    icon="broadcast",
    roles=("kepala_it", "admin"),
    order=22,
    layout=layout,
)
