"""Screenshots of every page at a laptop's and a phone's width, taken with headless Chromium.

`python -m app.bench.page_shots docs/screenshots [scale]` builds a demo campus (medium, as `make run` does,
unless another scale is named), settles it as `make run` does, serves the app on loopback and saves the whole
of every page, each as the demo user whose work it is (`PAGES`), at 1440 and 400 px (`<page>-1440.webp`,
`<page>-400.webp`), once every callback has finished and every chart is drawn; then the log-in page and the
public status page during a simulated outage at both widths.
"""

from __future__ import annotations

import base64
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pantau import migrate
from pantau.db import make_engine, session_scope
from pantau.models import CollectorRun
from pantau.settings import Settings
from pantau.sources.status import heartbeat

from . import status_shot
from .pages import watch
from .web import chromium, log_in, serving

WIDTHS = (1440, 400)
PAGES = {  # name: (address, the demo user whose work the page is)
    "overview": ("/ringkasan", "direktur"), "payments": ("/pembayaran", "bendahara"),
    "server": ("/server", "kepala.it"), "sla": ("/sla", "direktur"), "ktm": ("/ktm", "direktur"),
    "kso": ("/kso", "direktur"), "accounts": ("/akun", "kepala.it"), "tokens": ("/token", "bendahara"),
    "alerts": ("/peringatan", "kepala.it"), "report": ("/laporan", "direktur"), "sources": ("/sumber", "admin"),
    "users": ("/pengguna", "admin"), "publish": ("/publikasi-status", "admin"), "sop-import": ("/impor-sop", "admin"),
}
INSTITUTION = "Politeknik Kesehatan Pantau"
QUALITY = 85
"""WebP quality: a page of text and charts stays sharp at a fifth of a PNG's size."""


def full_page(browser, target: Path, width: int) -> None:
    """Save the whole page at `width` CSS pixels: the viewport is made as tall as the document."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.execute_script("window.dispatchEvent(new Event('resize'))")
    time.sleep(1.0)  # Plotly's charts take the new width
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": height})
    time.sleep(0.5)
    target.parent.mkdir(parents=True, exist_ok=True)
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "webp", "quality": QUALITY})
    target.write_bytes(base64.b64decode(shot["data"]))


def settled(browser, timeout: float = 60) -> bool:
    """Wait until the page's callbacks have finished and its charts are drawn (see app.bench.pages); False when
    that has not happened within `timeout` seconds (the picture is taken anyway, and says so on stderr)."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if browser.execute_script("return (window.__pantauTimes || {}).settled !== undefined"):
            return True
        time.sleep(0.2)
    print(f"{browser.current_url} had not settled after {timeout:.0f} s", file=sys.stderr)
    return False


def shoot_pages(folder: Path, scale: str = "medium") -> list[Path]:
    from app.demo import generate
    from app.demo.settle import settle_demo
    from app.demo_users import create_demo_users
    from collectors.ktm_pipeline import refresh

    work = Path(tempfile.mkdtemp(prefix="pantau-shots-"))
    engine = make_engine(f"sqlite:///{work / 'shots.db'}")
    migrate.upgrade(engine)
    generate(engine, scale, seed=7)
    settings = Settings(data_dir=work, database_url=str(engine.url), institution=INSTITUTION)
    settle_demo(engine, settings, say=lambda _line: None)
    refresh(engine)
    passwords = {username: password for username, _role, password in create_demo_users(engine, work)}
    now = datetime.now(UTC)
    with session_scope(engine) as session:  # what a running collector reports, as under `make run`
        session.add(CollectorRun(collector="probes", started_at=now - timedelta(minutes=1), finished_at=now, ok=True))
    heartbeat(engine, interval_s=3600, who="page_shots")  # one beat covers the shots' few minutes
    saved = []
    with serving(settings, engine) as url, chromium() as browser:
        for width in WIDTHS:
            browser.get(f"{url}/login")
            full_page(browser, folder / f"login-{width}.webp", width)
            saved.append(folder / f"login-{width}.webp")
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": watch(300)})
        for reader in dict.fromkeys(user for _path, user in PAGES.values()):
            browser.delete_all_cookies()
            log_in(browser, url, reader, passwords[reader])
            for name, (path, _user) in ((n, page) for n, page in PAGES.items() if page[1] == reader):
                for width in WIDTHS:
                    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
                    browser.get(f"{url}{path}")
                    settled(browser)
                    target = folder / f"{name}-{width}.webp"
                    full_page(browser, target, width)
                    saved.append(target)
    engine.dispose()
    return saved


def shoot_status(folder: Path) -> list[Path]:
    """The public status page during status_shot's simulated outage, at each of `WIDTHS`."""
    work = Path(tempfile.mkdtemp(prefix="pantau-status-shots-"))
    engine = make_engine(f"sqlite:///{work / 'status.db'}")
    migrate.upgrade(engine)
    status_shot.build(engine, datetime.now(UTC).replace(microsecond=0))
    settings = Settings(data_dir=work, database_url=str(engine.url), institution=INSTITUTION)
    saved = []
    with serving(settings, engine) as url, chromium() as browser:
        for width in WIDTHS:
            browser.get(f"{url}/status")
            time.sleep(0.5)
            target = folder / f"status-{width}.webp"
            full_page(browser, target, width)
            saved.append(target)
    engine.dispose()
    return saved


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for shot in shoot_status(out) + shoot_pages(out, sys.argv[2] if len(sys.argv) > 2 else "medium"):
        print(shot)
