"""SLA benchmarks: measuring the demo's cases once, then the SLA page's callbacks and `pantau report
sla` on the result.

The page and the report read the engine's monthly and half-yearly aggregates and the open steps, so
their cost should stay flat from the small to the large demo campus (target: large ÷ small ≤ 2 for
the page). The baseline of the compliance figures is the same numbers grouped straight from the
step results, as a page without the aggregates would compute them on every load.
"""

from __future__ import annotations

import json
import re
import time

from sqlalchemy import Engine, case, func, select

from pantau.models.workflow import StepResult
from pantau.settings import Settings
from pantau.sla.context import sla_context
from pantau.sla.engine import evaluate_pending
from pantau.sla.periods import months_of
from pantau.sla.report import build_report, default_period
from queries.sla import case_info, sop_compliance

from .registry import BenchContext, Measurement, benchmark
from .web import bench_user

REPEATS = 9


@benchmark("sla")
def sla(context: BenchContext) -> list[Measurement]:
    ctx = sla_context(context.settings)
    started = time.perf_counter()
    evaluation = evaluate_pending(context.engine, ctx)
    measured = [Measurement("SLA evaluation of the demo's pending cases (once)", [time.perf_counter() - started]),
                Measurement("SLA cases measured", [evaluation.cases], unit="cases"),
                Measurement("SLA step results", [evaluation.steps], unit="steps")]
    period = default_period(context.engine, ctx)
    page = _page_callbacks(context.settings, context.engine, period)
    measured += [Measurement(f"SLA page: {name}", samples) for name, samples in page.items()]
    measured.append(Measurement("SLA compliance per SOP (aggregates vs step results)",
                                _timed(lambda: sop_compliance(context.engine, months_of(period))),
                                baseline=_timed(lambda: _from_results(context.engine, months_of(period)))))
    measured.append(Measurement("pantau report sla (build and JSON)",
                                _timed(lambda: json.dumps(build_report(context.engine, ctx, period=period)))))
    return measured


def _timed(work) -> list[float]:
    work()
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return samples


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
    client = app.server.test_client()
    username, password = bench_user(engine, "direktur")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"})
    client.post("/_dash-update-component", json=_page_load())
    keys = list(app.callback_map)
    with engine.connect() as connection:
        sample = connection.execute(select(StepResult.sop_code, StepResult.case_id).limit(1)).first()
    case_ref = case_info(engine, sample.case_id)["case_ref"] if sample else "-"
    requests = {
        "refresh, all SOPs": _request(keys, "sla-summary.children", [("sla-sop", "value", "__all__"),
                                      ("sla-period", "value", period), ("sla-tick", "n_intervals", 1),
                                      ("sla-saved", "data", None)]),
        "refresh, one SOP": _request(keys, "sla-summary.children", [("sla-sop", "value", sample.sop_code if sample else "KTM"),
                                     ("sla-period", "value", period), ("sla-tick", "n_intervals", 1),
                                     ("sla-saved", "data", None)]),
        "case timeline": _request(keys, "sla-case.children@", [("sla-case-find", "n_clicks", 1)],
                                  [("sla-case-ref", "value", case_ref), ("sla-sop", "value", "__all__")]),
        "CSV download": _request(keys, "sla-download.data", [("sla-download-csv", "n_clicks", 1),
                                 ("sla-download-xlsx", "n_clicks", None)],
                                 [("sla-sop", "value", "__all__"), ("sla-period", "value", period)]),
    }
    samples = {}
    for name, request in requests.items():
        samples[name] = _timed(lambda request=request: _post(client, request))
    return samples


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
    key = next(key for key in keys if fragment in key)
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]} for part in key.strip(".").split("...")]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [next(f"{i}.{p}" for i, p, v in inputs if v is not None)],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
    }
