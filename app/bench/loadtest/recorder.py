"""Record what a browser sends when a user of a role opens each page it may see: the page, then every Dash
callback request in order. The load test replays these bodies, so it follows the pages as they are today."""

from __future__ import annotations

import base64
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CALLBACK = "/_dash-update-component"
STALL_S = 30.0
"""A callback request the browser has not reported finished after this long is no longer waited for."""


@dataclass
class PageVisit:
    """One page as a role opens it: its path and the callback bodies the browser posted, in order."""

    path: str
    callbacks: list[dict] = field(default_factory=list)


@dataclass
class Recording:
    """The visits of each load profile (a role, and for an operator a unit) in one file."""

    visits: dict[str, list[PageVisit]] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({k: [asdict(v) for v in vs] for k, vs in self.visits.items()}, indent=1))

    @classmethod
    def load(cls, path: Path) -> Recording:
        raw = json.loads(path.read_text())
        return cls({k: [PageVisit(**v) for v in vs] for k, vs in raw.items()})


def browser():
    """Headless Chromium whose performance log carries the network requests and their bodies."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        raise RuntimeError("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-sync", "--window-size=1366,768"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def record_profile(driver, base_url: str, username: str, password: str, settle_s: float = 2.0,
                   timeout_s: float = 300.0) -> list[PageVisit]:
    """Log in as `username`, open every page of the navigation, and return each page's callbacks."""
    from selenium.webdriver.common.by import By

    from app.bench.web import log_in

    driver.get(f"{base_url}/login")
    driver.delete_all_cookies()
    log_in(driver, base_url, username, password, timeout=timeout_s)
    _drain(driver, settle_s, timeout_s)
    paths = [link.get_attribute("href").removeprefix(base_url)
             for link in driver.find_elements(By.CSS_SELECTOR, "a[id^='shell-nav-']")]
    visits = []
    for path in paths:
        driver.get(base_url + path)
        try:
            visits.append(PageVisit(path, _drain(driver, settle_s, timeout_s)))
        except TimeoutError as error:
            raise TimeoutError(f"{username} on {path}: {error}") from None
    return visits


def _drain(driver, settle_s: float, timeout_s: float) -> list[dict]:
    """The callback bodies posted until every request has answered and none came for `settle_s` seconds."""
    bodies: list[dict] = []
    pending: dict[str, float] = {}
    quiet_since, deadline = time.monotonic(), time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        active = False
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message.get("method") == "Network.requestWillBeSent":
                request = params["request"]
                if CALLBACK in request["url"] and request.get("method") == "POST":
                    bodies.append(json.loads(_post_data(driver, params["requestId"], request)))
                    pending[params["requestId"]] = time.monotonic()
                    active = True
            elif message.get("method") in ("Network.loadingFinished", "Network.loadingFailed"):
                active = active or params.get("requestId") in pending
                pending.pop(params.get("requestId"), None)
        # A request the browser never reports finished (seen on a loaded machine) holds the recording up no
        # longer than STALL_S: its body is recorded, which is all the replay needs.
        for request_id, sent in list(pending.items()):
            if time.monotonic() - sent > STALL_S:
                del pending[request_id]
        # Only callbacks count: other traffic (a chart's assets, the browser's own) may never fall quiet.
        if active:
            quiet_since = time.monotonic()
        elif not pending and time.monotonic() - quiet_since >= settle_s:
            return bodies
        time.sleep(0.2)
    raise TimeoutError(f"{len(pending)} page callbacks still running after {timeout_s:.0f} s")


def _post_data(driver, request_id: str, request: dict) -> str:
    """A request's body: in the log when short, else asked of the browser."""
    if request.get("postData"):
        return request["postData"]
    if request.get("postDataEntries"):
        return b"".join(base64.b64decode(part.get("bytes", "")) for part in request["postDataEntries"]).decode()
    return driver.execute_cdp_cmd("Network.getRequestPostData", {"requestId": request_id})["postData"]


def first_output(body: dict) -> str:
    """A callback request's name: its first output (`id.property`)."""
    outputs = body.get("outputs")
    first = outputs[0] if isinstance(outputs, list) and outputs else outputs
    first = first[0] if isinstance(first, list) and first else first
    if isinstance(first, dict):
        ident = first.get("id")
        return f"{ident if isinstance(ident, str) else json.dumps(ident, sort_keys=True)}.{first.get('property')}"
    return str(body.get("output", "?"))[:60]
