"""Payments benchmarks: storing a million-line bank CSV, reconciling a million credits against a
million bills, and the payments page's callbacks.

* ``bank import``: ``pantau import bank`` on a 1,000,000-line CSV into an empty SQLite store,
  parsing and storage together, in lines per second.
* ``reconcile``: the first reconciliation of 1,000,000 bills against about as many credits (every
  state written), and a re-run after a day's 10,000 new credits; the baseline is a plain pandas
  reconciliation on the same store in the same run (read both tables, merge on VA, sum per bill,
  classify; it writes nothing).
* ``payments page``: one refresh of the payments page (its callbacks) on the runner's demo store,
  reconciled first; the runner's large/small ratio shows whether the page stays flat in size.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from app.demo.bulk import BulkWriter
from collectors.bankstore import import_file
from pantau import migrate
from pantau.db import make_engine
from pantau.models import BankTransaction
from pantau.recon import reconcile
from queries.payments import current_semester

from .payments_data import fill_ledger, write_bank_csv
from .registry import BenchContext, Measurement, benchmark
from .web import bench_user

LINES = 1_000_000
BILLS = 1_000_000
DAY_CREDITS = 10_000
REFRESHES = 12


@benchmark("bank import")
def bank_import(context: BenchContext) -> list[Measurement]:
    store = _fresh_store(context.workdir / "bank-import.db")
    csv = write_bank_csv(context.workdir / "bank-1m.csv", LINES)
    started = time.perf_counter()
    summary = import_file(store, csv, actor="bench")
    seconds = time.perf_counter() - started
    if summary.added != LINES:
        raise RuntimeError(f"bank import stored {summary.added:,} of {LINES:,} lines: {summary.error}")
    store.dispose()
    return [
        Measurement(f"bank CSV import, {LINES:,} lines", [LINES / seconds], unit="lines/s"),
        Measurement(f"bank CSV import, {LINES:,} lines (time)", [seconds]),
    ]


@benchmark("reconcile")
def reconcile_million(context: BenchContext) -> list[Measurement]:
    store = _fresh_store(context.workdir / "reconcile.db")
    fill_ledger(store, BILLS)
    settings = context.settings
    baseline = [_pandas_reconciliation(store)]
    first = reconcile(store, settings).seconds
    _add_day_of_credits(store, DAY_CREDITS)
    again = reconcile(store, settings).seconds
    baseline.append(_pandas_reconciliation(store))
    store.dispose()
    return [
        Measurement(f"reconcile {BILLS:,} bills vs ~{BILLS:,} credits, first run", [first], baseline=baseline),
        Measurement(f"reconcile again after {DAY_CREDITS:,} new credits", [again], baseline=baseline),
    ]


@benchmark("payments page")
def payments_page(context: BenchContext) -> list[Measurement]:
    reconcile(context.engine, context.settings)
    client = _logged_in(context)
    requests = _page_requests(context.engine, context.settings.timezone)
    samples = []
    for _ in range(REFRESHES):
        started = time.perf_counter()
        for request in requests:
            response = client.post("/_dash-update-component", json=request)
            if response.status_code != 200:
                raise RuntimeError(f"payments page callback answered {response.status_code}: {response.text[:200]}")
        samples.append(time.perf_counter() - started)
    return [Measurement("payments page refresh (layout and its callbacks), demo store", samples)]


def _logged_in(context: BenchContext):
    from dashboard.app import create_app

    app = create_app(context.settings.model_copy(update={"database_url": str(context.engine.url)}), context.engine)
    client = app.server.test_client()
    username, password = bench_user(context.engine, "bendahara")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": password, "csrf": token, "next": "/"})
    return client


def _page_requests(store: Engine, zone: str) -> list[dict]:
    """What a browser asks for when the bendahara opens the page: the layout, then its callbacks."""
    today = datetime.now(ZoneInfo(zone)).date()
    filters = [{"id": f"payments-{name}", "property": "value", "value": value}
               for name, value in (("semester", current_semester(store, today)), ("kinds", None), ("prodi", None),
                                   ("angkatan", None))]
    layout = {"output": ".._pages_content.children..._pages_store.data..",
              "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
              "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/pembayaran"},
                         {"id": "_pages_location", "property": "search", "value": ""}],
              "changedPropIds": ["_pages_location.pathname"], "state": []}
    shapes = [
        (["summary", "curve", "ageing"], [*filters, {"id": "payments-tick", "property": "n_intervals", "value": None}]),
        (["paid"], [*filters, {"id": "payments-grouping", "property": "value", "value": "kind"},
                    {"id": "payments-measure", "property": "value", "value": "count"}]),
        (["bills"], [*filters, {"id": "payments-state", "property": "value", "value": None},
                     {"id": "payments-search", "property": "value", "value": None}]),
    ]
    requests = [layout]
    for outputs, inputs in shapes:
        named = [f"payments-{output}" for output in outputs]
        requests.append({
            "output": named[0] + ".children" if len(named) == 1
            else ".." + "...".join(f"{n}.children" for n in named) + "..",
            "outputs": ({"id": named[0], "property": "children"} if len(named) == 1
                        else [{"id": n, "property": "children"} for n in named]),
            "inputs": inputs, "changedPropIds": [f"{inputs[0]['id']}.value"], "state": [],
        })
    return requests


def _fresh_store(path: Path) -> Engine:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = make_engine(f"sqlite:///{path}")
    migrate.upgrade(store)
    return store


def _pandas_reconciliation(store: Engine) -> float:
    """Seconds for the plain pandas way: both tables read whole, merged on VA, summed and classified."""
    started = time.perf_counter()
    with store.connect() as connection:
        bills = pd.read_sql(text("SELECT id, va_number, amount, app_paid FROM bills WHERE deleted_at IS NULL"),
                            connection)
        credits = pd.read_sql(text("SELECT id, va_number, amount FROM bank_transactions "
                                   "WHERE direction = 'credit' AND is_reversal = false"), connection)
    merged = credits.merge(bills, on="va_number", how="left", suffixes=("", "_bill"))
    received = merged.groupby("id_bill")["amount"].sum()
    paid = bills["id"].map(received).fillna(0).to_numpy()
    amount = bills["amount"].to_numpy()
    app_paid = bills["app_paid"].astype(bool).to_numpy()
    np.select(
        [(paid == 0) & app_paid, paid == 0, (paid >= amount) & ~app_paid, (paid < amount) & app_paid,
         paid == amount, paid < amount],
        ["app_paid_no_bank", "unpaid", "bank_paid_app_unpaid", "app_paid_no_bank", "matched", "partial"],
        "overpaid",
    )
    return time.perf_counter() - started


def _add_day_of_credits(store: Engine, count: int) -> None:
    """A day's H2H log: credits paying ``count`` bills that were unpaid so far."""
    with store.begin() as connection:
        unpaid = connection.execute(text(
            "SELECT b.va_number, b.amount FROM bills b JOIN bill_states s ON s.bill_id = b.id"
            " WHERE s.state = 'unpaid' ORDER BY b.id LIMIT :count"
        ), {"count": count}).all()
        serial = np.arange(1, len(unpaid) + 1).astype(str)
        BulkWriter(connection).insert(BankTransaction.__table__, {
            "source_format": np.full(len(unpaid), "snap"), "bank_ref": np.strings.add("DAY", serial),
            "dedup_key": np.strings.add("ntf:snap:DAY", serial), "payment_ref": np.strings.add("DAY", serial),
            "va_number": [row[0] for row in unpaid],
            "amount": [int(row[1]) for row in unpaid], "direction": np.full(len(unpaid), "credit"),
            "is_reversal": np.zeros(len(unpaid), dtype=bool),
            "booked_at": np.full(len(unpaid), np.datetime64("2026-04-02T03:00:00")),
            "value_date": np.full(len(unpaid), np.datetime64("2026-04-02")),
            "to_check": np.zeros(len(unpaid), dtype=bool),
        })

