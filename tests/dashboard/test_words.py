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

from app.demo.settle import settle_demo
from dashboard import access
from pantau.i18n import catalogue
from pantau.models import Monitor, TokenMovement, User
from pantau.models.monitoring import MaintenanceWindow, monitor_label
from pantau.models.status import StatusUpdate
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
PLOTTED = {"x", "y", "labels", "ticktext", "hovertext", "customdata"}
"""Figure keys whose strings a reader sees as axis categories, legend entries or hover text."""
STATE_CODES = ("bank_paid_app_unpaid", "app_paid_no_bank", "no_bill", "in_progress", "at_risk", "data_error",
               "expired_in_use", "partly_paid", "bill_source", "bank_inbox", "event_source", "case_key", "dedup_key",
               "=None", "role=")
"""Codes of states, kinds and fields that are no word in either language."""
INDONESIAN_STATE_CODES = ("matched", "unmatched", "unpaid", "overpaid", "acknowledged", "resolved", "partial",
                          "duplicate", "breached", "expired", "pending", "degraded", "unreachable")
"""State codes that are English words: raw codes when they show in Indonesian."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("words"))
    settle_demo(site.engine, site.settings)
    return site


def _strings(node, key: str | None = None, out: list | None = None, visible: set = VISIBLE) -> list[str]:
    """The visible strings of a component tree, a callback's answer or a figure."""
    out = [] if out is None else out
    if isinstance(node, dict):
        if node.get("type") == "DataTable" and isinstance(node.get("props"), dict):
            for row in node["props"].get("data") or []:
                out += [str(value) for value in row.values() if isinstance(value, str)]
        for name, value in node.items():
            if name in HIDDEN:
                if name == "data" and isinstance(value, list):  # figure traces
                    _strings(value, name, out, visible)
                continue
            _strings(value, name, out, visible)
    elif isinstance(node, list):
        for item in node:
            _strings(item, key, out, visible)
    elif isinstance(node, str) and key in visible and node.strip():
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


def _visit(client, path: str, key: str, dependencies: list, visible: set = VISIBLE) -> list[str]:
    """The page's visible strings: its layout, then each of its callbacks called once (twice over, so that one
    fed by another sees its output) with the values the page holds."""
    response = client.post(UPDATE, json=page(path))
    assert response.status_code == 200, response.text[:300]
    tree = response.json["response"]["_pages_content"]["children"]
    assert "shell-not-authorised" not in json.dumps(tree), f"{path} refused"
    strings, values = _strings(tree, visible=visible), _values(tree)
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
                        strings += _strings(value, prop, visible=visible)
                        values.update(_values(value))
    return strings


def _campus_words(site) -> set[str]:
    """What the campus wrote in its own words, shown as written in both languages: the SOPs' unit names, the
    notes of its maintenance windows and of its status page, and what it calls its monitors."""
    units = {step.unit for sop in sla_context(site.settings).catalogue.values() for step in sop.steps if step.unit}
    with site.engine.connect() as connection:
        notes = set(connection.scalars(select(MaintenanceWindow.note).where(MaintenanceWindow.note.is_not(None))))
        notes |= set(connection.scalars(select(StatusUpdate.note)))
        monitors = set(connection.scalars(select(monitor_label())))
    return units | monitors | {text for note in notes for text in (note, f"· {note}")}


def _wrong(strings: list[str], lang: str, campus: set[str] = frozenset()) -> list[str]:
    """The strings that belong to the other language (what the campus wrote itself aside)."""
    strings = [text for text in strings if text not in campus]
    indonesian = {msgid: msgstr for msgid, msgstr in catalogue("id").items() if msgid.strip() != msgstr.strip()}
    foreign = set(indonesian) if lang == "id" else set(indonesian.values()) - set(catalogue("id"))
    words = ENGLISH_ONLY if lang == "id" else INDONESIAN_ONLY
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    wrong = [text for text in strings if text in foreign and "{" not in text and not text.isupper()]
    quoted = sorted((text for text in campus if len(text) > 20), key=len, reverse=True)  # a note quoted in a line

    def own(text: str) -> str:
        for note in quoted:
            text = text.replace(note, "")
        return text

    wrong += [text for text in strings if text not in wrong and pattern.search(own(text))]
    return sorted(set(wrong))


def _keys(site, username: str) -> list[str]:
    """The pages `username` may open."""
    with site.engine.connect() as connection:
        row = connection.execute(select(User.role, User.unit).where(
            User.username == (username if "." in username else f"user.{username}"))).one()
    user = type("Reader", (), {"is_authenticated": True, "role": row.role, "unit": row.unit})()
    with site.app.server.test_request_context():  # access.may_see reads the app's settings
        return [key for key in access.PAGES if access.may_see(user, key)]


def _raw_codes(site, lang: str) -> re.Pattern:
    """Identifiers a reader must never see: the monitors' configured keys (`payment-server`: the demo names each
    one), token channel codes, semester codes (`20261`, not inside a bill or case number), audit actions and
    state codes (those that are English words only in Indonesian)."""
    from dashboard.components.audit_words import ACTIONS
    with site.engine.connect() as connection:
        monitors = set(connection.scalars(select(Monitor.name)))
        channels = set(connection.scalars(select(TokenMovement.channel).distinct()))
    words = sorted(monitors | {c for c in channels if "-" in c} | set(ACTIONS) | set(STATE_CODES)
                   | (set(INDONESIAN_STATE_CODES) if lang == "id" else set()), key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, words)) + r"|20\d\d[12])(?![\w-])")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("username", USERS)
def test_words003_no_page_shows_a_raw_code(site, username, lang):
    """Monitors by their names, token channels by name, semesters as "2026/2027 Ganjil", states and audit actions
    in words: on every page of every role, in its text, tables, options and figures (axes, legends, hover)."""
    client = site.client(username)
    client.set_cookie("pantau_lang", lang)
    dependencies = client.get("/_dash-dependencies").json
    pattern, found = _raw_codes(site, lang), {}
    for key in _keys(site, username):
        shown = _visit(client, access.PAGES[key].path, key, dependencies, VISIBLE | PLOTTED)
        raw = sorted({text[:100] for text in shown if pattern.search(text)})
        if raw:
            found[key] = raw[:8]
    assert not found, f"{username} in {lang}: raw codes shown: {found}"


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


@pytest.mark.parametrize(("lang", "taken", "malformed"), [
    ("id", "pengguna 'user.direktur' sudah ada", "nama pengguna 'nama salah' hanya boleh"),
    ("en", "user 'user.direktur' already exists", "user name 'nama salah' may hold letters")])
def test_words004_the_users_form_refuses_in_the_readers_language(site, lang, taken, malformed):
    """A refused new user (a name taken, a name with a space) is told in the page's language: the refusal's words
    come from the catalogue, not the core's English."""
    client = site.client("admin")
    client.set_cookie("pantau_lang", lang)
    dependencies = client.get("/_dash-dependencies").json
    output = next(d["output"] for d in dependencies if "admin-feedback.children" in d["output"])
    for name, expected in (("user.direktur", taken), ("nama salah", malformed)):
        answer = client.post(UPDATE, json={
            "output": output,
            "outputs": [{"id": i, "property": "children"}
                        for i in ("admin-feedback", "admin-users-body", "admin-audit-body")],
            "inputs": [{"id": "admin-add", "property": "n_clicks", "value": 1},
                       {"id": "admin-toggle", "property": "n_clicks", "value": None},
                       {"id": "admin-logout-everywhere", "property": "n_clicks", "value": None}],
            "changedPropIds": ["admin-add.n_clicks"],
            "state": [{"id": "admin-name", "property": "value", "value": name},
                      {"id": "admin-full-name", "property": "value", "value": ""},
                      {"id": "admin-role", "property": "value", "value": "operator"},
                      {"id": "admin-unit", "property": "value", "value": None},
                      {"id": "admin-users", "property": "data", "value": []},
                      {"id": "admin-users", "property": "selected_rows", "value": []},
                      {"id": "admin-audit-filter", "property": "value", "value": "all"}]})
        assert answer.status_code == 200, answer.text
        assert expected in json.dumps(answer.json["response"]["admin-feedback"], ensure_ascii=False)
