"""Serve the real app on a loopback port and drive it with headless Chromium, for benchmarks and checks."""

from __future__ import annotations

import logging
import shutil
import socket
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from werkzeug.serving import make_server

from pantau.accounts import create_user
from pantau.db import session_scope
from pantau.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(settings: Settings, engine: Engine) -> Iterator[str]:
    """The dashboard on http://127.0.0.1:<free port> in a background thread."""
    from dashboard.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(settings, engine)
    server = make_server("127.0.0.1", free_port(), app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def bench_user(engine: Engine, role: str, unit: str | None = None) -> tuple[str, str]:
    """A user of `role` (of `unit`, for an operator) to log in as; created on first use."""
    suffix = f".{zlib.crc32(unit.encode()):08x}" if unit else ""
    username, password = f"bench.{role}{suffix}", "bench-password-1"
    with session_scope(engine) as session:
        try:
            create_user(session, username, role, password=password, unit=unit, actor="bench")
        except ValueError:
            pass
    return username, password


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium through Selenium; RuntimeError when it is not installed."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        raise RuntimeError("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1366,768"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def log_in(browser, base_url: str, username: str, password: str, timeout: float = 30) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base_url}/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login-submit").click()
    WebDriverWait(browser, timeout).until(ready.presence_of_element_located((By.ID, "shell-user")))
