"""Costs that must not grow with time or with the bills: each builds its own SQLite store per scale.

* ``token arrivals``: a wave's daily figures (``queries.tokens.daily``) read 30 days after the wave closed
  (small) and 400 days after (large); the baseline is the former count, one span per day up to today.
* ``bill search``: the payments page's bill list (``queries.bill_rows.bill_rows``), unfiltered, searched by one
  payer's full name, by a number prefix (a hundred bills at either scale) and by a common name prefix (its
  matches grow with the bills), over 20,000 bills (small) and 500,000 (large); the baseline is the former
  ``ILIKE '%x%'`` search over every bill.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Date, Engine, String, column, func, insert, or_, select, values

from pantau import migrate
from pantau.db import make_engine
from pantau.models import AdmissionWave, Applicant, Bill
from pantau.models.base import UTCDateTime
from queries import bill_rows, tokens

from .registry import BenchContext, Measurement, benchmark

ZONE = "Asia/Jakarta"
CLOSED = date(2025, 3, 31)
DAYS_AFTER = {"small": 30, "large": 400}
BILLS = {"small": 20_000, "large": 500_000}
REPEATS = 15
NAMES = ("Budi", "Siti", "Dewi", "Agus", "Rina", "Joko", "Putri", "Wahyu", "Sri", "Eko")


def _store(path: Path) -> tuple[Engine, bool]:
    fresh = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    if fresh:
        migrate.upgrade(engine)
    return engine, fresh


def timed(function, repeats: int = REPEATS) -> list[float]:
    """Seconds of each of `repeats` calls of `function`, after one warm-up call."""
    function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


@benchmark("token arrivals", demo=False)
def token_arrivals(context: BenchContext) -> list[Measurement]:
    engine, fresh = _store(context.cache / "growth-tokens.db")
    if fresh:
        _fill_wave(engine)
    wave_id = engine.connect().execute(select(AdmissionWave.id)).scalar_one()
    now = datetime.combine(CLOSED + timedelta(days=DAYS_AFTER.get(context.scale, 30)), clock(12), UTC)
    ours = timed(lambda: tokens.daily(engine, wave_id, zone=ZONE, now=now))
    before = timed(lambda: _old_arrivals(engine, wave_id, now))
    engine.dispose()
    return [Measurement("tokens.daily of a closed wave", ours, baseline=before)]


def _fill_wave(engine: Engine) -> None:
    opens = CLOSED - timedelta(days=59)
    with engine.begin() as connection:
        wave_id = connection.execute(insert(AdmissionWave).values(
            code="BENCH", name="Gelombang bench", year=2025, opens_on=opens, closes_on=CLOSED,
            payment_deadline=CLOSED + timedelta(days=3)).returning(AdmissionWave.id)).scalar_one()
        rng = np.random.default_rng(7)
        rows = []
        for day in range(60):
            start = datetime.combine(opens + timedelta(days=day), clock(1), UTC)
            for channel in ("online", "bank-bni", "bank-bri", "loket"):
                for n in range(int(rng.integers(10, 60))):
                    rows.append({"reg_no": f"{channel}-{day}-{n}", "name": "Calon", "wave_id": wave_id,
                                 "channel": channel,
                                 "arrived_at": start + timedelta(minutes=int(rng.integers(0, 700)))})
        connection.execute(insert(Applicant), rows)


def _old_arrivals(engine: Engine, wave_id: int, now: datetime) -> list:
    """The former count: one span per channel and day from the first arrival to today."""
    zone = ZoneInfo(ZONE)
    mine = (Applicant.wave_id == wave_id, Applicant.arrived_at <= now)
    with engine.connect() as connection:
        first = connection.scalar(select(func.min(Applicant.arrived_at)).where(*mine))
        channels = list(connection.scalars(select(Applicant.channel).where(Applicant.wave_id == wave_id).distinct()))
        day, last, rows = first.astimezone(zone).date(), now.astimezone(zone).date(), []
        while day <= last:
            since = datetime.combine(day, clock(), zone)
            rows += [(channel, day, since, since + timedelta(days=1)) for channel in channels]
            day += timedelta(days=1)
        spans = values(column("channel", String()), column("day", Date()), column("since", UTCDateTime()),
                       column("until", UTCDateTime()), name="spans").data(rows).cte("spans")
        counted = (select(func.count()).where(*mine, Applicant.channel == spans.c.channel,
                                              Applicant.arrived_at >= spans.c.since,
                                              Applicant.arrived_at < spans.c.until).scalar_subquery())
        return connection.execute(select(spans.c.day, spans.c.channel, counted)).all()


@benchmark("bill search", demo=False)
def bill_search(context: BenchContext) -> list[Measurement]:
    count = BILLS.get(context.scale, BILLS["small"])
    engine, fresh = _store(context.cache / f"growth-bills-{count}.db")
    if fresh:
        _fill_bills(engine, count)
    number = f"INV-{count // 2:07d}"[:9]  # a hundred bills at either scale
    payer = str(found_payer(engine, count // 3))
    found = bill_rows.bill_rows(engine, search=number)
    if found.empty:
        raise RuntimeError(f"bill search found nothing for {number!r}")
    measured = [
        Measurement("bill list, no search", timed(lambda: bill_rows.bill_rows(engine))),
        Measurement("bill list, one payer's name", timed(lambda: bill_rows.bill_rows(engine, search=payer)),
                    baseline=timed(lambda: _old_search(engine, payer))),
        Measurement("bill list, common prefix 'siti a'", timed(lambda: bill_rows.bill_rows(engine, search="siti a")),
                    baseline=timed(lambda: _old_search(engine, "siti a"))),
        Measurement("bill list, number prefix", timed(lambda: bill_rows.bill_rows(engine, search=number)),
                    baseline=timed(lambda: _old_search(engine, number))),
    ]
    engine.dispose()
    return measured


def found_payer(engine: Engine, index: int) -> str:
    """The full name of one bill's payer (unique: it carries the bill's index)."""
    with engine.connect() as connection:
        return connection.scalar(select(Bill.payer_name).where(Bill.source_key == f"INV-{index:07d}"))


def _fill_bills(engine: Engine, count: int) -> None:
    rng = np.random.default_rng(11)
    first = rng.integers(0, len(NAMES), count)
    letters = rng.integers(0, 26, count)
    days = rng.integers(0, 720, count)
    with engine.begin() as connection:
        for start in range(0, count, 50_000):
            connection.execute(insert(Bill), [
                {"source": "bench", "key_space": "bench", "source_key": f"INV-{i:07d}", "kind": "herregistrasi",
                 "payer_name": f"{NAMES[first[i]]} {chr(65 + letters[i])}. Mahasiswa {i}", "semester": "2025-1",
                 "amount": 2_500_000, "va_number": f"8808{i:09d}", "due_date": date(2024, 1, 1) + timedelta(
                     days=int(days[i]))} for i in range(start, min(start + 50_000, count))])
        connection.exec_driver_sql("ANALYZE")


def _old_search(engine: Engine, search: str):
    pattern = f"%{search}%"
    query = (select(Bill.source_key, Bill.payer_name, Bill.va_number, Bill.due_date)
             .where(Bill.deleted_at.is_(None), or_(Bill.source_key.ilike(pattern), Bill.payer_name.ilike(pattern),
                                                  Bill.va_number.ilike(pattern)))
             .order_by(Bill.due_date, Bill.id).limit(1000))
    with engine.connect() as connection:
        return connection.execute(query).all()
