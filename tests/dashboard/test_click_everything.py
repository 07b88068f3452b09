"""Every role, in Chromium, visits every page it may open and presses every button, row selection, filter and
download the page offers; each gesture must show its outcome (state changed, file saved, message shown) while
the server answers no 5xx, refuses none of the page's own callbacks, and the browser console stays free of errors.

One browser session per role (a module-scoped dash.testing Browser, what `dash_duo` drives) on one demo campus
served once for the module; the tests of a role run one after the other in that session, in file order.
Operators of other units (ops.ktm, ops.kso) are logged in within the operator's session for KTM and KSO.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from clicker import Clicker, FaultLog
from dash.testing.browser import Browser
from demo_web import NOW, demo_web
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from app.demo.settle import settle_demo
from dashboard.components.audit_words import ACTIONS as AUDIT_ACTIONS
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import CollectorRun, utcnow
from pantau.sla.context import sla_context
from pantau.sla.engine import evaluate_pending
from pantau.sources import BILL_SOURCE, MONITOR, record_attempt
from pantau.workflow.records import parse_event
from pantau.workflow.store import store_events

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]

ROLE_PAGES = {
    "direktur": ["overview", "report", "server", "payments", "tokens", "sla", "ktm", "kso", "accounts", "alerts"],
    "kepala_it": ["overview", "server", "publish", "sources", "sla", "accounts", "alerts"],
    "bendahara": ["overview", "payments", "tokens", "sla", "kso", "alerts"],
    "operator": ["sla", "accounts", "alerts"],
    "admin": ["overview", "report", "server", "publish", "sources", "payments", "tokens", "sla", "ktm", "kso",
              "accounts", "alerts", "admin", "sopimport"],
}
"""What each role's menu offers (UI.md's table; the operator is of UPT TIK), in the menu's order."""
LANDING = {"direktur": "/ringkasan", "kepala_it": "/server", "bendahara": "/pembayaran", "operator": "/sla",
           "admin": "/ringkasan"}
OTHER_UNITS = {"ktm": "ops.ktm", "kso": "ops.kso"}
"""Operators whose unit is assigned the KTM or KSO SOP: the operator's session logs them in for those pages."""
PAYMENTS_FAULT = None
"""Set to the reason while a fault found on the payments page (the lead's file) waits for its fix."""


def tr(text: str, **values) -> str:
    """The Indonesian words the page shows for `text` (Indonesian is the default language)."""
    return translate(text, "id", **values)


def roles(page: str) -> list:
    """The roles (as `reader` parameters) whose menu offers `page`, plus the operator where another unit's
    operator opens it."""
    chosen = [role for role, pages in ROLE_PAGES.items() if page in pages]
    if page in OTHER_UNITS:
        chosen.append("operator")
    return [pytest.param(role, marks=pytest.mark.xfail(strict=True, reason=PAYMENTS_FAULT))
            if page == "payments" and PAYMENTS_FAULT else role for role in chosen]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo campus as `make run` settles it (reconciled, photos and certificates checked, its alerts raised),
    three open alerts more for every role, and a collector run for the header."""
    site = demo_web(tmp_path_factory.mktemp("click"))
    settle_demo(site.engine, site.settings)
    _late_steps(site)
    with session_scope(site.engine) as session:  # what a running collector reports about two of its sources
        record_attempt(session, site.settings, MONITOR, "payment-server", ok=True, interval_s=60)
        record_attempt(session, site.settings, BILL_SOURCE, "siakad", ok=False, interval_s=300,
                       error=OSError("connection refused by 10.0.0.5:3306"))
    with session_scope(site.engine) as session:
        for role in ROLE_PAGES:
            for n, severity in ((1, "warning"), (2, "critical"), (3, "info")):
                raise_alert(session, dedup_key=f"click:{role}:{n}", source="test", role=role, severity=severity,
                            title=f"Uji klik {role} {n}", body="Dibuat oleh uji klik", now=NOW)
        session.add(CollectorRun(collector="probes", started_at=NOW - timedelta(minutes=1), finished_at=NOW, ok=True))
    site.faults = FaultLog().install(site.app.server)
    return site


def _late_steps(site) -> None:
    """Two cases with a step now past its standard time (the demo's own open steps were measured at its NOW):
    the IT head's webservice account (seen by the operator of UPT TIK, directors and administrators too) and
    the bendahara's bill settings."""
    ctx = sla_context(site.settings)
    local = lambda days: (utcnow() - timedelta(days=days)).astimezone(ZoneInfo(site.settings.timezone))  # noqa: E731
    rows = {"WS": [{"case": "KLIK-WS-1", "step": 1, "started": local(6), "completed": local(6)},
                   {"case": "KLIK-WS-1", "step": 2, "completed": local(5)}],
            "H2H": [{"case": "KLIK-H2H-1", "step": 1, "started": local(30), "completed": local(30)}]}
    with session_scope(site.engine) as session:
        for code, events in rows.items():
            events = [{**row,
                       **{k: v.strftime("%Y-%m-%d %H:%M") for k, v in row.items() if k in ("started", "completed")},
                       "performer": "uji klik"} for row in events]
            store_events(session, [parse_event(row, ctx.catalogue, ZoneInfo(site.settings.timezone), sop=code)
                                   for row in events], ctx, prefix="klik", recorded_by="test")
    evaluate_pending(site.engine, site.settings)


@pytest.fixture(scope="module")
def reader(request, site, url, tmp_path_factory):
    """A logged-in browser session of the role `request.param`, kept for all of that role's tests."""
    folder = tmp_path_factory.mktemp(f"downloads-{request.param}")
    with Browser("chrome", headless=request.config.getoption("headless"), download_path=str(folder)) as browser:
        browser.driver.set_window_size(1366, 900)
        clicker = Clicker(browser, url, site.faults, f"user.{request.param}")
        clicker.role = request.param
        clicker.log_in()
        yield clicker


@pytest.fixture
def as_reader(reader, request):
    """The role's session, with what earlier tests left behind (faults, console lines) put aside. With
    PANTAU_CLICK_SHOTS set to a folder, each test leaves a screenshot and the page's text there."""
    reader.faults.take()
    reader.browser.get_logs()
    reader.browser.reset_log_timestamp()
    yield reader
    if folder := os.environ.get("PANTAU_CLICK_SHOTS"):
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        reader.driver.save_screenshot(str(Path(folder) / f"{name}.png"))
        (Path(folder) / f"{name}.txt").write_text(reader.driver.find_element(By.TAG_NAME, "body").text)
    if reader.current != reader.username:
        reader.log_in(check=False)


def open_page(reader, key: str, ready: str) -> None:
    """Open `key` from the menu (the operator opens KTM and KSO as the operator of the unit assigned them):
    its address, its tab's title, its content, and no "not authorised"."""
    from dashboard import access

    if reader.role == "operator" and key in OTHER_UNITS:
        reader.log_in(OTHER_UNITS[key])
    reader.open(key, ready, tr(access.PAGES[key].title))
    assert urlparse(reader.driver.current_url).path == access.PAGES[key].path
    assert not reader.driver.find_elements(By.ID, "shell-not-authorised"), f"{key} refused its own reader"


def done(reader, where: str) -> None:
    """The page's gestures are over: let its callbacks finish, then no fault and no console error."""
    reader.settle()
    reader.clean(where)


# --- every page of the menu ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", list(ROLE_PAGES), indirect=True)
def test_click001_log_in_lands_on_the_roles_page_and_the_menu_offers_its_pages(as_reader):
    """Each page of the menu is then opened from it by the page's own test below."""
    reader = as_reader
    assert urlparse(reader.driver.current_url).path == LANDING[reader.role], "log-in lands on the role's page"
    assert reader.menu() == ROLE_PAGES[reader.role]
    reader.find("#_pages_content .page-title")
    done(reader, f"{reader.role} landing")


# --- Ringkasan ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("overview"), indirect=True)
def test_click010_overview_every_card_link_opens_its_page_with_the_filter(as_reader):
    reader = as_reader
    open_page(reader, "overview", "#overview-cards .kpi-card")
    assert tr("Figures as of {moment}", moment="").strip() in reader.text("#overview-stamp")
    assert reader.text("#overview-attention"), "the attention line says which KPIs need attention, or none"
    links = [a.get_attribute("href").removeprefix(reader.url)
             for a in reader.driver.find_elements(By.CSS_SELECTOR, "#overview-cards a.kpi-link")]
    if reader.role in ("direktur", "admin"):
        links.append(reader.find("#_pages_content a[href='/laporan']").get_attribute("href").removeprefix(reader.url))
    assert links, "each KPI card links to its page"
    from dashboard import access
    offered = {access.PAGES[key].path for key in ROLE_PAGES[reader.role]}
    assert {urlparse(link).path for link in links} <= offered, "every card links to a page the reader may open"
    # The administrator, who has every card, follows each link; the others follow one (the same pages and
    # filters, each already opened from the administrator's cards).
    for link in dict.fromkeys(links) if reader.role == "admin" else links[:1]:
        reader.click(f"#_pages_content a[href='{link}']")
        reader.until(lambda link=link: reader.driver.current_url == reader.url + link,
                     f"the link should lead to {link}")
        reader.find("#_pages_content .page-title, #report-body h1")
        assert not reader.driver.find_elements(By.ID, "shell-not-authorised"), f"{link} refused the card's reader"
        reader.settle()
        reader.clean(f"{reader.role} following {link}")
        reader.driver.back()
        reader.find("#overview-cards .kpi-card")
    done(reader, "overview")


# --- Laporan bulanan ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("report"), indirect=True)
def test_click020_report_month_picker_and_print(as_reader):
    reader = as_reader
    open_page(reader, "report", "#report-body h1")
    before = reader.text("#report-body h1")
    months = reader.options("#report-month")
    chosen = reader.pick("#report-month", index=2)
    assert chosen == months[2]
    reader.until(lambda: reader.text("#report-body h1") not in ("", before),
                 "another month gives another heading (not the empty one shown while the report is drawn)")
    assert chosen.split()[0].lower() in reader.text("#report-body h1").lower()
    reader.driver.execute_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    reader.click("#report-print")
    reader.until(lambda: reader.driver.execute_script("return window.__printed") == 1, "Print opens the print dialog")
    done(reader, "report")


# --- Kesehatan Server -----------------------------------------------------------------------------------------

RANGE_LEVELS = {"1 jam": "setiap pemeriksaan", "24 jam": "per menit", "7 hari": "per jam", "30 hari": "per jam",
                "1 tahun": "per hari"}


@pytest.mark.parametrize("reader", roles("server"), indirect=True)
def test_click030_server_range_monitor_tile_and_host_pickers(as_reader):
    reader = as_reader
    open_page(reader, "server", "#server-tiles .kpi-card")
    reader.find("#server-uptime table")
    if reader.role == "direktur":
        assert not reader.driver.find_elements(By.CSS_SELECTOR, "#server-monitor, #server-host, #server-incidents"), \
            "the director reads the summary only"
        done(reader, "server summary")
        return
    for label, level in RANGE_LEVELS.items():
        reader.choose("#server-range", label)
        reader.wait_text("#server-level", tr("Rollup level: {level}", level=level))
    reader.find("#server-latency .js-plotly-plot")
    monitors = reader.options("#server-monitor")
    assert len(monitors) > 2
    second = reader.pick("#server-monitor", index=1)
    reader.wait_text("#server-latency", f"Latensi {second} selama 1 tahun")
    third = reader.find_all("#server-tiles .kpi-card")[2]
    name = third.find_element(By.CSS_SELECTOR, ".fw-semibold").text
    reader.click(third)
    reader.wait_text("#server-latency", f"Latensi {name} selama 1 tahun")
    assert reader.text("#server-monitor") == name, "a tile picks its monitor for the charts"
    hosts = reader.options("#server-host")
    assert len(hosts) > 1
    chosen = reader.pick("#server-host", index=len(hosts) - 1)
    reader.wait_text("#server-host-chart", f"Beban {chosen} selama 1 tahun")
    reader.find("#server-host-now .progress")
    reader.find("#server-incident-table")
    first = reader.rows("#server-incident-table")[0][0]
    reader.filter_table("#server-incident-table", "monitor", first)
    reader.settle()
    done(reader, "server")
    at_phone_width(reader, "#server-uptime table", "server")


def at_phone_width(reader, ready: str, where: str) -> None:
    """On a phone (400 px) the page scrolls down, never sideways: reloaded at that width, it is no wider than
    the screen, naming the widest element beyond it when it is."""
    reader.driver.set_window_size(400, 860)
    try:
        reader.driver.refresh()
        reader.find(ready)
        reader.settle()
        sizes = reader.driver.execute_script("""
            const width = document.documentElement.clientWidth;
            const beyond = [...document.querySelectorAll('body *')].filter(e => {
                const box = e.getBoundingClientRect();
                return box.width > 0 && box.right > width + 1
                    && !e.closest('.table-responsive, .dash-spreadsheet-container, .js-plotly-plot');
            }).map(e => `${e.tagName.toLowerCase()}.`
                        + `${String(e.className.baseVal ?? e.className).split(' ').join('.')}`);
            return [document.documentElement.scrollWidth, width, beyond.slice(0, 5)];""")
        assert sizes[0] <= sizes[1], f"at 400 px the {where} page is {sizes[0]} px wide for {sizes[1]}: {sizes[2]}"
    finally:
        reader.driver.set_window_size(1366, 900)


# --- Sumber Data ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("sources"), indirect=True)
def test_click035_sources_check_now(as_reader):
    reader = as_reader
    open_page(reader, "sources", "#sources-list, #sources-table .empty-state")
    buttons = reader.driver.find_elements(By.CSS_SELECTOR, "#sources-list button[id*='sources-check']")
    assert buttons, "the demo's sources can be checked from here"
    row = buttons[0].find_element(By.XPATH, "./ancestor::tr")
    name = row.find_elements(By.CSS_SELECTOR, "td")[2].text.split("\n")[0]
    reader.click(buttons[0])
    reader.wait_text("#sources-feedback", name)
    reader.until(lambda: tr("Check requested") in reader.text("#sources-list"), "the row says a check is requested")
    done(reader, "sources")


# --- Token pembayaran -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("tokens"), indirect=True)
def test_click050_tokens_wave_picker_forecast_note_top_up_and_extension(as_reader):
    reader = as_reader
    open_page(reader, "tokens", "#tokens-summary .kpi-card")
    waves = reader.options("#tokens-wave")
    before = reader.text("#tokens-summary")
    other = reader.pick("#tokens-wave", index=0 if reader.text("#tokens-wave") != waves[0] else 1)
    reader.until(lambda: reader.text("#tokens-summary") != before, f"picking {other} shows that wave's stock")
    reader.find("#tokens-chart .js-plotly-plot")
    reader.click(reader.find_all("#_pages_content details summary")[0])
    reader.until(lambda: reader.find("#_pages_content details").get_attribute("open") is not None,
                 "the forecast's method opens")
    if reader.role == "direktur":
        assert tr("Only the bendahara records top-ups and extensions; you can read the stock.") in \
            reader.text("#_pages_content")
        assert not reader.driver.find_elements(By.ID, "tokens-topup-save")
        done(reader, "tokens")
        return
    channel = reader.pick("#tokens-topup-channel", index=0)
    reader.type("#tokens-topup-quantity", "37")
    reader.type("#tokens-topup-note", f"uji klik {reader.role}")
    reader.click("#tokens-topup-save")
    reader.wait_text("#tokens-feedback", tr("Top-up recorded."))
    reader.wait_text("#tokens-history", f"{channel}: +37")
    typed, shown = {"bendahara": ("31/12/2026", "31 Des 2026"), "admin": ("15/01/2027", "15 Jan 2027")}[reader.role]
    reader.type("#tokens-extension-deadline", typed, enter=True)
    reader.type("#tokens-extension-note", f"perpanjangan uji klik {reader.role}")
    reader.click("#tokens-extension-save")
    reader.wait_text("#tokens-feedback", tr("Extension recorded."))
    reader.wait_text("#tokens-history", f"→ {shown}")
    done(reader, "tokens")


# --- Pembayaran & Rekonsiliasi (dashboard/pages/payments.py and payments_bank.py are the lead's) --------------

@pytest.mark.parametrize("reader", roles("payments"), indirect=True)
def test_click040_payments_filters_chart_switches_case_resolution_bill_search_and_downloads(as_reader):
    reader = as_reader
    open_page(reader, "payments", "#payments-summary .kpi-card")
    reader.find("#payments-paid .js-plotly-plot")
    summary = reader.text("#payments-summary")
    reader.pick("#payments-semester", label=tr("All semesters"))
    reader.until(lambda: reader.text("#payments-summary") != summary, "all semesters changes the figures")
    for dropdown in ("#payments-kinds", "#payments-prodi", "#payments-angkatan"):
        every = reader.text("#payments-summary")
        reader.pick(dropdown, index=0)
        reader.until(lambda every=every: reader.text("#payments-summary") != every, f"{dropdown} narrows the figures")
        reader.clear_dropdown(dropdown)
        reader.until(lambda every=every: reader.text("#payments-summary") == every,
                     f"clearing {dropdown} shows every bill")
    for title in ("Study programme", "Intake year", "Semester", "Bill kind"):
        reader.choose("#payments-grouping", tr(title))
        reader.wait_text("#payments-paid", tr(title).lower())
    reader.choose("#payments-measure", tr("Rupiah"))
    reader.wait_text("#payments-paid", "Rp")
    reader.choose("#payments-measure", tr("Count"))
    reader.find("#payments-chain-table")
    if reader.role in ("bendahara", "admin"):
        case = reader.select_row("#payments-case-table")[0]
        reader.type("#payments-note", f"Dicek oleh uji klik {reader.role}")
        reader.click("#payments-resolve")
        reader.wait_text("#payments-feedback", tr("Case {case} resolved.", case=case))
    else:
        assert not reader.driver.find_elements(By.ID, "payments-resolve"), "the director reads the queue"
    reader.pick("#payments-state", label=tr("Unpaid"))
    unpaid = tr("Unpaid")
    reader.until(lambda: (shown := reader.rows("#payments-bill-table")) and all(row[-1] == unpaid for row in shown),
                 "the state filter leaves the unpaid bills only")
    payer = reader.rows("#payments-bill-table")[0][1]
    reader.type("#payments-search", payer, enter=True)
    reader.until(lambda: (shown := reader.rows("#payments-bill-table")) and all(payer in row for row in shown),
                 f"searching {payer!r} keeps that payer's bills")
    csv_file = reader.download("#payments-download-csv", ".csv")
    rows = list(csv.reader(csv_file.open(encoding="utf-8")))
    assert len(rows) > 1, "the download holds the bills the table shows"
    assert rows[0][:3] == [tr("Bill number"), tr("Payer name"), tr("VA number")]
    assert all(payer in ",".join(row) for row in rows[1:])
    workbook = load_workbook(reader.download("#payments-download-xlsx", ".xlsx"))
    assert workbook.active.max_row == len(rows) and workbook.active.freeze_panes == "A2"
    amount = rows[0].index(tr("Amount (Rp)")) + 1
    assert workbook.active.cell(2, amount).number_format == '"Rp" #,##0'
    reader.click("#payments-download-machine")
    coded = list(csv.reader(reader.download("#payments-download-csv", ".csv").open(encoding="utf-8")))
    assert coded[0][:3] == ["bill", "payer_name", "va_number"] and len(coded) == len(rows), "machine columns"
    reader.click("#payments-download-machine")
    done(reader, "payments")


# --- Kepatuhan SLA --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("sla"), indirect=True)
def test_click060_sla_pickers_open_step_drill_down_case_lookup_downloads_and_record_form(as_reader):
    reader = as_reader
    open_page(reader, "sla", "#sla-summary .kpi-card")
    reader.find("#sla-heatmap .js-plotly-plot")
    sops = reader.options("#sla-sop")
    summary = reader.text("#sla-summary")
    chosen = reader.pick("#sla-sop", index=1)
    reader.until(lambda: reader.text("#sla-summary") != summary or chosen.split(" · ")[0] in reader.text("#sla-sops"),
                 f"picking {chosen} shows that SOP")
    reader.pick("#sla-sop", label=sops[0])
    periods = reader.options("#sla-period")
    if len(periods) > 1:
        summary = reader.text("#sla-summary")
        reader.pick("#sla-period", index=1)
        reader.until(lambda: periods[1] in reader.text("#sla-summary") or reader.text("#sla-summary") != summary,
                     "another half-year gives its figures")
        reader.pick("#sla-period", index=0)
    late = "KLIK-H2H-1" if reader.role == "bendahara" else "KLIK-WS-1"
    reader.filter_table("#sla-open-table", "case_ref", late)  # the demo's own late steps fill the first pages
    assert reader.select_row("#sla-open-table", containing=late)[0] == late
    reader.wait_text("#sla-case", tr("Case {case}: steps over time", case=late))
    other = "KLIK-WS-1" if late != "KLIK-WS-1" else "KLIK-H2H-1"
    reader.type("#sla-case-ref", other)
    reader.click("#sla-case-find")
    reader.wait_text("#sla-case", tr("Case {case}: steps over time", case=other)
                     if reader.role in ("direktur", "admin", "kepala_it") else tr("No such case among your SOPs."))
    reader.type("#sla-case-ref", late)
    reader.click("#sla-case-find")
    reader.wait_text("#sla-case", tr("Case {case}: steps over time", case=late))
    reader.type("#sla-case-ref", "TIDAK-ADA-999")
    reader.click("#sla-case-find")
    reader.wait_text("#sla-case", tr("No such case among your SOPs."))
    rows = list(csv.reader(reader.download("#sla-download-csv", ".csv").open(encoding="utf-8")))
    assert len(rows) > 1, "the CSV holds the visible steps"
    assert rows[0][:2] == [tr("Period (half-year)"), "SOP"], "human headers by default"
    assert load_workbook(reader.download("#sla-download-xlsx", ".xlsx"), read_only=True).sheetnames == \
        [tr("Steps"), tr("Performers"), tr("Open steps")]
    reader.pick("#sla-form-sop", index=0)
    reader.type("#sla-form-case", f"KLIK-{reader.role.upper()}")
    step = reader.pick("#sla-form-step", index=0)
    reader.choose("#sla-form-channel", tr("E-mail"))
    reader.click("#sla-form-save")
    reader.wait_text("#sla-form-feedback", tr("Not recorded: {problem}", problem=tr("Completed") + ": " +
                                              tr("give the time the step was completed")))
    reader.set_value("#sla-form-completed",
                     (utcnow() + timedelta(hours=7) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    if reader.find("#sla-form-outcome").get_attribute("disabled") is None:
        reader.pick("#sla-form-outcome", index=0)
    reader.click("#sla-form-save")
    number = step.split(".")[0]
    reader.wait_text("#sla-form-feedback", tr("Recorded step {step} of case {case}.", step=number,
                                              case=f"KLIK-{reader.role.upper()}"))
    reader.wait_text("#sla-case", f"KLIK-{reader.role.upper()}")
    done(reader, "sla")


# --- KTM -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("ktm"), indirect=True)
def test_click070_ktm_intake_and_batch_pickers(as_reader):
    reader = as_reader
    open_page(reader, "ktm", "#ktm-summary .kpi-card")
    reader.find("#ktm-funnel .js-plotly-plot")
    intakes = reader.options("#ktm-intake")
    if len(intakes) > 1:
        year = reader.pick("#ktm-intake", index=1).split()[-1]
        reader.wait_text("#ktm-funnel", tr("Students who completed each stage, intake {year}", year=year))
        reader.pick("#ktm-intake", index=0)
    year = intakes[0].split()[-1]
    batches = reader.options("#ktm-batch")
    assert batches[0] == tr("All batches") and len(batches) > 1
    batch = reader.pick("#ktm-batch", index=1).split()[-1]
    reader.wait_text("#ktm-funnel", tr("Students who completed each stage, intake {year} batch {batch}",
                                       year=year, batch=batch))
    reader.find("#ktm-batch-table")
    reader.filter_table("#ktm-batch-table", "batch", batch)
    done(reader, "ktm")
    at_phone_width(reader, "#ktm-summary .kpi-card", "KTM")


# --- KSO / SKP -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("kso"), indirect=True)
def test_click080_kso_period_and_request_pickers(as_reader):
    reader = as_reader
    open_page(reader, "kso", "#kso-invoice-summary .kpi-card")
    invoices = reader.text("#kso-invoice-summary")
    reader.pick("#kso-period", label=tr("Last year"))
    reader.until(lambda: reader.text("#kso-invoice-summary") != invoices, "last year's invoices")
    reader.pick("#kso-period", label=tr("Last 12 months"))
    reader.until(lambda: reader.text("#kso-invoice-summary") == invoices, "the last 12 months again")
    if reader.role == "bendahara":
        assert not reader.driver.find_elements(By.CSS_SELECTOR, "#kso-gantt, #kso-request"), "invoices only"
        reader.find("#kso-invoice-table")
        reader.filter_table("#kso-invoice-table", "state", tr("Paid"))
        done(reader, "kso invoices")
        return
    reader.find("#kso-gantt .js-plotly-plot")
    requests = reader.options("#kso-request")
    chosen = reader.pick("#kso-request", index=1)
    reader.until(lambda: reader.text("#kso-request") == chosen, "the request is chosen")
    reader.wait_text("#kso-gantt", tr("Steps of the request: standard time beside the time taken"))
    assert len(requests) > 1
    reader.find("#kso-request-table")
    reader.filter_table("#kso-request-table", "case_ref", chosen.split(" · ")[0])
    done(reader, "kso")


# --- Akun Digital & Webservice --------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("accounts"), indirect=True)
def test_click090_accounts_tables_filter(as_reader):
    reader = as_reader
    open_page(reader, "accounts", "#accounts-ws-summary .kpi-card, #accounts-akun-summary .kpi-card")
    parts = {"#accounts-webservice": ("#accounts-ws-table", "unit", 1),
             "#accounts-register": ("#accounts-register-table", "service", 0),
             "#accounts-requests": ("#accounts-request-table", "channel", 2)}
    shown = [box for box in parts if reader.driver.find_elements(By.CSS_SELECTOR, box)]
    assert shown, "the reader sees a part of the page"
    for box in shown:
        table, column, index = parts[box]
        reader.find(f"{box} .dash-table-container, {box} .empty-state")
        if reader.driver.find_elements(By.CSS_SELECTOR, table):
            reader.filter_table(table, column, reader.rows(table)[0][index])
    done(reader, "accounts")


# --- Peringatan ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("alerts"), indirect=True)
def test_click100_alerts_acknowledge_remind_resolve_and_state_filter(as_reader):
    reader = as_reader
    role, first, second = reader.role, f"Uji klik {reader.role} 1", f"Uji klik {reader.role} 2"
    open_page(reader, "alerts", "#alerts-table")
    assert reader.text("#alerts-count-open") != "0"
    reader.click("#alerts-ack")
    reader.wait_text("#alerts-feedback", tr("Choose an alert in the table first."))
    reader.select_row("#alerts-table", containing=first)
    reader.click("#alerts-ack")
    reader.wait_text("#alerts-feedback", tr("Alert acknowledged: {title}.", title=first))
    assert tr("Acknowledged") in next(row for row in reader.rows("#alerts-table") if first in row)
    reader.select_row("#alerts-table", containing=first)
    reader.click("#alerts-remind")
    reader.wait_text("#alerts-feedback", tr("{who} has taken this alert on; reminders stop once someone has.",
                                            who=reader.username))
    reader.select_row("#alerts-table", containing=second)
    reader.click("#alerts-remind")
    role_name = {"direktur": "Direktur", "kepala_it": "Kepala Unit IT", "bendahara": "Bendahara Penerima",
                 "operator": "Operator", "admin": "Administrator"}[role]
    reader.wait_text("#alerts-feedback", tr("Reminder queued for the {role}: {title}. It goes out with the next "
                                            "delivery run.", role=role_name, title=second))
    assert next(row for row in reader.rows("#alerts-table") if second in row)[7] != "–", "the reminder's time shows"
    reader.select_row("#alerts-table", containing=second)
    reader.click("#alerts-resolve")
    reader.wait_text("#alerts-feedback", tr("Write a note before resolving."))
    reader.type("#alerts-note", "Ditangani dalam uji klik")
    reader.click("#alerts-resolve")
    reader.wait_text("#alerts-feedback", tr("Alert resolved: {title}.", title=second))
    assert not [row for row in reader.rows("#alerts-table") if second in row], "a resolved alert leaves the list"
    reader.choose("#alerts-states", tr("Resolved"))
    reader.until(lambda: [row for row in reader.rows("#alerts-table") if second in row], "resolved alerts shown")
    reader.choose("#alerts-states", tr("Open"))
    reader.until(lambda: not [row for row in reader.rows("#alerts-table") if tr("Open") in row],
                 "open alerts hidden")
    reader.filter_table("#alerts-table", "title", first)
    done(reader, "alerts")


# --- Pengguna & Audit -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("admin"), indirect=True)
def test_click110_admin_adds_a_user_disables_and_enables_it_and_filters_the_audit_log(as_reader):
    reader = as_reader
    open_page(reader, "admin", "#admin-users")
    reader.type("#admin-name", "klik.baru")
    reader.type("#admin-full-name", "Pengguna Uji Klik")
    Select(reader.find("#admin-role")).select_by_value("operator")
    reader.type("#admin-unit", "UPT TIK")
    reader.click("#admin-add")
    reader.wait_text("#admin-feedback", tr("User created. Their first password (shown once):"))
    assert reader.text("#admin-new-password")
    reader.until(lambda: any("klik.baru" in row for row in reader.rows("#admin-users")), "the new user is listed")
    for status in ("Disabled", "Active"):
        reader.select_row("#admin-users", containing="klik.baru")
        reader.click("#admin-toggle")
        reader.wait_text("#admin-feedback", tr("User updated."))
        reader.until(lambda status=status: tr(status) in next(row for row in reader.rows("#admin-users")
                                                              if "klik.baru" in row),
                     f"the user is {status.lower()}")
    for value, prefix in (("alert", "alert."), ("user", "user."), ("login", "login")):
        Select(reader.find("#admin-audit-filter")).select_by_value(value)
        words = {tr(said) for code, said in AUDIT_ACTIONS.items() if code.startswith(prefix)}
        reader.until(lambda prefix=prefix, words=words: all(  # none at all when no such action was audited yet
            row[2] in words or row[2].startswith(prefix) for row in reader.rows("#admin-audit")),
                     f"the audit log shows {prefix} entries")
    done(reader, "admin")


# --- Impor SOP --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", roles("sopimport"), indirect=True)
def test_click115_admin_imports_an_sop_document_chooses_an_executor_and_publishes_it(as_reader):
    reader = as_reader
    open_page(reader, "sopimport", "#sopimport-upload")
    reader.type("#sopimport-code", "WS", enter=True)
    seed = Path(__file__).parents[1] / "data" / "sops" / "webservice.txt"
    reader.driver.find_element(By.CSS_SELECTOR, "#sopimport-upload input[type=file]").send_keys(str(seed))
    reader.wait_text("#sopimport-draft", tr("{steps} steps from {file}", steps=5, file=seed.name))
    assert reader.find("#sopimport-number").get_attribute("value") == "POB/04/PSI/TIK/2020"
    assert reader.driver.find_elements(By.CSS_SELECTOR, "#sopimport-draft td.table-warning"), "uncertain cells marked"
    assert "«1 x 24 jam hari kerja»" in reader.text("#sopimport-draft")
    step5 = Select(reader.find_all("#sopimport-draft select")[4])
    assert step5.first_selected_option.get_attribute("value") == "ADM", "read after 'Sesuai arahan pimpinan,'"
    step5.select_by_value("PSI")
    step5.select_by_value("ADM")  # the reviewer's choice stands (the refusal of a missing one: sopimppage001)
    reader.click("#sopimport-publish")
    reader.wait_text("#sopimport-feedback", tr("{code} version {version} published: new cases start on it.",
                                               code="WS", version=1))
    reader.until(lambda: "webservice.txt" in reader.text("#sopimport-versions"), "the version is listed")
    done(reader, "sopimport")

