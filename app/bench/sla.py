"""SLA benchmarks: the SLA page's callbacks and `pantau report sla` on a store of about 1,000 measured SOP
cases (small scale) and one of about 100,000 (large scale), so the runner's large ÷ small ratio is the
100k ÷ 1k ratio the page is held to (target ≤ 2).

Both stores hold only the demo's workflow (`app.bench.sla_data`), measured by the SLA engine, and are
kept in the bench cache: a run builds each once. The page and the report read the engine's monthly and
half-yearly aggregates and the open steps; the baseline of the compliance figures is the same numbers
grouped straight from the step results, as a page without the aggregates would compute them on every load.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import Engine, case, func, select

from pantau.db import make_engine
from pantau.models import SopCase, utcnow
from pantau.models.workflow import StepResult
from pantau.settings import Settings
from pantau.sla.context import sla_context
from pantau.sla.periods import months_of
from queries.sla import open_steps, sop_compliance
from queries.sla_report import build_report, default_period

from .growth import timed
from .registry import BenchContext, Measurement, benchmark
from .sla_data import sla_store
from .web import bench_user

CASES = {"small": 1_000, "medium": 10_000, "large": 100_000}
"""Measured SOP cases in the store each scale benchmarks."""
REPEATS = 15


@benchmark("sla", demo=False)
def sla(context: BenchContext) -> list[Measurement]:
    ctx = sla_context(context.settings)
    store = sla_store(context.settings, context.cache, CASES.get(context.scale, CASES["small"]))
    measured = [Measurement("SLA store: cases measured", [store.cases], unit="cases")]
    if store.build_seconds is not None:
        measured.append(Measurement("SLA store: build and evaluation (once, then cached)", [store.build_seconds]))
    engine = make_engine(f"sqlite:///{store.path}")
    try:
        period = default_period(engine, ctx)
        page = _page_callbacks(context.settings, engine, period)
        measured += [Measurement(f"SLA page: {name}", samples) for name, samples in page.items()]
        measured.append(Measurement("SLA compliance per SOP (aggregates vs step results)",
                                    timed(lambda: sop_compliance(engine, months_of(period))),
                                    baseline=timed(lambda: _from_results(engine, months_of(period)))))
        measured.append(Measurement("pantau report sla (build and JSON)",
                                    timed(lambda: json.dumps(build_report(engine, ctx, period=period)))))
    finally:
        engine.dispose()
    return measured



def _from_results(engine: Engine, months: list[str]) -> list[tuple]:
    """The naive way: compliance per SOP grouped from every step result of the period."""
    query = (select(StepResult.sop_code, func.count(), func.sum(case((StepResult.state == "met", 1), else_=0)))
             .where(StepResult.month.in_(months), StepResult.measured, StepResult.outside_party.is_(False))
             .group_by(StepResult.sop_code))
    with engine.connect() as connection:
        return connection.execute(query).all()


def _page_callbacks(settings: Settings, engine: Engine, period: str) -> dict[str, list[float]]:
    """Seconds per callback of the director's SLA page, through the real app and its guard."""
    from dashboard.app import create_app

    app = create_app(settings.model_copy(update={"database_url": str(engine.url)}), engine)
    client = _logged_in(app, engine, "direktur")
    keys = list(app.callback_map)
    with engine.connect() as connection:
        busiest = connection.execute(select(SopCase.sop_code).group_by(SopCase.sop_code)
                                     .order_by(func.count().desc(), SopCase.sop_code).limit(1)).scalar_one()
        case_ref = connection.execute(select(SopCase.case_ref).where(SopCase.sop_code == busiest)
                                      .order_by(SopCase.id).limit(1)).scalar_one()
    unit = sla_context(settings).catalogue[busiest].unit
    operator = _logged_in(app, engine, "operator", unit)
    opened = open_steps(engine, utcnow(), limit=1)
    row = opened.iloc[0] if len(opened) else None
    picked = [{"case_ref": str(row.case_ref), "sop_code": str(row.sop_code)}] if row is not None else []

    def refresh(sop: str) -> dict:
        return _request(keys, "sla-summary.children", [("sla-sop", "value", sop), ("sla-period", "value", period),
                                                       ("sla-tick", "n_intervals", 1), ("sla-saved", "data", None)])

    def download(button: str) -> dict:
        clicks = [("sla-download-csv", "n_clicks", 1 if button == "csv" else None),
                  ("sla-download-xlsx", "n_clicks", 1 if button == "xlsx" else None)]
        return _request(keys, "sla-download.data", clicks, [("sla-sop", "value", "__all__"),
                                                            ("sla-period", "value", period),
                                                            ("sla-download-machine", "value", False)])

    requests = {
        "page layout": _page_load(),
        "refresh, all SOPs": refresh("__all__"),
        f"refresh, one SOP ({busiest})": refresh(busiest),
        "case timeline (look-up)": _request(keys, "sla-case.children@", [("sla-case-find", "n_clicks", 1)],
                                            [("sla-case-ref", "value", case_ref), ("sla-sop", "value", "__all__")]),
        "case timeline (open step picked)": _request(keys, "sla-case.children.",
                                                     [("sla-open-table", "selected_rows", [0])],
                                                     [("sla-open-table", "data", picked)]),
        "CSV download": download("csv"),
        "XLSX download": download("xlsx"),
    }
    samples = {name: timed(lambda request=request: _post(client, request)) for name, request in requests.items()}
    samples[f"refresh, operator of {busiest}'s unit"] = timed(lambda: _post(operator, refresh("__all__")))
    return samples


def _logged_in(app, engine: Engine, role: str, unit: str | None = None):
    """A test client of the app logged in as a bench user of `role`, with the SLA page loaded once."""
    client = app.server.test_client()
    username, password = bench_user(engine, role, unit)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"})
    _post(client, _page_load())
    return client


def _post(client, request: dict) -> None:
    response = client.post("/_dash-update-component", json=request)
    if response.status_code != 200:
        raise RuntimeError(f"SLA page callback answered {response.status_code}: {response.text[:200]}")


def _page_load() -> dict:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/sla"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    }


def _request(keys: list[str], fragment: str, inputs: list[tuple], state: list[tuple] = ()) -> dict:
    key = next(key for key in keys if fragment in key or key == fragment.rstrip("."))
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in key.strip(".").split("...")]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [next(f"{i}.{p}" for i, p, v in inputs if v is not None)],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
    }
