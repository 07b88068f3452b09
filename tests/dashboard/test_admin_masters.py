"""The admin page's bill kinds and study programmes (issue 17, points 1 and 3): the administrator renames a
kind, regroups it and switches it off, and names a programme a bill sync created from a code, in Chromium;
every change is audited. Other roles are refused on the server, for the page's save callbacks too."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import dash
import pytest
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from pantau.db import session_scope
from pantau.models import AuditEntry, Bill, BillKind, Prodi

UPDATE = "/_dash-update-component"
BROWSER = pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                             reason="browser tests need Debian's chromium and chromium-driver")
SAVE_KIND = {
    "outputs": [{"id": "admin-kind-feedback", "property": "children"}, {"id": "admin-kind", "property": "options"},
                {"id": "admin-audit-body", "property": "children"}],
    "inputs": [{"id": "admin-kind-save", "property": "n_clicks", "value": 1}],
    "state": [{"id": "admin-kind", "property": "value", "value": "wisuda"},
              {"id": "admin-kind-name-id", "property": "value", "value": "Dibajak"},
              {"id": "admin-kind-name-en", "property": "value", "value": "Hijacked"},
              {"id": "admin-kind-group", "property": "value", "value": "denda"},
              {"id": "admin-kind-flags", "property": "value", "value": []},
              {"id": "admin-audit-filter", "property": "value", "value": "all"}],
    "changedPropIds": ["admin-kind-save.n_clicks"],
}


@pytest.fixture
def unnamed(web):
    """A programme a bill sync created from the code in a bill row, with its bill."""
    with session_scope(web.engine) as session:
        prodi = Prodi(code="TI-D4", name="TI-D4", jenjang="", jurusan="", name_unknown=True, source="billing")
        session.add(prodi)
        session.flush()
        session.add(Bill(source="billing", source_key="INV-1", kind="ukt", payer_name="Rina", semester="20252",
                         prodi_id=prodi.id, amount=Decimal(1_000_000), va_number="988101", due_date=date(2026, 3, 1)))
        return prodi.id


def _save_kind(web) -> dict:
    """The request Dash sends when the kind form's save button is pressed (its output key read from the app)."""
    keys = [*web.app.callback_map, *dash._callback.GLOBAL_CALLBACK_MAP]
    return {"output": next(key for key in keys if key.startswith("..admin-kind-feedback.")), **SAVE_KIND}


def _kind(web, code: str) -> tuple:
    with web.engine.connect() as connection:
        return tuple(connection.execute(select(BillKind.name_id, BillKind.name_en, BillKind.group_code,
                                               BillKind.active, BillKind.origin).where(BillKind.code == code)).one())


@pytest.mark.parametrize("role", ["direktur", "kepala_it", "bendahara", "operator"])
def test_admmaster001_other_roles_cannot_save_a_kind_the_admin_can(web, role):
    client = web.client(role)
    before = _kind(web, "wisuda")

    answer = client.post(UPDATE, json=_save_kind(web))

    assert answer.status_code == 403 and _kind(web, "wisuda") == before
    assert web.client("admin").post(UPDATE, json=_save_kind(web)).status_code == 200
    assert _kind(web, "wisuda") == ("Dibajak", "Hijacked", "denda", False, "admin")


def _log_in(dash_duo, username: str, password: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)


def _type(dash_duo, selector: str, text: str) -> None:
    box = dash_duo.find_element(selector)
    box.clear()
    box.send_keys(text)


@BROWSER
@pytest.mark.browser
def test_admmaster002_the_admin_edits_a_kind_and_names_a_programme_in_chromium(dash_duo, web, unnamed):
    dash_duo.start_server(web.app, navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    _log_in(dash_duo, "user.admin", web.password)
    dash_duo.driver.get(f"{dash_duo.server.url}/pengguna")
    dash_duo.wait_for_element("#admin-kind-save", timeout=20)

    Select(dash_duo.find_element("#admin-kind")).select_by_value("wisuda")
    dash_duo.wait_for_text_to_equal("#admin-kind-name-en", "Graduation", timeout=20)
    _type(dash_duo, "#admin-kind-name-id", "Wisuda dan ijazah")
    Select(dash_duo.find_element("#admin-kind-group")).select_by_value("pendidikan")
    active = dash_duo.find_element("#admin-kind-flags input[value='active']")
    dash_duo.driver.execute_script("arguments[0].click();", active)
    dash_duo.find_element("#admin-kind-save").click()
    dash_duo.wait_for_contains_text("#admin-kind-feedback", "Jenis tagihan disimpan.", timeout=20)
    assert _kind(web, "wisuda") == ("Wisuda dan ijazah", "Graduation", "pendidikan", False, "admin")

    labels = [option.text for option in Select(dash_duo.find_element("#admin-prodi")).options]
    assert any(label.startswith("TI-D4 · TI-D4 (nama belum diketahui) (1 tagihan)") for label in labels), labels
    Select(dash_duo.find_element("#admin-prodi")).select_by_value(str(unnamed))
    _type(dash_duo, "#admin-prodi-name", "Sarjana Terapan Teknik Informatika")
    Select(dash_duo.find_element("#admin-prodi-jenjang")).select_by_value("D4")
    _type(dash_duo, "#admin-prodi-jurusan", "Jurusan Teknik Elektro")
    dash_duo.find_element("#admin-prodi-save").click()
    dash_duo.wait_for_contains_text("#admin-prodi-feedback", "Program studi disimpan.", timeout=20)
    with session_scope(web.engine) as session:
        prodi = session.get(Prodi, unnamed)
        assert (prodi.name, prodi.jenjang, prodi.jurusan, prodi.name_unknown) == (
            "Sarjana Terapan Teknik Informatika", "D4", "Jurusan Teknik Elektro", False)
        audited = {(entry.actor, entry.action, entry.target) for entry in session.scalars(select(AuditEntry))}
    assert {("user.admin", "admin.kind.update", "bill_kind:wisuda"),
            ("user.admin", "admin.prodi.update", "prodi:TI-D4")} <= audited
    assert dash_duo.get_logs() == []
