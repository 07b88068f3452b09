"""A reader in Chromium who clicks through the pages: dash.testing's Browser (what `dash_duo` drives) kept for a
whole role, a log of the server's faulty answers, and the few gestures the pages need (menu, dropdowns, radios,
table rows and filters, downloads), each waiting for its visible outcome."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import flask
from demo_web import PASSWORD, browser_log_out
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CALLBACK = "/_dash-update-component"
WAIT = 30


def cut_short(message: str) -> bool:
    """A console line of a callback the log-out cut short: refused with 401 once the session had ended."""
    return CALLBACK in message and "status of 401" in message


@dataclass
class FaultLog:
    """What the server got wrong: every 5xx answer, every refused callback (4xx; a page the reader may open
    must not be refused its own callbacks) and every exception a request raised."""

    faults: list[str] = field(default_factory=list)

    def install(self, server: flask.Flask) -> FaultLog:
        @server.after_request
        def _note(response):
            refused = flask.request.path == CALLBACK and 400 <= response.status_code < 500
            if response.status_code >= 500 or refused:
                body = flask.request.get_json(silent=True) or {}
                self.faults.append(f"{response.status_code} {flask.request.method} {flask.request.path} "
                                   f"{body.get('output', '')}")
            return response

        flask.got_request_exception.connect(self._exception, server, weak=False)
        return self

    def _exception(self, _sender, exception, **_extra) -> None:
        body = (flask.request.get_json(silent=True) or {}) if flask.has_request_context() else {}
        self.faults.append(f"exception {exception!r} in {body.get('output', '')}")

    def take(self) -> list[str]:
        taken, self.faults[:] = list(self.faults), []
        return taken


class Clicker:
    """One role's browser session on the running demo site."""

    def __init__(self, browser, url: str, faults: FaultLog, username: str):
        self.browser, self.url, self.faults, self.username = browser, url, faults, username
        self.driver = browser.driver
        self.driver.implicitly_wait(0)  # absent elements are asked about often; waits are explicit
        self.current: str | None = None

    # --- session and pages -------------------------------------------------------------------------
    def log_in(self, username: str | None = None, check: bool = True) -> None:
        """Log out whoever is in (the header's button) and log `username` (default: the role's user) in through
        the form. What was pending is checked first; callbacks the log-out itself cuts short (401) are not
        faults, but any other console error of the log-out and log-in is (a GET of /logout, answered 405, was)."""
        name = username or self.username
        if self.current and check:
            self.settle()
            self.clean(f"before {name} logs in")
        browser_log_out(self.driver, self.url, WAIT)
        self.driver.get(f"{self.url}/login")
        self.browser.wait_for_element("#login-form", timeout=WAIT)
        self.driver.find_element(By.ID, "username").send_keys(name)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.ID, "login-submit").click()
        self.browser.wait_for_element("#shell-user", timeout=WAIT)
        self.current = name
        self.faults.take()
        logs = [entry["message"] for entry in self.browser.get_logs() if not cut_short(entry["message"])]
        self.browser.reset_log_timestamp()
        assert not logs, f"logging {name} in: the browser console has {logs}"

    def menu(self) -> list[str]:
        """The page keys the menu offers, in its order."""
        return [link.get_attribute("id").removeprefix("shell-nav-")
                for link in self.driver.find_elements(By.CSS_SELECTOR, "#shell-nav a.nav-link")]

    def open(self, key: str, ready: str, title: str | None = None) -> None:
        """Follow the menu's link to page `key`, then wait for `ready` (a CSS selector) and the tab's title."""
        self.click(f"#shell-nav-{key}")
        self.browser.wait_for_element(ready, timeout=WAIT)
        if title:
            self.until(lambda: self.driver.title == f"{title} · Pantau", f"the tab should read {title!r}")

    def visit(self, path: str, ready: str) -> None:
        self.driver.get(f"{self.url}{path}")
        self.browser.wait_for_element(ready, timeout=WAIT)

    def clean(self, where: str) -> None:
        """No faulty server answer and no browser console error since the last check."""
        faults, logs = self.faults.take(), self.browser.get_logs()
        self.browser.reset_log_timestamp()
        assert not faults, f"{where}: the server answered {faults}"
        assert not logs, f"{where}: the browser console has {[entry['message'] for entry in logs]}"

    # --- gestures ----------------------------------------------------------------------------------
    def find(self, selector: str):
        return self.browser.wait_for_element(selector, timeout=WAIT)

    def find_all(self, selector: str) -> list:
        self.find(selector)
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def click(self, target) -> None:
        """Click as a reader would, with the element scrolled into view (it may sit below the fold)."""
        element = self.find(target) if isinstance(target, str) else target
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()

    def type(self, selector: str, text: str, enter: bool = False) -> None:
        element = self.find(selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.clear()
        element.send_keys(text + (Keys.ENTER if enter else ""))

    def set_value(self, selector: str, value: str) -> None:
        """Fill an input whose native widget has no typing order that holds in every locale (datetime-local)."""
        self.driver.execute_script(
            "const el = arguments[0];"
            "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, arguments[1]);"
            "el.dispatchEvent(new Event('input', {bubbles: true}));"
            "el.dispatchEvent(new Event('change', {bubbles: true}));", self.find(selector), value)

    def options(self, dropdown: str) -> list[str]:
        """The option labels of a dcc.Dropdown (opened and closed again)."""
        self.click(dropdown)
        menu = self.find(".dash-dropdown-options")
        labels = [o.text for o in menu.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")]
        self.close_dropdown()
        return labels

    def pick(self, dropdown: str, label: str | None = None, index: int | None = None) -> str:
        """Choose an option of a dcc.Dropdown by its label or position; returns the label chosen."""
        self.click(dropdown)
        menu = self.find(".dash-dropdown-options")
        options = menu.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
        chosen = options[index] if index is not None else next(o for o in options if o.text == label)
        text = chosen.text
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'nearest', behavior: 'instant'});", chosen)
        chosen.click()
        self.close_dropdown()
        return text

    def clear_dropdown(self, dropdown: str) -> None:
        """Press a dcc.Dropdown's clear button (the ×)."""
        wrapper = self.find(dropdown).find_element(By.XPATH, "..")
        self.click(wrapper.find_element(By.CSS_SELECTOR, ".dash-dropdown-clear"))

    def close_dropdown(self) -> None:
        if self.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-options"):
            self.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        self.until(lambda: not self.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-options"),
                   "the dropdown should close")

    def choose(self, container: str, label: str) -> None:
        """Tick the radio or checkbox labelled `label` inside `container`."""
        self.click(self.find(container).find_element(By.XPATH, f".//label[normalize-space()='{label}']"))

    ROWS = ("return Array.from(document.querySelectorAll(arguments[0] + ' tr'))"
            ".filter(r => r.querySelector('td.dash-cell'))"
            ".map(r => Array.from(r.querySelectorAll('td.dash-cell')).map(td => td.innerText.trim()));")

    def rows(self, table: str) -> list[list[str]]:
        """The cells' text of each row the DataTable shows (read in one go in the page)."""
        return self.driver.execute_script(self.ROWS, table)

    def select_row(self, table: str, containing: str | None = None, index: int = 0) -> list[str]:
        """Tick the selection box of the row with a cell reading `containing` (else the `index`th row);
        returns the row's cells."""
        self.settle()

        def tick():
            cells = self.rows(table)
            chosen = next(i for i, row in enumerate(cells) if containing in row) if containing else index
            boxes = self.driver.find_elements(By.CSS_SELECTOR, f"{table} tr td.dash-select-cell input")
            self.click(boxes[chosen])
            return cells[chosen]
        return self._again(tick)

    @staticmethod
    def _again(read, tries: int = 10):
        """`read()`, tried again when Dash replaced the elements it was reading."""
        for attempt in range(tries):
            try:
                return read()
            except StaleElementReferenceException:
                if attempt == tries - 1:
                    raise
                time.sleep(0.3)

    def filter_table(self, table: str, column: str, text: str) -> list[str]:
        """Type `text` into a DataTable column's filter and return the rows left; each must contain it."""
        self.settle()

        def type_in():
            box = self.find(f"{table} th.dash-filter[data-dash-column='{column}'] input")
            self.click(box)
            box.send_keys(text + Keys.ENTER)
        self._again(type_in)
        self.until(lambda: self.rows(table) and all(text.lower() in " ".join(row).lower() for row in self.rows(table)),
                   f"{table} should keep only rows with {text!r} in {column}")
        return self.rows(table)

    def clear_filter(self, table: str, column: str) -> None:
        box = self.find(f"{table} th.dash-filter[data-dash-column='{column}'] input")
        self.click(box)
        box.send_keys(Keys.CONTROL + "a", Keys.DELETE, Keys.ENTER)

    def download(self, button: str, suffix: str, timeout: float = WAIT) -> Path:
        """Press a download button and return the file it saved."""
        folder = Path(self.browser.download_path)
        before = {path: path.stat().st_mtime_ns for path in folder.glob(f"*{suffix}")}

        def saved() -> list[Path]:  # a new file, or one of the same name written again (Chromium may overwrite)
            return [path for path in folder.glob(f"*{suffix}")
                    if before.get(path) != path.stat().st_mtime_ns and path.stat().st_size]

        self.click(button)
        return self.until(saved, f"{button} should save a {suffix} file", timeout)[0]

    def text(self, selector: str) -> str:
        return self.find(selector).text

    def wait_text(self, selector: str, text: str, timeout: float = WAIT) -> None:
        self.until(lambda: text in self.find(selector).text, f"{selector} should show {text!r}", timeout)

    def until(self, condition, message: str, timeout: float = WAIT):
        def check(_driver):
            try:
                return condition()
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(check, message)

    def settle(self, seconds: float = 0.15) -> None:
        """Let Dash finish the callbacks a gesture started (no request pending)."""
        time.sleep(seconds)
        self.until(lambda: not self.driver.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"),
                   "callbacks should finish")
