"""Layout at laptop and phone widths, measured in Chromium: every page of every role at 1366, 1440 and 400 px.

Each reader logs in once (one browser for the module) and opens every page its menu offers from the menu; the
operators of the KTM and KSO units open those pages, and the public /status is read by nobody logged in. On
each page, once its callbacks have finished, the viewport is set to each width in turn and a script measures
the bounding boxes of what is drawn:

- nothing inside a card reaches past the card's sides (a table, a chart, a dropdown); what a scrolling box
  inside the card clips away does not count, the scrolling box itself does;
- the page does not scroll sideways (the document is no wider than the window);
- no two visible pieces of text overlap: the page's text (each line box of each text node, cut to what its
  clipping ancestors show) and, per chart, the SVG texts Plotly draws (axis titles, tick labels, legend
  entries, annotations); and a chart's legend does not lie over its bars;
- no text Plotly draws (a title, a tick label) reaches past its chart's SVG, which would cut it off.

Every fault is reported by page, reader, width and the elements involved, all of a reader's at once (one test
per reader). PANTAU_LAYOUT_PAGES=key,key measures only those pages of the menus; PANTAU_LAYOUT_REPORT=file
appends the faults found to that file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from clicker import Clicker, FaultLog
from dash.testing.browser import Browser
from demo_web import browser_log_out, demo_web
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from app.demo.settle import settle_demo
from pantau.models.workflow import StepResult
from pantau.settings import ROLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(900),  # a reader's pages at three widths each; the suite's 300 s cut off the treasurer's
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]

WIDTHS = (1366, 1440, 400)
HEIGHT = 900
LAPTOP = 1366
SETTLE_S = 90
"""How long a page's callbacks may take (a shared CI machine under load took more than 30 s on some pages)."""
"""From this width on, a card's table must fit its card without scrolling sideways within it."""
READERS = [f"user.{role}" for role in ROLES] + ["ops.ktm", "ops.kso"]
CASE_READERS = ("user.direktur", "user.admin")
"""Readers who also open a case's timeline on the SLA page (they see every SOP)."""
"""Every role's user (the operator of UPT TIK) and the operators of the units assigned KTM and KSO."""

MEASURE = r"""
const slack = 1;
const laptop = arguments[0];
const W = document.documentElement.clientWidth;
const faults = [];
const name = el => {
    if (!el || !el.tagName) { return '?'; }
    let s = el.tagName.toLowerCase();
    if (el.id) { s += '#' + el.id; }
    const cls = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    const first = cls.trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (first.length) { s += '.' + first.join('.'); }
    const owner = el.closest && el.closest('[id]');
    if (owner && owner !== el) { s = owner.id + ' ' + s; }
    return s;
};
const px = v => `${Math.round(v)}px`;
const words = t => t.replace(/\s+/g, ' ').trim().slice(0, 40);
const seen = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
const box = r => ({l: r.left, t: r.top, r: r.right, b: r.bottom});
const cut = (a, b) => ({l: Math.max(a.l, b.l), t: Math.max(a.t, b.t), r: Math.min(a.r, b.r), b: Math.min(a.b, b.b)});
const empty = a => a.r - a.l <= 0.5 || a.b - a.t <= 0.5;
const ALL = {l: -1e9, t: -1e9, r: 1e9, b: 1e9};
const clips = el => {
    const s = getComputedStyle(el);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clip !== 'auto' || s.clipPath !== 'none';
};
// What an element's ancestors (below `stop`) let show of it: the intersection of their clipping boxes; an
// ancestor clipped to nothing (screen-reader text) shows nothing, unless `hidden` asks where it lies anyway.
const shownBy = (stop, hidden = false) => {
    const memo = new Map();
    const of = el => {
        if (!el || el === stop || el === document.body || el === document.documentElement) { return ALL; }
        if (memo.has(el)) { return memo.get(el); }
        const parent = el.parentElement;
        let area = of(parent);
        if (parent && parent !== stop && parent !== document.body && clips(parent)) {
            const s = getComputedStyle(parent);
            area = (s.clip !== 'auto' || s.clipPath !== 'none')
                ? (hidden ? area : {l: 0, t: 0, r: 0, b: 0}) : cut(area, box(parent.getBoundingClientRect()));
        }
        memo.set(el, area);
        return area;
    };
    return of;
};

// 1. The page scrolls sideways: the document is wider than the window. Name the outermost elements that reach
//    past the window's right edge.
const scroll = document.scrollingElement.scrollWidth;
if (scroll > W + slack) {
    const shown = shownBy(null, true);
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = box(el.getBoundingClientRect());
        if (r.r - r.l <= 0 || r.b - r.t <= 0) { continue; }
        const s = cut(r, shown(el));
        if (!empty(s) && s.r > W + slack && !wide.some(w => w.contains(el))) { wide.push(el); }
    }
    faults.push({kind: 'page scrolls sideways', detail: `document ${scroll}px wide in a ${W}px window`,
                 elements: wide.slice(0, 6).map(el => `${name(el)} (right ${px(el.getBoundingClientRect().right)})`)});
}

// 2. Anything inside a card that reaches past the card's left or right side.
for (const card of document.querySelectorAll('.card')) {
    if (!seen(card)) { continue; }
    const c = box(card.getBoundingClientRect());
    if (empty(c)) { continue; }
    const shown = shownBy(card);
    const out = [];
    for (const el of card.querySelectorAll('*')) {
        if (out.some(o => o.contains(el))) { continue; }
        const r = box(el.getBoundingClientRect());
        if (r.r - r.l <= 0 || r.b - r.t <= 0) { continue; }
        const s = cut(r, shown(el));
        if (empty(s) || !seen(el)) { continue; }
        if (s.r > c.r + slack || s.l < c.l - slack) { out.push(el); }
    }
    // On a laptop's screen a card's table fits its card: no box inside it scrolls sideways.
    const scrollers = laptop ? Array.from(card.querySelectorAll('*')).filter(el =>
        ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + slack
        && seen(el) && !out.some(o => o.contains(el))) : [];
    for (const el of scrollers.slice(0, 2)) {
        faults.push({kind: 'scrolls sideways inside its card',
                     detail: `${el.scrollWidth}px of content in a box ${el.clientWidth}px wide`,
                     elements: [name(el), 'card: ' + name(card)]});
    }
    for (const el of out.slice(0, 4)) {
        const r = el.getBoundingClientRect();
        faults.push({kind: 'overflows its card',
                     detail: `${px(r.left)}–${px(r.right)} in a card of ${px(c.l)}–${px(c.r)}`,
                     elements: [name(el), 'card: ' + name(card)]});
    }
}

// Two boxes overlap when they share more than a sliver: line boxes of neighbouring lines may touch.
const overlap = (a, b) => {
    const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
    const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
    return w > 2 && h > Math.max(3, 0.3 * Math.min(a.b - a.t, b.b - b.t));
};
// Two SVG texts overlap when their drawn boxes (turned with the text: tick labels at 30°) share more than a
// sliver on every axis that could separate them.
const quad = t => {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
        .map(([x, y]) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f}));
};
const cross = (a, b) => {
    for (const poly of [a.q, b.q]) {
        for (let i = 0; i < 4; i++) {
            const p = poly[i], q = poly[(i + 1) % 4];
            const n = {x: q.y - p.y, y: p.x - q.x}, len = Math.hypot(n.x, n.y) || 1;
            const span = pts => pts.map(v => (v.x * n.x + v.y * n.y) / len);
            const sa = span(a.q), sb = span(b.q);
            if (Math.min(Math.max(...sa), Math.max(...sb)) - Math.max(Math.min(...sa), Math.min(...sb)) <= 3) {
                return false;
            }
        }
    }
    return true;
};
const clashes = (items, kind, limit, test = (a, b) => overlap(a.r, b.r)) => {
    items.sort((x, y) => x.r.t - y.r.t);
    let found = 0;
    for (let i = 0; i < items.length && found < limit; i++) {
        for (let j = i + 1; j < items.length && items[j].r.t < items[i].r.b; j++) {
            const a = items[i], b = items[j];
            if (a.el === b.el || !test(a, b)) { continue; }
            faults.push({kind, detail: `"${a.text}" and "${b.text}"`, elements: [name(a.el), name(b.el)]});
            if (++found >= limit) { break; }
        }
    }
};

// 3. The page's text: each line box of each text node, as much of it as its clipping ancestors show.
const texts = [];
const shownPage = shownBy(null);
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (!n.nodeValue.trim() || n.parentElement.closest('svg, script, style, noscript, option'))
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!seen(el)) { continue; }
    range.selectNodeContents(node);
    const area = shownPage(node);
    for (const rect of range.getClientRects()) {
        const r = cut(box(rect), area);
        if (!empty(r)) { texts.push({r, el, text: words(node.nodeValue)}); }
    }
}
clashes(texts, 'text overlaps text', 8);

// 4. Per chart: Plotly's SVG texts must not overlap one another, and the legend must not lie over the bars.
for (const graph of document.querySelectorAll('.js-plotly-plot')) {
    if (!seen(graph)) { continue; }
    const items = [];
    for (const t of graph.querySelectorAll('svg text')) {
        if (!t.textContent.trim() || t.closest('.hoverlayer') || !seen(t)) { continue; }
        const r = box(t.getBoundingClientRect());
        if (!empty(r)) { items.push({r, q: quad(t), el: t, text: words(t.textContent)}); }
    }
    // Plotly draws past its SVG's edges what does not fit (a title, a long tick label): the SVG cuts it off.
    const svg = graph.querySelector('.main-svg');
    const frame = svg ? box(svg.getBoundingClientRect()) : null;
    const cutOff = frame ? items.filter(i => i.r.l < frame.l - slack || i.r.r > frame.r + slack
                                           || i.r.t < frame.t - slack || i.r.b > frame.b + slack) : [];
    for (const i of cutOff.slice(0, 3)) {
        faults.push({kind: 'chart text cut off by its chart',
                     detail: `"${i.text}" at ${px(i.r.l)}–${px(i.r.r)} in a chart of ${px(frame.l)}–${px(frame.r)}`,
                     elements: ['chart ' + name(graph), name(i.el)]});
    }
    const before = faults.length;
    clashes(items, 'chart text overlaps chart text', 4, cross);
    for (const f of faults.slice(before)) { f.elements.unshift('chart ' + name(graph)); }
    const legend = graph.querySelector('.legend .bg');
    if (legend && seen(legend)) {
        const l = box(legend.getBoundingClientRect());
        const covered = Array.from(graph.querySelectorAll('.barlayer .point path'))
            .filter(p => overlap(l, box(p.getBoundingClientRect())));
        if (covered.length) {
            faults.push({kind: 'chart legend lies over its bars', detail: `${covered.length} bars under the legend`,
                         elements: ['chart ' + name(graph)]});
        }
    }
}
return faults;
"""


def measure(driver) -> list[dict]:
    """The layout faults of the page the driver shows, at its current width."""
    return driver.execute_script(MEASURE, driver.execute_script("return window.innerWidth") >= LAPTOP)


def set_width(driver, width: int) -> None:
    """A viewport of exactly `width` CSS pixels (the window's chrome does not count), then the charts' resize."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_script("window.dispatchEvent(new Event('resize'));")


def next_frames(driver) -> None:
    """Two animation frames have passed: the browser has laid the page out again at its new width."""
    driver.execute_async_script("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")


def drawn(reader) -> None:
    """The page's callbacks have finished and Plotly has redrawn its charts at the new width."""
    next_frames(reader.driver)
    reader.until(lambda: not reader.driver.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"),
                 "callbacks should finish", timeout=SETTLE_S)
    reader.until(lambda: reader.driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => !g._transitioning"
        " && (!g._fullLayout || Math.abs(g._fullLayout.width - g.getBoundingClientRect().width) < 2))"),
        "the charts should take the new width")


def every_width(reader, found: list[str], where: str) -> None:
    """Measure the page the reader shows at each of `WIDTHS`."""
    for width in WIDTHS:
        set_width(reader.driver, width)
        drawn(reader)
        report(found, f"{where} at {width} px", measure(reader.driver))


def busiest_case(engine) -> int:
    """The SLA case with the most steps (its timeline has the most bars and states)."""
    with engine.connect() as connection:
        return connection.scalar(select(StepResult.case_id).group_by(StepResult.case_id)
                                 .order_by(func.count().desc(), StepResult.case_id).limit(1))


def report(found: list[str], where: str, faults: list[dict]) -> None:
    for fault in faults:
        found.append(f"{where}: {fault['kind']}: {fault['detail']} [{'; '.join(fault['elements'])}]")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("layout"))
    settle_demo(site.engine, site.settings)
    site.faults = FaultLog().install(site.app.server)
    return site


@pytest.fixture(scope="module")
def browser(request):
    with Browser("chrome", headless=request.config.getoption("headless")) as browser:
        browser.driver.set_window_size(1440, HEIGHT + 100)
        yield browser


def check(found: list[str]) -> None:
    if folder := os.environ.get("PANTAU_LAYOUT_REPORT"):
        with Path(folder).open("a") as out:
            out.writelines(f"{line}\n" for line in found)
    assert not found, f"{len(found)} layout faults:\n" + "\n".join(found)


def test_layout001_the_public_status_page_fits_1366_1440_and_400_px(site, url, browser):
    driver, found = browser.driver, []
    browser_log_out(driver, url)
    driver.get(f"{url}/status")
    browser.wait_for_element("#status-page", timeout=30)
    for width in WIDTHS:
        set_width(driver, width)
        next_frames(driver)
        report(found, f"/status (public) at {width} px", measure(driver))
    check(found)


@pytest.mark.parametrize("username", READERS)
def test_layout002_every_page_of_the_readers_menu_fits_1366_1440_and_400_px(site, url, browser, username):
    """No overflow, no sideways scroll, no overlapping text (see the module's docstring)."""
    driver, found = browser.driver, []
    pages = os.environ.get("PANTAU_LAYOUT_PAGES")
    set_width(driver, WIDTHS[0])
    reader = Clicker(browser, url, site.faults, username)
    reader.log_in(check=False)
    for key in [k for k in reader.menu() if not pages or k in pages.split(",")]:
        set_width(driver, WIDTHS[0])
        reader.click(f"#shell-nav-{key}")
        reader.find("#_pages_content .page-title, #shell-not-authorised")
        drawn(reader)
        every_width(reader, found, f"{urlparse(driver.current_url).path} as {username}")
    if username in CASE_READERS:  # a case's timeline on the SLA page, opened by its address
        reader.visit(f"/sla?case={busiest_case(site.engine)}", "#sla-case .js-plotly-plot")
        every_width(reader, found, f"/sla?case=… as {username}")
    set_width(driver, WIDTHS[0])
    check(found)
