"""Collection by kind group and bill kind on the payments page, the overview and the monthly report (issue 17,
point 1): every role that may see a page gets the breakdown by name in its language, with the figures of
queries.kind_breakdown and the age of the bills behind them; a role that may not see it gets none, and the
server refuses its callbacks."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from clicker import Clicker, FaultLog
from dash.testing.browser import Browser
from demo_web import NOW, UPDATE, demo_web, payload
from selenium.webdriver.common.by import By

from pantau import formatting
from pantau.models import utcnow
from pantau.recon import reconcile
from queries import kind_breakdown
from queries.payments import BillFilter

ZONE = "Asia/Jakarta"
KINDS = payload([("payments-kind-breakdown", "children")],
                [("payments-semester", "value", "all"), ("payments-kinds", "value", None),
                 ("payments-prodi", "value", None), ("payments-angkatan", "value", None),
                 ("payments-tick", "n_intervals", None)])
PAYMENT_ROLES = ("bendahara", "direktur", "admin")
DEMO_NAMES = {"id": ("Biaya pendidikan", "Herregistrasi", "Penerimaan mahasiswa baru", "Registrasi",
                     "Pendaftaran (Sipenmatu)", "Semua jenis tagihan"),
              "en": ("Tuition and study fees", "Re-registration", "Admission", "Registration",
                     "Application fee (Sipenmatu)", "All bill kinds")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("kinds"))
    reconcile(site.engine, site.settings, now=NOW)
    site.faults = FaultLog().install(site.app.server)
    return site


def _today() -> date:
    return formatting.local(utcnow(), ZONE).date()


def _texts(node, out: list | None = None) -> list[str]:
    """The strings a component tree shows."""
    out = [] if out is None else out
    if isinstance(node, dict):
        _texts(node.get("props", {}).get("children"), out)
    elif isinstance(node, list):
        for item in node:
            _texts(item, out)
    elif isinstance(node, str):
        out.append(node)
    return out


def _lines(engine, lang: str, semester: str | None = None, as_of: date | None = None) -> list[dict]:
    frame = kind_breakdown.by_kind(engine, as_of=as_of or _today(), bills=BillFilter(semester=semester), lang=lang)
    return kind_breakdown.worded(frame, lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", PAYMENT_ROLES)
def test_kbpage001_payments_shows_each_group_with_its_kinds_by_name(site, role, lang):
    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=KINDS)
    assert answer.status_code == 200
    shown = _texts(answer.json["response"]["payments-kind-breakdown"]["children"])
    expected = _lines(site.engine, lang)
    assert [line["label"] for line in expected] and set(DEMO_NAMES[lang]) <= {line["label"] for line in expected}
    for line in expected:
        assert [line["label"], line["bills"], line["billed"], line["paid"], line["rate"],
                line["outstanding"]] == shown[shown.index(line["label"]):shown.index(line["label"]) + 6]
    assert ("semua semester" if lang == "id" else "all semesters") in shown
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"
    assert not {"herregistrasi", "registrasi", "sipenmatu", "pendidikan", "penerimaan"} & set(shown), "no codes"


@pytest.mark.parametrize("role", ["kepala_it", "operator"])
def test_kbpage002_payments_refuses_the_breakdown_to_other_roles(site, role):
    assert site.client(role).post(UPDATE, json=KINDS).status_code == 403


OVERVIEW = payload([("overview-kinds", "children")], [("overview-tick", "n_intervals", None)])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", PAYMENT_ROLES)
def test_kbpage003_the_overview_splits_the_collection_rate_cards_semester_by_group_and_kind(site, role, lang):
    from queries import overview

    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=OVERVIEW)
    assert answer.status_code == 200
    card = answer.json["response"]["overview-kinds"]["children"]
    shown = _texts(card)
    found = overview.kind_collection(site.engine, site.settings, utcnow())
    lines = kind_breakdown.worded(found.frames[lang], lang)
    assert set(DEMO_NAMES[lang]) & {line["label"] for line in lines}
    for line in lines:
        assert [line["label"], line["billed"], line["paid"], line["rate"]] == \
            shown[shown.index(line["label"]):shown.index(line["label"]) + 4]
    rate = next(kpi for kpi in overview.payment_kpis(site.engine, site.settings, utcnow())
                if kpi.key == "collection_rate")
    assert f"?semester={found.semester}" in str(card) and found.semester == rate.words["semester"]
    assert lines[-1]["rate"] == formatting.percent(rate.value, lang), "the total is the collection rate card's"
    from pantau import semesters
    assert f"semester {semesters.label(found.semester, lang)}" in shown
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"


def test_kbpage004_the_it_head_has_no_finance_card_and_operators_are_refused(site):
    answer = site.client("kepala_it").post(UPDATE, json=OVERVIEW)
    assert answer.status_code == 200 and answer.json["response"]["overview-kinds"]["children"] is None
    assert site.client("operator").post(UPDATE, json=OVERVIEW).status_code == 403


def _report(month: str) -> dict:
    return payload([("report-body", "children")], [("report-month", "value", month)])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", ["direktur", "admin"])
def test_kbpage005_the_monthly_report_has_the_breakdown_as_of_its_month(site, role, lang):
    from queries import monthly_report as monthly

    month = monthly.previous_month(utcnow(), ZONE)
    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=_report(month))
    assert answer.status_code == 200
    shown = _texts(answer.json["response"]["report-body"]["children"])
    title, scope, lines = monthly.kind_section(monthly.build(site.engine, site.settings, month), lang)
    assert title in shown and scope in shown and set(DEMO_NAMES[lang]) & {line["label"] for line in lines}
    for line in lines:
        assert [line["label"], line["bills"], line["billed"], line["paid"], line["rate"],
                line["outstanding"]] == shown[shown.index(line["label"]):shown.index(line["label"]) + 6]
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"


@pytest.mark.parametrize("role", ["kepala_it", "bendahara", "operator"])
def test_kbpage006_the_report_is_refused_to_other_roles(site, role):
    assert site.client(role).post(UPDATE, json=_report("2026-11")).status_code == 403


# --- in Chromium ------------------------------------------------------------------------------------------------

PAGES = {"direktur": ("overview", "payments", "report"), "bendahara": ("overview", "payments"),
         "admin": ("overview", "payments", "report"), "kepala_it": ("overview",)}


def _shown_rows(reader, table: str) -> list[list[str]]:
    """Each body row of a breakdown table as the reader sees it: the name, then the figures."""
    return reader.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
        ".map(r => Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim()));", table)


def _expected(lines: list[dict], columns: tuple[str, ...]) -> list[list[str]]:
    return [[line["label"], *(line[key] for key in columns)] for line in lines]


def _wait_rows(reader, table: str, expected: list[list[str]]) -> None:
    reader.find(table)
    reader.until(lambda: _shown_rows(reader, table) == expected,
                 f"{table} should read {expected}, reads {_shown_rows(reader, table)}")


FULL = ("bills", "billed", "paid", "rate", "outstanding")


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
@pytest.mark.parametrize("role", list(PAGES))
def test_kbpage007_every_role_reads_the_breakdown_on_each_page_it_may_open(site, url, role, request, tmp_path):
    """In Chromium, each role that may open the overview, the payments page or the report reads there the
    breakdown's names and figures as the queries give them (the payments page's after choosing every semester too),
    while the server answers no error and the console stays clean; the IT head's overview has no finance card."""
    from pantau import semesters
    from queries import monthly_report as monthly
    from queries import overview, payments

    now = utcnow()
    with Browser("chrome", headless=request.config.getoption("headless"), download_path=str(tmp_path)) as browser:
        browser.driver.set_window_size(1366, 900)
        reader = Clicker(browser, url, site.faults, f"user.{role}")
        reader.log_in()
        reader.open("overview", "#overview-cards .kpi-card")
        reader.settle()
        if "payments" in PAGES[role]:
            found = overview.kind_collection(site.engine, site.settings, now)
            lines = kind_breakdown.worded(found.frames["id"], "id")
            _wait_rows(reader, "#overview-kinds-table", _expected(lines, ("billed", "paid", "rate")))
            card = reader.text("#overview-kind-card")
            assert "Pelunasan per kelompok dan jenis tagihan" in card and "Data per " in card
            assert f"semester {semesters.label(found.semester, 'id')}" in card
        else:
            assert not reader.driver.find_elements(By.ID, "overview-kind-card"), "no finance card for the IT head"
        reader.clean(f"{role} on the overview")
        if "payments" in PAGES[role]:
            reader.open("payments", "#payments-summary .kpi-card")
            chosen = payments.current_semester(site.engine, _today())
            _wait_rows(reader, "#payments-kinds-table", _expected(_lines(site.engine, "id", chosen), FULL))
            reader.pick("#payments-semester", label="Semua semester")
            _wait_rows(reader, "#payments-kinds-table", _expected(_lines(site.engine, "id"), FULL))
            assert "semua semester" in reader.text("#payments-kind-breakdown")
            reader.settle()
            reader.clean(f"{role} on the payments page")
        if "report" in PAGES[role]:
            reader.open("report", "#report-body h1")
            month = monthly.previous_month(now, ZONE)
            title, scope, lines = monthly.kind_section(monthly.build(site.engine, site.settings, month), "id")
            _wait_rows(reader, "#report-kinds-table", _expected(lines, FULL))
            assert title in reader.text("#report-kinds") and scope in reader.text("#report-kinds")
            reader.settle()
            reader.clean(f"{role} on the monthly report")
