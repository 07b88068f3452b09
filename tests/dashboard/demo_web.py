"""A small demo campus behind a real app, one per test module (built once per process, copied): the SLA
engine has measured its cases and the KTM pipeline is counted. Users `user.<role>` for every role (the
operator in UPT TIK) and operators of the KTM and KSO units, all with the same password; `payload` and `page`
build Dash's callback requests."""

from __future__ import annotations

import atexit
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from app.demo import generate
from app.demo.bank import with_banks
from collectors.ktm_pipeline import refresh
from pantau import migrate
from pantau.accounts import create_user
from pantau.db import make_engine, session_scope
from pantau.settings import ROLES, Settings
from pantau.sla.engine import evaluate_pending

PASSWORD = "rahasia-123"
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
UNITS = {"user.operator": "UPT TIK", "ops.ktm": "Layanan Terpadu", "ops.kso": "UPK SDMK"}
UPDATE = "/_dash-update-component"


@dataclass
class DemoWeb:
    app: object
    settings: Settings
    engine: object
    password: str = PASSWORD

    def client(self, username: str | None = None):
        """A test client logged in as `username` (a role name means `user.<role>`), anonymous when None."""
        client = self.app.server.test_client()
        if username:
            name = username if "." in username else f"user.{username}"
            page = client.get("/login")
            token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            response = client.post("/login", data={"username": name, "password": PASSWORD, "csrf": token, "next": "/"})
            assert response.status_code == 302, response.text
        return client


def demo_web(tmp_path, **settings) -> DemoWeb:
    """The demo campus in `tmp_path`, behind an app made with `settings`. The campus is built once per process
    and settings (`_campus`) and copied for each module, so each module has a store of its own to change."""
    from dashboard import create_app

    database = tmp_path / "pantau.db"
    with sqlite3.connect(_campus(settings)) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    engine = make_engine(f"sqlite:///{database}")
    config = with_banks(Settings(data_dir=tmp_path, database_url=str(engine.url), **settings))  # as pantau run
    return DemoWeb(create_app(config, engine), config, engine)


_CAMPUSES: dict[str, Path] = {}


def _campus(settings: dict) -> Path:
    """The store of the demo campus for these settings: migrated, generated, its cases measured, the KTM
    pipeline counted, the test users made (the first time in this process; later the same file)."""
    key = repr(sorted(settings.items()))
    if key not in _CAMPUSES:
        folder = Path(tempfile.mkdtemp(prefix="pantau-demo-campus-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        engine = make_engine(f"sqlite:///{folder / 'pantau.db'}")
        migrate.upgrade(engine)
        generate(engine, "small", seed=7, now=NOW)
        config = with_banks(Settings(data_dir=folder, database_url=str(engine.url), **settings))
        evaluate_pending(engine, config, now=NOW)
        refresh(engine, now=NOW)
        with session_scope(engine) as session:
            for role in ROLES:
                create_user(session, f"user.{role}", role, password=PASSWORD, unit=UNITS.get(f"user.{role}"))
            for name in ("ops.ktm", "ops.kso"):
                create_user(session, name, "operator", password=PASSWORD, unit=UNITS[name])
        engine.dispose()
        _CAMPUSES[key] = folder / "pantau.db"
    return _CAMPUSES[key]


def payload(outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]],
            state: list[tuple[str, str, object]] = ()) -> dict:
    """The JSON Dash's renderer POSTs for a callback with these outputs, inputs and states."""
    output = (f"{outputs[0][0]}.{outputs[0][1]}" if len(outputs) == 1
              else ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..")
    described = [{"id": i, "property": p} for i, p in outputs]
    return {
        "output": output,
        "outputs": described[0] if len(outputs) == 1 else described,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
    }


def page(path: str, search: str = "") -> dict:
    """The request that renders a page's layout into the shell."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


PENDING_CALLBACKS = """
const state = window.store && window.store.getState();
if (!state) { return 0; }
const lists = Object.assign({}, state.callbacks);
delete lists.stored;
delete lists.completed;
return Object.values(lists).reduce((count, list) => count + list.length, 0);
"""
"""How many callbacks Dash's renderer has requested and not yet finished (0 on a page that is not Dash's)."""


def browser_log_out(driver, url: str, timeout: float = 20) -> None:
    """Log out as a reader does: press the header's "Log out", whose form POSTs the session's token (a GET of
    /logout logs nobody out and answers 405). A browser showing no page of the app opens its front page first;
    with nobody logged in that is the log-in form, and there is nothing to end.

    The page's callbacks finish first: one still running at the log-out answers with the old session's cookie
    after it, and the log-in form's token then no longer matches the cookie (400 "invalid form token")."""
    if not driver.find_elements(By.ID, "shell-logout"):
        driver.get(f"{url}/")
        WebDriverWait(driver, timeout).until(
            lambda d: d.find_elements(By.ID, "shell-logout") or d.find_elements(By.ID, "login-form"))
    if buttons := driver.find_elements(By.ID, "shell-logout"):
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script(PENDING_CALLBACKS) == 0)
        buttons[0].click()
        WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.ID, "login-form"))


def browser_log_in(dash_duo, username: str) -> None:
    """Log out whoever is logged in (with the header's button), then log `username` in through the form (a role
    means `user.<role>`)."""
    name = username if "." in username else f"user.{username}"
    browser_log_out(dash_duo.driver, dash_duo.server.url)
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.wait_for_element("#login-form", timeout=20)
    dash_duo.find_element("#username").send_keys(name)
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)


def browser_to_english(dash_duo, key: str, menu_label: str, path: str) -> None:
    """Press EN in the header, wait for the menu entry of page `key` to read `menu_label`, and check the reader is
    still on `path`."""
    dash_duo.find_element("#shell-lang-en").click()
    dash_duo.wait_for_text_to_equal(f"#shell-nav-{key}", menu_label, timeout=30)
    assert dash_duo.driver.current_url.split("?")[0].endswith(path)
