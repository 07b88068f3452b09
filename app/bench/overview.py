"""The overview's cost: its page render and its cards callback through the real app and its guard, as the
director lands on it, and the monthly report built from the same figures.

Every card reads small tables (SLA aggregates, rollups, KTM counts, step results of one step) so the cost
should stay flat from the small to the large campus (target: large ÷ small ≤ 2 at p95). The SLA cases are
measured, the bills reconciled and the KTM pipeline counted first, once, as the `sla`, reconciliation and
`ktm-pipeline` collectors would.
"""

from __future__ import annotations

import re
import time

from collectors.ktm_pipeline import refresh
from pantau.recon import reconcile
from pantau.sla.engine import evaluate_pending
from queries import monthly_report as monthly

from .growth import timed
from .registry import BenchContext, Measurement, benchmark
from .web import bench_user

REPEATS = 15
UPDATE = "/_dash-update-component"
CARDS = {
    "output": "..overview-cards.children...overview-attention.children...overview-stamp.children..",
    "outputs": [{"id": "overview-cards", "property": "children"}, {"id": "overview-attention", "property": "children"},
                {"id": "overview-stamp", "property": "children"}],
    "inputs": [{"id": "overview-tick", "property": "n_intervals", "value": None}],
    "changedPropIds": ["overview-tick.n_intervals"],
    "state": [],
}
PAGE = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/ringkasan"},
               {"id": "_pages_location", "property": "search", "value": ""}],
    "changedPropIds": ["_pages_location.pathname"],
    "state": [],
}


@benchmark("overview")
def overview(context: BenchContext) -> list[Measurement]:
    from dashboard.app import create_app

    started = time.perf_counter()
    evaluate_pending(context.engine, context.settings)
    reconcile(context.engine, context.settings)
    refresh(context.engine)
    prepared = time.perf_counter() - started
    settings = context.settings.model_copy(update={"database_url": str(context.engine.url)})
    client = create_app(settings, context.engine).server.test_client()
    username, password = bench_user(context.engine, "direktur")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"})
    return [
        Measurement("overview: SLA evaluation, reconciliation and KTM counts before it (once)", [prepared]),
        Measurement("overview: page render (director)", timed(lambda: _post(client, PAGE))),
        Measurement("overview: KPI cards callback (director)", timed(lambda: _post(client, CARDS))),
        Measurement("monthly report: build and render HTML",
                    timed(lambda: monthly.render_html(monthly.build(context.engine, settings), settings.language,
                                                       settings.timezone))),
    ]



def _post(client, request: dict) -> None:
    response = client.post(UPDATE, json=request)
    if response.status_code != 200:
        raise RuntimeError(f"overview callback answered {response.status_code}: {response.text[:200]}")
