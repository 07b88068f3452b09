"""Every KPI card and every chart or table of the subject pages says, in Chromium, how old its own data is; when
the source feeding a figure has had nothing for two of its intervals, that figure says "Tidak ada data baru
sejak HH.MM WIB" (neutral, no grade), while figures fed by other sources keep their age."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

import pytest
from dash.testing.application_runners import ThreadedRunner
from dash.testing.browser import Browser
from demo_web import PASSWORD, demo_web
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from app.demo.settle import settle_demo
from pantau import formatting
from pantau.db import session_scope
from pantau.models import SourceStatus, utcnow
from pantau.sources import BILL_SOURCE, EVENT_SOURCE, record_attempt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]

PAGES = {
    "/sla": "#sla-summary .kpi-card", "/ktm": "#ktm-summary .kpi-card", "/kso": "#kso-summary .kpi-card",
    "/akun": "#accounts-ws-summary .kpi-card", "/token": "#tokens-summary .kpi-card",
    "/pembayaran": "#payments-summary .kpi-card", "/peringatan": "#alerts-summary .kpi-card",
}
FIGURES = """
    const figures = [...document.querySelectorAll('#_pages_content .card')].filter(card =>
        (card.matches('.kpi-card')
         || card.querySelector('.js-plotly-plot, .dash-spreadsheet-container, table, .empty-state'))
        && !card.querySelector('.card'));
    return figures.map(card => {
        const title = (card.querySelector('h2, .kpi-title') || card).innerText.split('\\n')[0];
        const ages = [...card.querySelectorAll('.data-age')].map(line => [line.className, line.innerText]);
        return [title, ages];
    });"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo campus as `make run` settles it (reconciled: the payments page has its bills)."""
    site = demo_web(tmp_path_factory.mktemp("figure-age"))
    settle_demo(site.engine, site.settings)
    return site


@pytest.fixture(scope="module")
def browser(site):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    runner = ThreadedRunner()
    runner.start(site.app)
    with Browser("chrome", headless=True) as chrome:
        chrome.driver.set_window_size(1366, 900)
        chrome.driver.get(f"{runner.url}/login")
        chrome.wait_for_element("#login-form", timeout=20)
        chrome.find_element("#username").send_keys("user.admin")
        chrome.find_element("#password").send_keys(PASSWORD)
        chrome.find_element("#login-submit").click()
        chrome.wait_for_element("#shell-user", timeout=20)
        chrome.site_url = runner.url
        yield chrome
    runner.stop()


def figures_of(browser, path: str, titles: tuple[str, ...] = ()) -> list:
    """Open `path` and wait until its callbacks have drawn (and the cards titled `titles` are there); every card
    with a figure, its title and age lines."""
    browser.driver.get(f"{browser.site_url}{path}")
    browser.wait_for_element(PAGES[path], timeout=30)

    def drawn(driver) -> bool:
        found = driver.execute_script(FIGURES)
        return all(ages for _, ages in found) and set(titles) <= {title for title, _ in found}

    try:
        WebDriverWait(browser.driver, 30).until(drawn)
    except TimeoutException:
        pass
    found = browser.driver.execute_script(FIGURES)
    assert all(ages for _, ages in found), f"{path}: cards without their data's age: {[t for t, a in found if not a]}"
    return found


@pytest.mark.parametrize("path", list(PAGES))
def test_figage001_every_card_and_chart_says_how_old_its_own_data_is(browser, path):
    found = figures_of(browser, path)

    assert len(found) >= 3, f"{path}: cards and charts expected, found {found}"
    for title, ages in found:  # a card holding a chart and a table has a line under each
        for classes, text in ages:
            assert "data-age-fresh" in classes and text.startswith("Data per "), f"{path}: {title!r} says {text!r}"


def test_figage002_a_stale_event_source_turns_the_workflow_figures_neutral_and_says_since_when(site, browser):
    last = utcnow() - timedelta(minutes=25)
    with session_scope(site.engine) as session:
        record_attempt(session, site.settings, EVENT_SOURCE, "siakad", ok=True, at=last, interval_s=300)
    try:
        found = figures_of(browser, "/sla")
        kpi = browser.driver.execute_script(
            "return [...document.querySelectorAll('#sla-summary .kpi-card')].map(c => [c.className, c.innerText])")
    finally:
        with session_scope(site.engine) as session:
            session.delete(session.get(SourceStatus, (EVENT_SOURCE, "siakad")))

    words = f"Tidak ada data baru sejak {formatting.when(last, 'id', 'Asia/Jakarta')}"
    for title, ages in found:
        assert [classes for classes, _ in ages if "data-age-stale" in classes], f"{title!r} says {ages}"
        assert ages[0][1] == words, f"{title!r} says {ages[0][1]!r}"
    for classes, text in kpi:
        assert "kpi-none" in classes and "Normal" not in text and "Baik" not in text, text


STALE_BILL_FIGURES = ("Tingkat pelunasan", "Tunggakan", "Ditagihkan, jatuh tempo s.d. hari ini",
                      "Lunas dan belum lunas", "Tagihan")


def test_figage003_a_stale_bill_source_makes_the_bill_figures_neutral_and_leaves_the_bank_feed_its_age(site, browser):
    last = utcnow() - timedelta(hours=3)
    with session_scope(site.engine) as session:
        record_attempt(session, site.settings, BILL_SOURCE, "keuangan", ok=True, at=last, interval_s=900)
    try:
        found = dict(figures_of(browser, "/pembayaran", STALE_BILL_FIGURES))
    finally:
        with session_scope(site.engine) as session:
            session.delete(session.get(SourceStatus, (BILL_SOURCE, "keuangan")))

    words = f"Tidak ada data baru sejak {formatting.when(last, 'id', 'Asia/Jakarta')}"
    for title in STALE_BILL_FIGURES:
        assert found[title][0][1] == words, f"{title!r} says {found[title]}"
    assert "data-age-fresh" in found["Mutasi bank"][0][0], "the bank feed is read from the inbox, not the bills"
