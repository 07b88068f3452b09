"""Impor SOP: an administrator uploads an SOP document (Permenpan RB 35/2012 table), reviews the draft beside
its source rows (each time with its words, uncertain cells marked, executors chosen where the document's marks
are lost) and publishes it as the SOP's next catalogue version; open cases keep the version they started on.
Publishing is audited (`sop.publish`)."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, html

from pantau.db import session_scope
from pantau.i18n import refusal_words
from pantau.sla.context import sla_context
from pantau.sops.imports import SopDocumentError, import_document
from pantau.sops.versions import PublishRefused, history, publish

from .. import access, context
from . import sop_import_blocks as blocks

KEY = blocks.KEY
ROLES = ("admin",)


def layout(**_query) -> html.Div:
    t = context.t
    with context.engine().connect() as connection:
        versions = history(connection)
    return html.Div([
        html.H1(t("SOP import"), className="page-title"),
        html.P(t("Upload the SOP document, check the draft against its rows, then publish it as a new catalogue "
                 "version. Cases already open keep the version they started on."), className="text-body-secondary"),
        dbc.Card(dbc.CardBody([
            blocks.form(),
            html.Div(html.P(t("No document yet."), className="text-body-secondary"), id=blocks.DRAFT),
            dbc.Button([html.I(className="bi bi-journal-check me-1"), t("Publish as a new version")],
                       id=blocks.PUBLISH, color="primary", className="mt-2"),
            html.Div(id=blocks.FEEDBACK, className="mt-2", role="status"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([html.H2(t("Published versions"), className="h5"),
                               html.Div(blocks.versions_view(versions), id=blocks.VERSIONS)])),
    ])


def _draft(document: dict | None, code: str | None):
    """The draft of the uploaded document (SopDocumentError when it has no SOP table, ValueError when unreadable)."""
    if not isinstance(document, dict) or not isinstance(document.get("contents"), str):
        raise ValueError("no document")
    name = Path(str(document.get("name") or "sop.txt")).name
    try:
        data = base64.b64decode(document["contents"].split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the upload is not a file") from None
    catalogue = sla_context(context.settings(), context.engine()).catalogue
    code = str(code or "").strip().upper() or None
    return import_document(Path(name), data=data, code=code, base=catalogue.get(code or ""))


@dash.callback(Output(blocks.DRAFT, "children"), Output(blocks.FILE, "data"), Output(blocks.NAME, "value"),
               Output(blocks.INSTITUTION, "value"), Output(blocks.NUMBER, "value"), Output(blocks.UNIT, "value"),
               Output(blocks.FEEDBACK, "children", allow_duplicate=True),
               Input(blocks.UPLOAD, "contents"), State(blocks.UPLOAD, "filename"), State(blocks.CODE, "value"),
               prevent_initial_call=True)
def _review(contents, filename, code):
    t = context.t
    if context.user().role not in ROLES:
        return (dbc.Alert(t("Only an administrator imports SOPs."), color="danger"), None, *[dash.no_update] * 4,
                None)
    document = {"name": str(filename or "sop.txt"), "contents": contents}
    try:
        draft = _draft(document, code)
    except SopDocumentError as error:
        return dbc.Alert(t("The document cannot be read: {reason}", reason=blocks.unreadable(error)), color="danger"), \
            None, *[dash.no_update] * 4, None
    except ValueError:
        return dbc.Alert(t("The upload is not a file."), color="danger"), None, *[dash.no_update] * 4, None
    about = draft.particulars
    return (blocks.draft_view(draft), document, about["name"], about["institution"], about["document_number"],
            about["unit"], None)


@dash.callback(Output(blocks.FEEDBACK, "children"), Output(blocks.VERSIONS, "children"),
               Input(blocks.PUBLISH, "n_clicks"), State(blocks.FILE, "data"), State(blocks.CODE, "value"),
               State(blocks.NAME, "value"), State(blocks.INSTITUTION, "value"), State(blocks.NUMBER, "value"),
               State(blocks.UNIT, "value"), State({"type": f"{KEY}-{blocks.EXECUTOR}", "index": ALL}, "value"),
               State({"type": f"{KEY}-{blocks.EXECUTOR}", "index": ALL}, "id"), prevent_initial_call=True)
def _publish(_clicks, document, code, name, institution, number, unit, executors, executor_ids):
    t, user = context.t, context.user()
    if user.role not in ROLES:
        return dbc.Alert(t("Only an administrator imports SOPs."), color="danger"), dash.no_update
    try:
        draft = _draft(document, code)
    except (SopDocumentError, ValueError):
        return dbc.Alert(t("Upload an SOP document first."), color="warning"), dash.no_update
    chosen = {int(item["index"]): str(value) for item, value in zip(executor_ids or [], executors or [])
              if isinstance(item, dict) and str(item.get("index", "")).isdigit() and value}
    values = {"code": str(code or "").strip().upper(), "name": name, "institution": institution,
              "document_number": number, "unit": unit}
    draft = draft.with_executors(chosen).with_particulars(**{k: str(v).strip() for k, v in values.items() if v})
    problems = draft.problems()
    if problems:
        return blocks.problems_view(problems), dash.no_update
    try:
        with session_scope(context.engine()) as session:
            version = publish(session, draft.sop(), actor=user.username, source=draft.path.name,
                              ip=flask.request.remote_addr)
    except (PublishRefused, ValueError) as error:
        return blocks.problems_view([("", "steps", refusal_words(error, context.lang()))]), dash.no_update
    with context.engine().connect() as connection:
        versions = history(connection)
    return (dbc.Alert(t("{code} version {version} published: new cases start on it.", code=draft.particulars["code"],
                        version=version), color="success"), blocks.versions_view(versions))


access.register_page(
    __name__,
    key=KEY,
    path="/impor-sop",
    title="SOP import",
    group="Administration",
    icon="journal-arrow-up",
    roles=ROLES,
    order=96,
    layout=layout,
)
