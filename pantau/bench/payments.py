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

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from collectors.bankstore import import_file
from pantau import migrate
from pantau.db import make_engine
from pantau.demo.bulk import BulkWriter
from pantau.models import BankTransaction
from pantau.recon import reconcile

from .payments_data import fill_ledger, write_bank_csv
from .registry import BenchContext, Measurement, benchmark

LINES = 1_000_000
BILLS = 1_000_000
DAY_CREDITS = 10_000


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
            "dedup_key": np.strings.add("ref:DAY", serial), "va_number": [row[0] for row in unpaid],
            "amount": [int(row[1]) for row in unpaid], "direction": np.full(len(unpaid), "credit"),
            "is_reversal": np.zeros(len(unpaid), dtype=bool),
            "booked_at": np.full(len(unpaid), np.datetime64("2026-04-02T03:00:00")),
            "value_date": np.full(len(unpaid), np.datetime64("2026-04-02")),
            "weak_key": np.full(len(unpaid), None, dtype=object),
        })

