"""The SOP import page's parts: the form (document, code and particulars), the draft beside its source rows
(each time with the words it came from, uncertain cells marked), refusals, and the published versions."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from pantau import formatting
from pantau.sops.imports import Draft, DraftStep, SopDocumentError
from pantau.sops.imports.words import FIELD_NAMES, place_words

from .. import context, ids

KEY = "sopimport"
UPLOAD = ids.make(KEY, "upload")
FILE = ids.make(KEY, "file")
CODE = ids.make(KEY, "code")
NAME = ids.make(KEY, "name")
INSTITUTION = ids.make(KEY, "institution")
NUMBER = ids.make(KEY, "number")
UNIT = ids.make(KEY, "unit")
DRAFT = ids.make(KEY, "draft")
PUBLISH = ids.make(KEY, "publish")
FEEDBACK = ids.make(KEY, "feedback")
VERSIONS = ids.make(KEY, "versions")
EXECUTOR = "executor"
MAX_BYTES = 2_000_000
PARTICULARS = ((CODE, "Code", "code", 16), (NAME, "SOP name", "name", 200),
               (INSTITUTION, "Institution", "institution", 200), (NUMBER, "Document number", "document_number", 80),
               (UNIT, "Accountable unit", "unit", 80))


def form() -> html.Div:
    t = context.t
    fields = [dbc.Col([dbc.Label(t(label), html_for=key, className="small mb-0"),
                       dbc.Input(id=key, maxLength=size, debounce=True)], md=4 if key in (NAME, INSTITUTION) else 2)
              for key, label, _, size in PARTICULARS]
    return html.Div([
        dcc.Upload(id=UPLOAD, max_size=MAX_BYTES, accept=".docx,.html,.htm,.txt,.tsv", multiple=False,
                   children=html.Div([html.I(className="bi bi-file-earmark-arrow-up me-2"),
                                      t("Drop an SOP document here or click to choose one (.docx, .html or text)")]),
                   className="border border-2 rounded p-4 text-center mb-3", style={"borderStyle": "dashed"}),
        dcc.Store(id=FILE),
        dbc.Row(fields, className="g-2 mb-2"),
        html.P(t("An existing code keeps its step keys, roles and units; a new code makes a new SOP."),
               className="small text-body-secondary"),
    ])


def where(text: str) -> str:
    """A source location ('line 24', 'table 1 row 5', 'paragraph 3') in the reader's language."""
    return place_words(text, context.lang())


def unreadable(error: SopDocumentError) -> str:
    """Why a document cannot be read, in the reader's language: the file, where in it, the column, the reason."""
    t = context.t
    place = [error.path.name, where(error.where) if error.where else "",
             t("column {name}", name=error.field) if error.field else ""]
    return ", ".join(part for part in place if part) + ": " + error.say(context.lang())


def draft_view(draft: Draft) -> html.Div:
    t = context.t
    head = html.Thead(html.Tr([html.Th(t(name)) for name in (
        "Source row", "Activity", "Pelaksana in the document", "Executor", "Standard time", "To check")]))
    body = html.Tbody([_row(index, step) for index, step in enumerate(draft.steps)])
    document_notes = [html.Li(_note(note)) for note in draft.notes]
    flows = {flow["key"]: flow["name"] for flow in draft.flows}
    summary = t("{steps} steps from {file}", steps=len(draft.steps), file=draft.path.name)
    if flows:
        summary += " · " + t("flows: {names}", names="; ".join(flows.values()))
    return html.Div([
        html.P(summary, className="fw-semibold"),
        html.Ul(document_notes, className="small") if document_notes else None,
        dbc.Table([head, body], bordered=True, responsive=True, size="sm", className="align-middle"),
    ])


def _row(index: int, step: DraftStep) -> html.Tr:
    t = context.t
    data, row = step.data, step.row
    number = f"{data['number']}" + (f" ({data['flow']})" if data.get("flow") else "")
    marks = "; ".join(f"{column}: {mark}" for column, mark in row.marks.items()) or "—"
    options = [{"label": column, "value": column} for column in step.columns]
    if data["performer"] and data["performer"] not in step.columns:
        options.append({"label": data["performer"], "value": data["performer"]})
    chooser = dbc.Select(id=ids.matching(KEY, EXECUTOR, index), options=options, value=data["performer"] or None,
                         placeholder=t("Choose the executor"), size="sm")
    time = data["time"]
    parsed = t("no standard time") if time["unit"] == "none" else formatting.standard_time(
        time.get("value"), time["unit"], context.lang())
    decision = [html.Div([html.I(className="bi bi-signpost-split me-1"),
                          t("Decision: {branches}", branches=", ".join(
                              f"{b['label']} → {b['target']}" for b in data["branches"]))], className="small")] \
        if data.get("branches") else []
    return html.Tr([
        html.Td([html.Div(where(row.source.where), className="small text-body-secondary"), number]),
        html.Td([data["name"], *decision, *_mutu_baku(row)]),
        _cell(marks, step.uncertain("performer") and bool(row.marks)),
        _cell(chooser, step.uncertain("performer")),
        _cell([html.Div(f"«{time.get('written') or '—'}»", className="small text-body-secondary"), parsed],
              step.uncertain("time")),
        html.Td(html.Ul([html.Li(_note(note)) for note in step.notes if note.field != "key"], className="small mb-0")),
    ])


def _mutu_baku(row) -> list:
    """The row's other Mutu Baku cells and remarks, as the document has them."""
    t = context.t
    parts = [f"{t(name)}: {value}" for name, value in (("Requirements", row.equipment), ("Output", row.output),
                                                        ("Remarks", row.notes)) if value]
    return [html.Div(" · ".join(parts), className="small text-body-secondary")] if parts else []


def _cell(content, uncertain: bool) -> html.Td:
    if not uncertain:
        return html.Td(content)
    badge = dbc.Badge([html.I(className="bi bi-exclamation-triangle me-1"), context.t("check")], color="warning",
                      text_color="dark", className="ms-1")
    return html.Td([html.Div(content), badge], className="table-warning")


def _note(note) -> str:
    return f"{context.t(FIELD_NAMES.get(note.field, note.field))}: {context.t(note.text, **note.values)}"


def problems_view(problems: list[tuple[str, str, str]]) -> dbc.Alert:
    t = context.t
    return dbc.Alert([html.Div(t("Not published: fix these first.")),
                      html.Ul([html.Li(", ".join(part for part in (where(place) if place else "",
                                                                    t(FIELD_NAMES.get(field, field)), t(message))
                                                     if part)) for place, field, message in problems],
                              className="mb-0")], color="danger")


def versions_view(versions) -> html.Div:
    t, lang, tz = context.t, context.lang(), context.tz()
    if not versions:
        return html.P(t("No SOP has been published from a document yet; the catalogue files apply."),
                      className="text-body-secondary")
    head = html.Thead(html.Tr([html.Th(t(name)) for name in ("Code", "Version", "SOP name", "Steps", "Document",
                                                              "Published by", "Published at")]))
    rows = [html.Tr([html.Td(v.code), html.Td(v.version), html.Td(v.name), html.Td(v.steps), html.Td(v.source),
                     html.Td(v.published_by), html.Td(formatting.moment(v.published_at, lang, tz))])
            for v in versions]
    return dbc.Table([head, html.Tbody(rows)], bordered=False, hover=True, size="sm", responsive=True)
