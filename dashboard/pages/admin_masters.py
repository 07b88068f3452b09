"""The admin page's master data cards: bill kinds (names, group, flags) and study programmes (those created
from bills, name unknown, first). Ids are made here; the page's callbacks read them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from pantau.prodi import JENJANG
from queries.masterdata import kind_groups, kind_table, prodi_table

from .. import context, ids

KEY = "admin"
KIND = ids.make(KEY, "kind")
KIND_NAME_ID = ids.make(KEY, "kind-name-id")
KIND_NAME_EN = ids.make(KEY, "kind-name-en")
KIND_GROUP = ids.make(KEY, "kind-group")
KIND_FLAGS = ids.make(KEY, "kind-flags")
KIND_SAVE = ids.make(KEY, "kind-save")
KIND_FEEDBACK = ids.make(KEY, "kind-feedback")
PRODI = ids.make(KEY, "prodi")
PRODI_NAME = ids.make(KEY, "prodi-name")
PRODI_JENJANG = ids.make(KEY, "prodi-jenjang")
PRODI_JURUSAN = ids.make(KEY, "prodi-jurusan")
PRODI_FAKULTAS = ids.make(KEY, "prodi-fakultas")
PRODI_SAVE = ids.make(KEY, "prodi-save")
PRODI_FEEDBACK = ids.make(KEY, "prodi-feedback")
FLAGS = (("per_semester", "Billed each semester"), ("tokens_apply", "Payment tokens apply"), ("active", "Active"))


def kind_options() -> list[dict]:
    name = "name_en" if context.lang() == "en" else "name_id"
    return [{"label": f"{row.code} · {getattr(row, name)}", "value": row.code}
            for row in kind_table(context.engine()).itertuples()]


def prodi_options() -> list[dict]:
    """Every programme with its live bills; counting them reads every bill, so the table is kept in the shared
    cache until a write to the money tables (a bill, a programme named here)."""
    t = context.t
    frame = context.cached("admin.prodi", [], ["money"], lambda: prodi_table(context.engine()))
    return [{"label": f"{row.code} · " + (t("{code} (name unknown)", code=row.code) if row.name_unknown else row.name)
             + f" ({t('{count} bills', count=int(row.bills))})", "value": int(row.id)}
            for row in frame.itertuples()]


def kind_card() -> dbc.Card:
    t = context.t
    groups = kind_groups(context.engine(), context.lang())
    return dbc.Card(dbc.CardBody([
        html.H2(t("Bill kinds"), className="h5"),
        html.P(t("What the bill sources may bill; a row of a kind not listed here, or switched off, is set aside. "
                 "[[bill_kinds]] in the configuration adds kinds; an edit here wins over it."),
               className="small text-body-secondary"),
        dbc.Row([
            dbc.Col([dbc.Label(t("Bill kind"), html_for=KIND, className="visually-hidden"),
                     dbc.Select(id=KIND, options=kind_options(), placeholder=t("Choose a bill kind"))], md=4),
            dbc.Col(dbc.Input(id=KIND_NAME_ID, placeholder=t("Name in Indonesian")), md=4),
            dbc.Col(dbc.Input(id=KIND_NAME_EN, placeholder=t("Name in English")), md=4),
            dbc.Col([dbc.Label(t("Kind group"), html_for=KIND_GROUP, className="visually-hidden"),
                     dbc.Select(id=KIND_GROUP, options=[{"label": row.name, "value": row.code}
                                                     for row in groups.itertuples()])], md=4),
            dbc.Col(dbc.Checklist(id=KIND_FLAGS, inline=True, value=[],
                                  options=[{"label": t(label), "value": flag} for flag, label in FLAGS]), md=6),
            dbc.Col(dbc.Button(t("Save bill kind"), id=KIND_SAVE, color="primary", className="w-100"), md=2),
        ], className="g-2"),
        html.Div(id=KIND_FEEDBACK, className="mt-2", role="status"),
    ]), className="mt-3")


def prodi_card() -> dbc.Card:
    t = context.t
    return dbc.Card(dbc.CardBody([
        html.H2(t("Study programmes"), className="h5"),
        html.P(t("Programmes a bill sync created from the codes in bill rows have no name yet: they are listed "
                 "first. A source's prodi_query names them too."), className="small text-body-secondary"),
        dbc.Row([
            dbc.Col([dbc.Label(t("Study programme"), html_for=PRODI, className="visually-hidden"),
                     dbc.Select(id=PRODI, options=prodi_options(), placeholder=t("Choose a study programme"))],
                    md=6),
            dbc.Col(dbc.Input(id=PRODI_NAME, placeholder=t("Name")), md=6),
            dbc.Col([dbc.Label(t("Degree level"), html_for=PRODI_JENJANG, className="visually-hidden"),
                     dbc.Select(id=PRODI_JENJANG, options=[{"label": level, "value": level} for level in JENJANG])],
                    md=2),
            dbc.Col(dbc.Input(id=PRODI_JURUSAN, placeholder=t("Jurusan")), md=4),
            dbc.Col(dbc.Input(id=PRODI_FAKULTAS, placeholder=t("Faculty (if any)")), md=4),
            dbc.Col(dbc.Button(t("Save study programme"), id=PRODI_SAVE, color="primary", className="w-100"), md=2),
        ], className="g-2"),
        html.Div(id=PRODI_FEEDBACK, className="mt-2", role="status"),
    ]), className="mt-3")
