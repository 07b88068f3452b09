"""The SOP import page (/impor-sop) and its callbacks as the browser calls them: the administrator publishes a
reviewed document as a new catalogue version (audited), a draft without an executor is refused saying where,
every other role gets neither the page nor its callbacks (403) and nothing is stored."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from demo_web import UPDATE, page, payload
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry, SopVersion

SEED = Path(__file__).parents[1] / "data" / "sops" / "webservice.txt"
KTM_SEED = SEED.with_name("ktm_elektronik.txt")
"""Its activities are bare nouns ("Sosialisasi Pembuatan KTM"): four of its five steps get no executor on import."""
EXECUTOR = "sopimport-executor"


def document(seed: Path = SEED) -> dict:
    return {"name": seed.name, "contents": "data:text/plain;base64," + base64.b64encode(seed.read_bytes()).decode()}


def publish(executors: dict[int, str | None], code: str = "WS", uploaded: dict | None = None) -> dict:
    request = payload([("sopimport-feedback", "children"), ("sopimport-versions", "children")],
                      [("sopimport-publish", "n_clicks", 1)],
                      [("sopimport-file", "data", uploaded if uploaded is not None else document()),
                       ("sopimport-code", "value", code), ("sopimport-name", "value", "Pengelolaan Webservice"),
                       ("sopimport-institution", "value", "Universitas Syiah Kuala"),
                       ("sopimport-number", "value", "POB/04/PSI/TIK/2020"), ("sopimport-unit", "value", "UPT TIK")])
    ids = [{"type": EXECUTOR, "index": index} for index in range(5)]
    request["state"] += [[{"id": i, "property": "value", "value": executors.get(i["index"])} for i in ids],
                         [{"id": i, "property": "id", "value": i} for i in ids]]
    return request


def review() -> dict:
    return payload([("sopimport-draft", "children"), ("sopimport-file", "data")],
                   [("sopimport-upload", "contents", document()["contents"])],
                   [("sopimport-upload", "filename", SEED.name), ("sopimport-code", "value", "WS")])


def versions(web) -> list[tuple]:
    with session_scope(web.engine) as session:
        return session.execute(select(SopVersion.sop_code, SopVersion.version, SopVersion.published_by)).all()


def test_sopimppage001_the_admin_publishes_once_every_executor_is_chosen(web):
    client = web.client("admin")
    refused = client.post(UPDATE, json=publish({}, code="KTM", uploaded=document(KTM_SEED)))
    assert refused.status_code == 200 and "Belum diterbitkan" in refused.text and "baris 147" in refused.text
    assert versions(web) == []
    chosen = {0: "Unit Kerja", 1: "ADM", 2: "PSI", 3: "PSI", 4: "ADM"}
    answer = client.post(UPDATE, json=publish(chosen))
    assert answer.status_code == 200 and "WS versi 1 diterbitkan" in answer.text
    assert versions(web) == [("WS", 1, "user.admin")]
    with session_scope(web.engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sop.publish")).one()
        assert (entry.actor, entry.target, entry.detail["source"]) == ("user.admin", "WS v1", "webservice.txt")


def test_sopimppage002_an_upload_that_is_no_document_is_refused_politely(web):
    answer = web.client("admin").post(UPDATE, json=publish({}, uploaded={"name": "x.txt", "contents": "%%%"}))
    assert answer.status_code == 200 and "Unggah dokumen SOP terlebih dahulu" in answer.text
    assert versions(web) == []


@pytest.mark.parametrize("role", ["direktur", "kepala_it", "bendahara", "operator"])
def test_sopimppage003_other_roles_get_neither_the_page_nor_its_callbacks(web, role):
    client = web.client(role)
    assert client.post(UPDATE, json=publish({0: "Unit Kerja", 1: "ADM", 2: "PSI", 3: "PSI", 4: "ADM"})
                       ).status_code == 403
    assert client.post(UPDATE, json=review()).status_code == 403
    assert "Impor SOP" not in client.post(UPDATE, json=page("/impor-sop")).text
    assert versions(web) == []


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["Dokumen tidak dapat dibaca: rusak.txt, baris 3, kolom Waktu: judul tabel SOP tidak punya kolom 'Waktu'",
            "Dokumen tidak dapat dibaca: kosong.txt, baris 3, kolom Kegiatan: baris ini tidak punya kegiatan",
            "Dokumen tidak dapat dibaca: bukan.docx: bukan dokumen .docx"]),
    ("en", ["The document cannot be read: rusak.txt, line 3, column Waktu: the SOP table's header has no 'Waktu' "
            "column", "The document cannot be read: kosong.txt, line 3, column Kegiatan: the row has no activity",
            "The document cannot be read: bukan.docx: not a .docx document"])])
def test_sopimppage004_an_unreadable_document_is_refused_in_the_readers_language(web, lang, expected):
    """Where the document fails (file, line, the document's own column) and why, in the page's language."""
    client = web.client("admin")
    client.set_cookie("pantau_lang", lang)
    documents = [("rusak.txt", b"Nama SOP\tContoh\n\nNo\tKegiatan\tPelaksana\t\tMutu Baku\n\t\tA\tB\tKelengkapan\n"),
                 ("kosong.txt", b"No\tKegiatan\tPelaksana\t\tWaktu\n\t\tA\tB\t\n1\t\t\t\t5 menit\n"),
                 ("bukan.docx", b"not a zip")]
    output = next(d["output"] for d in client.get("/_dash-dependencies").json if "sopimport-draft" in d["output"])
    for (name, data), words in zip(documents, expected, strict=True):
        contents = "data:text/plain;base64," + base64.b64encode(data).decode()
        request = payload([("sopimport-draft", "children")], [("sopimport-upload", "contents", contents)],
                          [("sopimport-upload", "filename", name), ("sopimport-code", "value", "WS")])
        request["output"] = output  # the feedback output allows duplicates: its id carries a hash
        request["outputs"] = [{"id": part.split(".")[0], "property": part.split(".")[1]}
                              for part in output.strip(".").split("...")]
        answer = client.post(UPDATE, json=request)
        assert answer.status_code == 200, answer.text
        assert words in json.dumps(answer.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "tahap 3 belum punya pelaksana: pilih kolom Pelaksananya"),
    ("en", "step 3 has no executor: choose its Pelaksana column")])
def test_sopimppage005_a_refused_publication_says_the_step_in_the_readers_language(web, lang, expected):
    """The core's last check (a step without an executor) is a refusal the page says in the reader's language (the
    page's own check finds such a draft first, so the core's is called directly)."""
    from pantau.i18n import refusal_words
    from pantau.sops.imports import import_document
    from pantau.sops.versions import PublishRefused, publish

    draft = import_document(SEED, code="WS", unit="UPT TIK").with_executors(
        {0: "Unit Kerja", 1: "ADM", 2: "PSI", 3: "PSI", 4: "ADM"})
    sop = draft.sop()
    steps = list(sop.steps)
    steps[2] = steps[2].model_copy(update={"performer": " "})
    sop = sop.model_copy(update={"steps": steps})
    with session_scope(web.engine) as session, pytest.raises(PublishRefused) as refused:
        publish(session, sop, actor="user.admin", source="webservice.txt")
    assert refusal_words(refused.value, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Kode, hanya huruf kapital, angka dan '_', diawali huruf"),
    ("en", "Code, capital letters, digits and '_' only, beginning with a letter")])
def test_sopimppage006_a_code_the_catalogue_refuses_is_said_in_the_readers_language(web, lang, expected):
    client = web.client("admin")
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=publish({0: "Unit Kerja", 1: "ADM", 2: "PSI", 3: "PSI", 4: "ADM"}, code="ws-1"))
    assert answer.status_code == 200 and expected in json.dumps(answer.get_json(), ensure_ascii=False)
    assert "String should match" not in answer.text and versions(web) == []
