"""Bill sync benchmark: the incremental sync of a payment application's bills with 1 % of them changed at the
source, against a full sync of the same bills, read from the source a campus has (MariaDB on 127.0.0.1:3306,
made for the run and dropped after it; a SQLite file when MariaDB does not answer, said in the metric's name).

10,000 bills at small scale and 100,000 at large, so the runner's large ÷ small ratio shows how the
incremental sync grows with the source; its "vs baseline" column is the incremental sync ÷ the full sync (the
first sync into an empty store: every row read, normalised and inserted). Each incremental round changes a
different 1 % (amount and paid state, with a later change time) and syncs; the sync then reads those rows,
the list of every bill number (to see deletions) and writes only the changed bills.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from collectors.bills import BillSource, sync_source
from pantau import migrate
from pantau.db import make_engine

from .bills_source import QUERY, bill_source
from .registry import BenchContext, Measurement, benchmark

BILLS = {"small": 10_000, "medium": 30_000, "large": 100_000}
CHANGED_EVERY = 100
"""One bill in a hundred changes between two syncs."""
ROUNDS = 3


@benchmark("bill sync", demo=False)
def bill_sync(context: BenchContext) -> list[Measurement]:
    bills = BILLS.get(context.scale, BILLS["small"])
    zone = context.settings.timezone
    with bill_source(bills, context.workdir) as source:
        config = BillSource(name="keuangan", url=source.url, query=QUERY, updated_column="diubah")
        store = make_engine(f"sqlite:///{context.workdir / 'bill-sync.db'}")
        migrate.upgrade(store)
        try:
            started = time.perf_counter()
            report = sync_source(store, config, zone, now=_now(), quarantine=True)
            full = time.perf_counter() - started
            if report.written != bills or report.quarantined:
                raise RuntimeError(f"bill sync wrote {report.written:,} of {bills:,} bills, "
                                   f"{len(report.quarantined)} set aside")
            incremental = []
            for round_ in range(1, ROUNDS + 1):
                changed = source.change(CHANGED_EVERY, round_)
                started = time.perf_counter()
                report = sync_source(store, config, zone, now=_now(), quarantine=True)
                incremental.append(time.perf_counter() - started)
                if report.written != changed:
                    raise RuntimeError(f"incremental bill sync wrote {report.written:,} of {changed:,} changed")
        finally:
            store.dispose()
    where = source.kind
    return [
        Measurement(f"bill sync ({where}): bills at the source", [bills], unit="bills"),
        Measurement(f"bill sync ({where}): full sync into an empty store", [full]),
        Measurement(f"bill sync ({where}): incremental, 1 % changed (vs full sync)", incremental, baseline=[full]),
    ]


def _now() -> datetime:
    return datetime.now(UTC)
