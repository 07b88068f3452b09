"""Accessibility (WCAG 2.1 A and AA), measured in Chromium with axe-core (vendored under `vendor/axe-core`).

Every role logs in through the form and opens every page its menu offers, each from the menu as a reader
does; on each page, once its callbacks have finished, axe-core runs its WCAG 2.0/2.1 A and AA rules over the
whole document. The log-in form is checked too. Every rule must pass on every page, except those listed in
`REMAINING` with the reason each still fails; a listed rule that no longer fails anywhere fails the test too,
so the list only shrinks.

A keyboard-only reader (no mouse: Tab, Shift+Tab, Enter, Space and arrows) skips to the content, reaches a
table, selects a row with the keyboard and leaves the table again, and acknowledges an alert.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from clicker import Clicker, FaultLog
from dash.testing.browser import Browser
from demo_web import NOW, demo_web
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.settings import ROLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

REMAINING: dict[str, str] = {}
"""Rules of WCAG 2.1 A/AA that still fail somewhere, each with the reason it cannot be fixed from outside the
component that fails it (rule id -> reason). Every other rule must pass on every page for every role. Empty:
the 9 rules that failed before (html-has-lang, color-contrast, label, button-name, aria-hidden-focus,
select-name, aria-progressbar-name, scrollable-region-focusable, aria-allowed-attr) pass everywhere."""

RUN_AXE = """
const done = arguments[arguments.length - 1];
const contrast = n => {
    const data = n.any && n.any[0] && n.any[0].data;
    return data && data.contrastRatio ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : '';
};
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
   .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + contrast(n)).slice(0, 200)}))))
   .catch(e => done({error: String(e)}));
"""


def axe(driver) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page the driver shows."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text())
    driver.set_script_timeout(60)
    found = driver.execute_async_script(RUN_AXE, TAGS)
    assert not (isinstance(found, dict) and found.get("error")), found
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("a11y"))
    with session_scope(site.engine) as session:
        for role in ROLES:
            for n, severity in ((1, "warning"), (2, "critical")):
                raise_alert(session, dedup_key=f"a11y:{role}:{n}", source="test", role=role, severity=severity,
                            title=f"Uji aksesibilitas {role} {n}", body="Dibuat oleh uji aksesibilitas", now=NOW)
    site.faults = FaultLog().install(site.app.server)
    return site


@pytest.fixture(scope="module")
def browser(request):
    with Browser("chrome", headless=request.config.getoption("headless")) as browser:
        browser.driver.set_window_size(1366, 900)
        yield browser


def _page_key(reader) -> str:
    return reader.driver.current_url.split("//", 1)[-1].split("/", 1)[-1] or "/"


def test_a11y001_axe_finds_no_wcag21_aa_violation_on_any_page_for_any_role(site, url, browser):
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)  # rule -> "role /page" -> nodes
    browser.driver.get(f"{url}/login")
    browser.wait_for_element("#login-form", timeout=30)
    for violation in axe(browser.driver):
        found[violation["id"]]["- /login"] = violation["nodes"]
    for role in ROLES:
        reader = Clicker(browser, url, site.faults, f"user.{role}")
        reader.log_in(check=False)
        for key in reader.menu():
            reader.click(f"#shell-nav-{key}")
            reader.find("#_pages_content .page-title, #shell-not-authorised")
            reader.settle(0.5)
            for violation in axe(reader.driver):
                found[violation["id"]][f"{role} /{_page_key(reader)}"] = violation["nodes"]
    if folder := os.environ.get("PANTAU_A11Y_REPORT"):
        Path(folder).write_text(json.dumps(found, indent=1, ensure_ascii=False))
    unexpected = {rule: where for rule, where in found.items() if rule not in REMAINING}
    assert not unexpected, "axe-core: " + json.dumps(
        {rule: {page: nodes[:3] for page, nodes in where.items()} for rule, where in unexpected.items()},
        indent=1, ensure_ascii=False)
    fixed = [rule for rule in REMAINING if rule not in found]
    assert not fixed, f"no page fails {fixed} any more: take them off REMAINING"


ACTIVE = ("const a = document.activeElement; const row = a.closest && a.closest('tr');"
          "return {id: a.id, tag: a.tagName, cls: a.className || '', text: (a.innerText || '').trim(),"
          " type: a.type || '', checked: !!a.checked, table: a.closest && a.closest('#alerts-table') ? 1 : 0,"
          " row: row ? Array.from(row.parentElement.children).indexOf(row) : -1,"
          " cells: row ? Array.from(row.querySelectorAll('td.dash-cell')).map(td => td.innerText.trim()) : []};")


def _press(driver, *keys) -> dict:
    ActionChains(driver).send_keys(*keys).perform()
    return driver.execute_script(ACTIVE)


def _tab_until(driver, wanted, what: str, limit: int = 80, back: bool = False) -> dict:
    """Press Tab (Shift+Tab with `back`) until the focused element satisfies `wanted`."""
    seen = []
    for _ in range(limit):
        active = _press(driver, *((Keys.SHIFT, Keys.TAB, Keys.SHIFT) if back else (Keys.TAB,)))
        if wanted(active):
            return active
        seen.append(active["id"] or f"{active['tag']}.{active['cls'][:30]}")
    raise AssertionError(f"{what} never took the focus; it went through {seen[-25:]}")


def test_a11y002_a_keyboard_reader_skips_to_content_opens_alerts_selects_a_row_and_acknowledges(site, url, browser):
    from pantau.i18n import translate

    driver = browser.driver
    reader = Clicker(browser, url, site.faults, "user.operator")
    reader.log_in(check=False)
    reader.find("#_pages_content .page-title")
    reader.settle(0.5)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    skip = _press(driver, Keys.TAB)
    assert skip["id"] == "shell-skip" and skip["text"] == translate("Skip to main content", "id"), skip
    title = _press(driver, Keys.ENTER)
    assert "page-title" in title["cls"] and title["text"] == reader.text("#_pages_content .page-title"), title
    _tab_until(driver, lambda a: a["id"] == "shell-nav-alerts", "the menu's Alerts link", back=True)
    _press(driver, Keys.ENTER)
    reader.until(lambda: "page-title" in driver.execute_script(ACTIVE)["cls"]
                 and driver.execute_script(ACTIVE)["text"] == translate("Alerts", "id"),
                 "the focus should move to the new page's title")
    reader.settle(0.5)
    box = _tab_until(driver, lambda a: a["table"] and a["type"] == "radio", "a row's selection box")
    label = driver.switch_to.active_element.get_attribute("aria-label")
    assert label.startswith(translate("Select row: {row}", "id", row="")), label
    _press(driver, Keys.SPACE)
    reader.until(lambda: driver.execute_script(ACTIVE)["checked"], "Space should tick the first row")
    second = _press(driver, Keys.ARROW_DOWN)
    assert second["type"] == "radio" and second["row"] == box["row"] + 1, second
    reader.until(lambda: driver.execute_script(ACTIVE)["checked"], "the arrow key should tick the next row")
    chosen = second["cells"]
    _tab_until(driver, lambda a: a["id"] == "alerts-ack", "the Acknowledge button (Tab must leave the table)")
    _press(driver, Keys.ENTER)
    title_cell = chosen[1]
    reader.wait_text("#alerts-feedback", translate("Alert acknowledged: {title}.", "id", title=title_cell))
    back = _tab_until(driver, lambda a: a["table"], "the table, going back with Shift+Tab", back=True)
    assert back["table"]
    reader.clean("keyboard reader on the alerts page")
