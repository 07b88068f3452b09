"""Page loads in Chromium, for every page of every role's menu: navigation timing from the Performance API.

The dashboard is served as `make run` serves it (`pantau serve`: gunicorn, the configured workers, no Redis).
The demo campus is settled first as `make run` settles it (SLA cases measured, bank feed reconciled, KTM
pipeline counted). Each reader (a user per role; the operators of UPT TIK and of the units assigned KTM and
KSO) logs in once, then loads each page of its menu `LOADS` times by its address, a full navigation each time.
A script installed before every document records, on the page's own clock (ms from the navigation's start):

- response end: the page's HTML received (Navigation Timing's `responseEnd`);
- DOM content loaded: its scripts parsed and run (`domContentLoadedEventEnd`);
- first chart: the first Plotly chart drawn (none on a page without charts);
- settled: the page's content is shown, no Dash callback is pending or loading and every chart (`dcc.Graph`) is
  drawn by Plotly, whose bundle loads only once a chart is on the page; this holds for `QUIET_MS` (the time is
  when that quiet began).

and the callbacks' answers: how many and their bytes (the JSON bodies, as received).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from .registry import BenchContext, Measurement, benchmark
from .web import bench_user, chromium, log_in

LOADS = 5
QUIET_MS = 150
TIMEOUT_S = 60
"""A load not settled after this long counts as this long (and the run goes on)."""
READERS = (("direktur", None), ("kepala_it", None), ("bendahara", None), ("operator", "UPT TIK"),
           ("admin", None), ("operator", "Layanan Terpadu"), ("operator", "UPK SDMK"))
"""Every role, and operators of the units the demo SOPs assign (UPT TIK; KTM's Layanan Terpadu; KSO's UPK SDMK)."""

WATCH = """
(() => {
  const times = window.__pantauTimes = {};
  const pending = () => {
    const state = window.store && window.store.getState();
    if (!state) { return 1; }
    const lists = Object.assign({}, state.callbacks);
    delete lists.stored; delete lists.completed;
    return Object.values(lists).reduce((count, list) => count + list.length, 0);
  };
  let quietSince = null;
  const tick = () => {
    const now = performance.now();
    const drawn = g => {
      const plot = g.classList.contains('js-plotly-plot') ? g : g.querySelector('.js-plotly-plot');
      return !!(plot && plot._fullLayout) && !g.classList.contains('dash-graph--pending');
    };
    const charts = Array.from(document.querySelectorAll('.dash-graph'));
    if (times.firstChart === undefined && charts.some(drawn)) { times.firstChart = now; }
    const ready = document.querySelector('#_pages_content .page-title, #shell-not-authorised')
      && pending() === 0 && !document.querySelector('[data-dash-is-loading="true"]') && charts.every(drawn);
    quietSince = ready ? (quietSince === null ? now : quietSince) : null;
    if (quietSince !== null && now - quietSince >= QUIET) { times.settled = quietSince; return; }
    if (now < TIMEOUT) { setTimeout(tick, 10); }
  };
  setTimeout(tick, 0);
})();
"""

READ = """
const done = arguments[arguments.length - 1];
const wait = () => {
  const times = window.__pantauTimes || {};
  if (times.settled === undefined && performance.now() < TIMEOUT) { return setTimeout(wait, 25); }
  const nav = performance.getEntriesByType('navigation')[0];
  const calls = performance.getEntriesByType('resource').filter(e => e.name.includes('/_dash-update-component'));
  done({response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, firstChart: times.firstChart,
        settled: times.settled, calls: calls.length, bytes: calls.reduce((sum, e) => sum + e.encodedBodySize, 0),
        slowest: Math.max(0, ...calls.map(e => e.duration))});
};
wait();
"""


def watch(quiet_ms: int = QUIET_MS) -> str:
    """The script that records a page's timings, for `Page.addScriptToEvaluateOnNewDocument`."""
    return WATCH.replace("QUIET", str(quiet_ms)).replace("TIMEOUT", str(TIMEOUT_S * 1000))


def menu(browser) -> list[str]:
    """The addresses of the pages the reader's menu offers, in its order."""
    from selenium.webdriver.common.by import By

    return [link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, "#shell-nav a.nav-link")]


def load(browser, address: str) -> dict:
    """One full navigation to `address` and its timings (ms from the navigation's start)."""
    browser.get(address)
    found = browser.execute_async_script(READ.replace("TIMEOUT", str(TIMEOUT_S * 1000)))
    if found.get("settled") is None:
        found["settled"] = TIMEOUT_S * 1000
    return found


def settle(context: BenchContext) -> None:
    from app.demo.settle import settle_demo
    from collectors.ktm_pipeline import refresh

    settle_demo(context.engine, context.settings, say=lambda _line: None)
    refresh(context.engine)


@contextmanager
def served_as_run(context: BenchContext) -> Iterator[str]:
    """The dashboard as `make run` serves it: `pantau serve` (gunicorn, the configured workers and threads) on
    the benchmark's store, without Redis (the default install caches nothing)."""
    from .loadtest.serving import served

    env = {"PANTAU_DATABASE_URL": str(context.engine.url), "PANTAU_DATA_DIR": str(context.settings.data_dir),
           "PANTAU_REDIS_URL": ""}
    with served(context.settings.web.workers, env) as (url, _master):
        yield url


@benchmark("page loads")
def page_loads(context: BenchContext) -> list[Measurement]:
    started = time.perf_counter()
    settle(context)
    settled = time.perf_counter() - started
    found: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    with served_as_run(context) as url, chromium() as browser:
        browser.set_script_timeout(180)
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                {"source": watch()})
        for role, unit in READERS:
            reader = f"{role} ({unit})" if unit else role
            browser.delete_all_cookies()
            log_in(browser, url, *bench_user(context.engine, role, unit))
            for address in menu(browser):
                page = address.removeprefix(url)
                for _ in range(LOADS):
                    times = load(browser, address)
                    for metric in ("response", "dcl", "firstChart", "settled"):
                        if times.get(metric) is not None:
                            found[(page, reader, metric)].append(times[metric] / 1000)
                    found[(page, reader, "kB")].append(times["bytes"] / 1000)
                    found[(page, reader, "slowest")].append(times["slowest"] / 1000)
    names = {"response": "response end", "dcl": "DOM content loaded", "firstChart": "first chart",
             "settled": "settled", "slowest": "slowest callback", "kB": "callback answers"}
    measured = [Measurement("page loads: settling the demo first (once)", [settled])]
    for (page, reader, metric), samples in found.items():
        measured.append(Measurement(f"{page} {reader}: {names[metric]}", samples,
                                    unit="kB" if metric == "kB" else "s"))
    return measured


COLUMNS = ("response end", "DOM content loaded", "first chart", "settled", "slowest callback")


def table(results: dict[str, dict[str, Measurement]]):
    """One row per page and reader: the median of each timing at each scale (ms), the callbacks' kB, and the
    settled time's ratio of the last scale to the first; pages settling after `GOAL_S` at any scale marked."""
    from rich.table import Table

    scales = list(results)
    out = Table("page", "reader", *(f"{scale} {column}" for scale in scales for column in ("settled", "kB")),
                *(f"{scales[-1]} {column}" for column in COLUMNS[:3]), f"{scales[-1]}/{scales[0]}",
                title=f"page loads in Chromium (median of {LOADS}, ms from the navigation's start)")
    keys = dict.fromkeys(metric.rsplit(": ", 1)[0] for scale in scales for metric in results[scale]
                         if metric.startswith("/"))
    for key in keys:
        page, reader = key.split(" ", 1)

        def cell(scale: str, column: str, key: str = key) -> str:
            measured = results[scale].get(f"{key}: {column}")
            if measured is None:
                return "–"
            if measured.unit == "kB":
                return f"{measured.median:,.0f}"
            late = column == "settled" and measured.median > GOAL_S
            return f"{'[red]' if late else ''}{measured.median * 1000:,.0f}{'[/red]' if late else ''}"

        first, last = (results[s].get(f"{key}: settled") for s in (scales[0], scales[-1]))
        ratio = f"{last.median / first.median:.2f}" if first and last and first.median else "–"
        out.add_row(page, reader,
                    *(cell(scale, column) for scale in scales for column in ("settled", "callback answers")),
                    *(cell(scales[-1], column) for column in COLUMNS[:3]), ratio)
    return out


GOAL_S = 1.0
"""Every page should have settled within a second of the navigation's start at medium scale."""
