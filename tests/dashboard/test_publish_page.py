"""The publishing page (/publikasi-status) and its callbacks, called as the browser calls them: the administrator
publishes services and posts, the IT head posts only, other roles get neither page nor callbacks; a publication
reaches the public page at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from demo_web import UPDATE, payload
from sqlalchemy import func, select

from pantau.db import session_scope
from pantau.models import AuditEntry, Incident, Monitor, ProbeSample, StatusService, StatusUpdate, utcnow


@pytest.fixture
def campus(web):
    now = utcnow()
    with session_scope(web.engine) as session:
        link = Monitor(name="h2h-bni-link", role="bank-link", check="tcp", target="10.20.30.40:8443", status="down")
        session.add(link)
        session.flush()
        session.add(ProbeSample(monitor_id=link.id, checked_at=now, ok=False))
        session.add(Incident(monitor_id=link.id, kind="down", started_at=now - timedelta(minutes=5)))
        session.flush()
        return {"monitor": link.id, "incident": session.scalar(select(Incident.id))}


def save(monitor, label, shown=True):
    return payload([("publish-feedback", "children"), ("publish-services-body", "children")],
                   [("publish-save", "n_clicks", 1)],
                   [("publish-monitor", "value", str(monitor)), ("publish-label", "value", label),
                    ("publish-label-en", "value", None), ("publish-position", "value", 1),
                    ("publish-shown", "value", shown)])


def post(incident, state, note, title="Pembayaran VA BNI terganggu"):
    return payload([("publish-post-feedback", "children"), ("publish-incidents-body", "children")],
                   [("publish-post", "n_clicks", 1)],
                   [("publish-incident", "value", str(incident)), ("publish-state", "value", state),
                    ("publish-title", "value", title), ("publish-title-en", "value", None),
                    ("publish-note", "value", note), ("publish-note-en", "value", None)])


def test_publ001_the_admin_publishes_a_service_and_the_public_page_shows_it_at_once(web, campus):
    public = web.client()
    assert "Belum ada layanan" in public.get("/status").text  # cached now
    answer = web.client("admin").post(UPDATE, json=save(campus["monitor"], "Pembayaran VA BNI"))
    assert answer.status_code == 200 and "Layanan disimpan" in answer.text
    assert "Pembayaran VA BNI" in public.get("/status").text
    with session_scope(web.engine) as session:
        assert session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "status.service")) == "user.admin"


@pytest.mark.parametrize("role", ["admin", "kepala_it"])
def test_publ002_admin_and_it_head_post_and_update_an_incident(web, campus, role):
    with session_scope(web.engine) as session:
        session.add(StatusService(monitor_id=campus["monitor"], label="Pembayaran VA BNI", updated_by="admin"))
    client = web.client(role)
    assert web.client().get("/status.json").get_json()["incidents"] == []
    first = client.post(UPDATE, json=post(campus["incident"], "investigating", "Kami sedang memeriksa."))
    assert first.status_code == 200 and "Terkirim" in first.text
    again = client.post(UPDATE, json=post(campus["incident"], "resolved", "Sudah normal kembali."))
    assert again.status_code == 200 and "Terkirim" in again.text
    [incident] = web.client().get("/status.json").get_json()["incidents"]
    assert (incident["title"], incident["state"], incident["updates"][0]["note"]) == (
        "Pembayaran VA BNI terganggu", "resolved", "Sudah normal kembali.")
    with session_scope(web.engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.actor == f"user.{role}")) >= 3  # log-in, post, update


def test_publ003_the_it_head_may_not_choose_services(web, campus):
    client = web.client("kepala_it")
    answer = client.post(UPDATE, json=save(campus["monitor"], "Sembarang"))
    assert "Hanya administrator" in answer.text
    with session_scope(web.engine) as session:
        assert session.scalar(select(StatusService)) is None


@pytest.mark.parametrize("role", ["direktur", "bendahara", "operator"])
def test_publ004_other_roles_get_neither_the_page_nor_its_callbacks(web, campus, role):
    client = web.client(role)
    assert client.post(UPDATE, json=save(campus["monitor"], "X")).status_code == 403
    assert client.post(UPDATE, json=post(campus["incident"], "investigating", "x")).status_code == 403
    with session_scope(web.engine) as session:
        assert session.scalar(select(StatusService)) is None and session.scalar(select(StatusUpdate)) is None


def test_publ005_a_refused_post_says_why_and_stores_nothing(web, campus):
    answer = web.client("admin").post(UPDATE, json=post(campus["incident"], "investigating", "x"))
    assert "Publikasi ditolak: layanan insiden ini belum dipublikasikan" in answer.text
    empty = web.client("admin").post(UPDATE, json=save(campus["monitor"], "   "))
    assert "Publikasi ditolak: Label publik kosong" in empty.text


@pytest.mark.parametrize(("lang", "unpublished", "empty", "long", "unpicked"), [
    ("id", "Publikasi ditolak: layanan insiden ini belum dipublikasikan; publikasikan dahulu",
     "Publikasi ditolak: Label publik kosong", "Publikasi ditolak: Label publik lebih dari 80 karakter",
     "Publikasi ditolak: pilih barisnya dahulu"),
    ("en", "Publishing refused: the incident's service is not published; publish it first",
     "Publishing refused: Public label is empty", "Publishing refused: Public label is longer than 80 characters",
     "Publishing refused: choose a row first")])
def test_publ008_refusals_speak_the_readers_language(web, campus, lang, unpublished, empty, long, unpicked):
    """What the core refuses (its English message id and values) reaches the reader in the page's language."""
    client = web.client("admin")
    client.set_cookie("pantau_lang", lang)
    for request, expected in ((post(campus["incident"], "investigating", "x"), unpublished),
                              (save(campus["monitor"], "   "), empty), (save(campus["monitor"], "x" * 81), long),
                              (save(None, "Pembayaran"), unpicked)):
        answer = client.post(UPDATE, json=request)
        assert answer.status_code == 200, answer.text
        assert expected in json.dumps(answer.get_json(), ensure_ascii=False)


def edit(update, state, note, button="publish-edit"):
    return payload([("publish-edit-feedback", "children"), ("publish-notes-body", "children"),
                    ("publish-pick", "options"), ("publish-pick", "value")],
                   [("publish-edit", "n_clicks", 1 if button == "publish-edit" else None),
                    ("publish-withdraw", "n_clicks", 1 if button == "publish-withdraw" else None),
                    ("publish-post-feedback", "children", None)],
                   [("publish-pick", "value", str(update)), ("publish-edit-state", "value", state),
                    ("publish-edit-note", "value", note), ("publish-edit-note-en", "value", None)]) | {
        "changedPropIds": [f"{button}.n_clicks"]}


def _posted(web, campus, role) -> list[int]:
    """The incident posted with two notes by `role`; the notes' ids, oldest first."""
    with session_scope(web.engine) as session:
        session.add(StatusService(monitor_id=campus["monitor"], label="Pembayaran VA BNI", updated_by="admin"))
    client = web.client(role)
    client.post(UPDATE, json=post(campus["incident"], "investigating", "Kami sedang memeriksa."))
    client.post(UPDATE, json=post(campus["incident"], "identified", "Penyebabnya di jaringan bnak."))
    with session_scope(web.engine) as session:
        return list(session.scalars(select(StatusUpdate.id).order_by(StatusUpdate.id)))


@pytest.mark.parametrize("role", ["admin", "kepala_it"])
def test_publ006_a_note_is_edited_marked_updated_and_audited_then_withdrawn_from_page_and_feeds(web, campus, role):
    first, second = _posted(web, campus, role)
    client, public = web.client(role), web.client()
    edited = client.post(UPDATE, json=edit(second, "identified", "Penyebabnya di jaringan bank."))
    assert edited.status_code == 200 and "Catatan diubah" in edited.text
    page = public.get("/status").text
    assert "Penyebabnya di jaringan bank." in page and "bnak" not in page and "(diperbarui " in page
    [incident] = public.get("/status.json").get_json()["incidents"]
    assert incident["updates"][0]["edited_at"] and incident["updates"][1]["edited_at"] is None
    with session_scope(web.engine) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "status.incident.edit"))
        assert entry.actor == f"user.{role}"
        assert (entry.detail["before"]["note"], entry.detail["after"]["note"]) == (
            "Penyebabnya di jaringan bnak.", "Penyebabnya di jaringan bank.")

    withdrawn = client.post(UPDATE, json=edit(first, "investigating", "", button="publish-withdraw"))
    assert withdrawn.status_code == 200 and "Catatan ditarik" in withdrawn.text
    assert "Ditarik" in withdrawn.text, "the publishing page still lists the withdrawn note"
    assert "Kami sedang memeriksa." not in public.get("/status").text
    assert [u["note"] for u in public.get("/status.json").get_json()["incidents"][0]["updates"]] == [
        "Penyebabnya di jaringan bank."]
    client.post(UPDATE, json=edit(second, "identified", "", button="publish-withdraw"))
    assert public.get("/status.json").get_json()["incidents"] == [], "a post without a public note is gone"
    for where in ("/status", "/status.atom"):
        assert "Penyebabnya" not in public.get(where).text and "Kami sedang" not in public.get(where).text
    with session_scope(web.engine) as session:
        kept = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "status.incident.withdraw")
                               .order_by(AuditEntry.id)).all()
        assert [d["note"] for d in kept] == ["Kami sedang memeriksa.", "Penyebabnya di jaringan bank."]
    again = client.post(UPDATE, json=edit(first, "investigating", "", button="publish-withdraw"))
    assert "Publikasi ditolak: catatan ini sudah ditarik" in again.text


@pytest.mark.parametrize("role", ["direktur", "bendahara", "operator"])
def test_publ007_other_roles_may_neither_edit_nor_withdraw(web, campus, role):
    first, _ = _posted(web, campus, "admin")
    client = web.client(role)
    assert client.post(UPDATE, json=edit(first, "resolved", "diubah")).status_code == 403
    assert client.post(UPDATE, json=edit(first, "resolved", "", button="publish-withdraw")).status_code == 403
    with session_scope(web.engine) as session:
        update = session.get(StatusUpdate, first)
        assert (update.note, update.edited_at, update.withdrawn_at) == ("Kami sedang memeriksa.", None, None)
