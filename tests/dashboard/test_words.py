"""Every page speaks one language at a time (issue 19, words): each role opens each page it may see, in
Indonesian and in English (the `pantau_lang` cookie), and the page's callbacks answer once with what the page
itself holds; of every visible string (text, labels, placeholders, table headers and cells, figure titles), one
that is a message of the catalogue must be the reader's side of it, and the words listed below that belong to
one language only must not show in the other."""

from __future__ import annotations

import json
import re

import pytest
from demo_web import UPDATE, demo_web, page
from sqlalchemy import select

from app.cli.seeding import settle_demo
from dashboard import access
from pantau.i18n import catalogue
from pantau.models import User
from pantau.models.monitoring import MaintenanceWindow
from pantau.sla.context import sla_context

USERS = ("direktur", "kepala_it", "bendahara", "operator", "admin", "ops.ktm", "ops.kso")
INDONESIAN_ONLY = ("jam", "menit", "hari kerja", "Lunas", "Belum lunas", "Tagihan", "Ganjil", "Genap",
                   "Simpan", "Batal", "Unduh", "Cari", "Semua", "Selesaikan", "Tidak ada data", "Belum ada")
ENGLISH_ONLY = ("hours", "minutes", "working days", "Paid", "Unpaid", "Overdue", "Save", "Cancel", "Download",
                "Search", "required", "matched", "unpaid", "None", "Odd", "Even", "login.ok", "Not authorised")
VISIBLE = {"children", "label", "placeholder", "title", "text", "name", "header", "tooltip_header", "aria-label",
           "alt", "message", "displayed"}
"""The properties (and figure keys) whose strings a reader sees."""
HIDDEN = {"id", "className", "style", "href", "src", "type", "namespace", "value", "data", "hovertemplate"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("words"))
    settle_demo(site.engine, site.settings)
    return site


def _strings(node, key: str | None = None, out: list | None = None) -> list[str]:
    """The visible strings of a component tree, a callback's answer or a figure."""
    out = [] if out is None else out
    if isinstance(node, dict):
        if node.get("type") == "DataTable" and isinstance(node.get("props"), dict):
            for row in node["props"].get("data") or []:
                out += [str(value) for value in row.values() if isinstance(value, str)]
        for name, value in node.items():
            if name in HIDDEN:
                if name == "data" and isinstance(value, list):  # figure traces
                    _strings(value, name, out)
                continue
            _strings(value, name, out)
    elif isinstance(node, list):
        for item in node:
            _strings(item, key, out)
    elif isinstance(node, str) and key in VISIBLE and node.strip():
        out.append(node.strip())
    return out


def _values(node, found: dict | None = None) -> dict:
    """(component id, property) -> value of every component with an id in a tree."""
    found = {} if found is None else found
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "namespace" in node and isinstance(props.get("id"), str):
            for name, value in props.items():
                found[(props["id"], name)] = value
        for value in node.values():
            _values(value, found)
    elif isinstance(node, list):
        for item in node:
            _values(item, found)
    return found


def _outputs(spec: str) -> list[tuple[str, str]]:
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return [tuple(part.rsplit(".", 1)) for part in parts]


def _visit(client, path: str, key: str, dependencies: list) -> list[str]:
    """The page's visible strings: its layout, then each of its callbacks called once (twice over, so that one
    fed by another sees its output) with the values the page holds."""
    response = client.post(UPDATE, json=page(path))
    assert response.status_code == 200, response.text[:300]
    tree = response.json["response"]["_pages_content"]["children"]
    assert "shell-not-authorised" not in json.dumps(tree), f"{path} refused"
    strings, values = _strings(tree), _values(tree)
    own = [d for d in dependencies if not d.get("clientside_function")
           and all(isinstance(i, str) and i.split("-", 1)[0] == key for i, _ in _outputs(d["output"]))
           and all(isinstance(i["id"], str) and i["id"].split("-", 1)[0] == key for i in d["inputs"] + d["state"])]
    for _ in range(2):
        for dependency in own:
            if any((i["id"], "id") not in values for i in dependency["inputs"] + dependency["state"]):
                continue  # a component the page shows only after a gesture
            outputs = _outputs(dependency["output"])
            inputs = [{**i, "value": values.get((i["id"], i["property"]))} for i in dependency["inputs"]]
            state = [{**s, "value": values.get((s["id"], s["property"]))} for s in dependency["state"]]
            body = {"output": dependency["output"],
                    "outputs": [{"id": i, "property": p} for i, p in outputs] if len(outputs) > 1
                    else {"id": outputs[0][0], "property": outputs[0][1]},
                    "inputs": inputs, "state": state,
                    "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else []}
            answer = client.post(UPDATE, json=body)
            if answer.status_code == 403:
                continue  # a gesture of another role (a reader's page offers it no button)
            assert answer.status_code in (200, 204), f"{path} {dependency['output']}: {answer.status_code}"
            if answer.status_code == 200:
                for component, props in answer.json["response"].items():
                    for prop, value in props.items():
                        values[(component, prop)] = value
                        strings += _strings(value, prop)
                        values.update(_values(value))
    return strings


def _campus_words(site) -> set[str]:
    """What the campus wrote in its own words, shown as written in both languages: the SOPs' unit names and the
    notes of its maintenance windows."""
    units = {step.unit for sop in sla_context(site.settings).catalogue.values() for step in sop.steps if step.unit}
    with site.engine.connect() as connection:
        notes = set(connection.scalars(select(MaintenanceWindow.note).where(MaintenanceWindow.note.is_not(None))))
    return units | {text for note in notes for text in (note, f"· {note}")}


def _wrong(strings: list[str], lang: str, campus: set[str] = frozenset()) -> list[str]:
    """The strings that belong to the other language (what the campus wrote itself aside)."""
    strings = [text for text in strings if text not in campus]
    indonesian = {msgid: msgstr for msgid, msgstr in catalogue("id").items() if msgid.strip() != msgstr.strip()}
    foreign = set(indonesian) if lang == "id" else set(indonesian.values()) - set(catalogue("id"))
    words = ENGLISH_ONLY if lang == "id" else INDONESIAN_ONLY
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    wrong = [text for text in strings if text in foreign and "{" not in text and not text.isupper()]
    wrong += [text for text in strings if text not in wrong and pattern.search(text)]
    return sorted(set(wrong))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("username", USERS)
def test_words001_every_page_of_every_role_shows_only_the_readers_language(site, username, lang):
    client = site.client(username)
    client.set_cookie("pantau_lang", lang)
    dependencies = client.get("/_dash-dependencies").json
    with site.engine.connect() as connection:
        row = connection.execute(select(User.role, User.unit).where(
            User.username == (username if "." in username else f"user.{username}"))).one()
    user = type("Reader", (), {"is_authenticated": True, "role": row.role, "unit": row.unit})()
    with site.app.server.test_request_context():  # access.may_see reads the app's settings
        keys = [key for key in access.PAGES if access.may_see(user, key)]
    assert keys, f"{username} sees no page"
    found, campus = {}, _campus_words(site)
    for key in keys:
        wrong = _wrong(_visit(client, access.PAGES[key].path, key, dependencies), lang, campus)
        if wrong:
            found[key] = wrong
    assert not found, f"{username} in {lang}: strings of the other language: {found}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_words002_the_audit_log_says_actions_and_details_in_words(site, lang):
    from dashboard.components.audit_words import ACTIONS

    client = site.client("admin")  # a log-in: audited as login.ok
    client.set_cookie("pantau_lang", lang)
    text = " | ".join(_strings(client.post(UPDATE, json=page("/pengguna")).json))
    assert catalogue(lang).get(ACTIONS["login.ok"], ACTIONS["login.ok"]) in text
    assert "login.ok" not in text and "user.create" not in text
    assert "=None" not in text and "role=" not in text
