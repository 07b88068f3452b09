"""The shell's page load in Chromium: from navigation until the header and the page are drawn."""

from __future__ import annotations

import time

from .registry import BenchContext, Measurement, benchmark
from .web import bench_user, chromium, log_in, serving

LOADS = 7


@benchmark("shell page load")
def shell_page_load(context: BenchContext) -> list[Measurement]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    username, password = bench_user(context.engine, "admin")
    samples = []
    with serving(context.settings, context.engine) as url, chromium() as browser:
        log_in(browser, url, username, password)
        for _ in range(LOADS):
            started = time.perf_counter()
            browser.get(f"{url}/peringatan")
            WebDriverWait(browser, 60).until(ready.presence_of_element_located((By.ID, "alerts-summary")))
            samples.append(time.perf_counter() - started)
    return [Measurement("shell page load (Chromium)", samples)]
