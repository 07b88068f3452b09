"""Data for the payments benchmarks: a million-line bank CSV, and a store of a million bills with a
million bank credits (built with the demo's bulk writer, not the demo campus)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from app.demo.bulk import BulkWriter
from pantau.models import BankTransaction, Bill, BillVa

HEADER = "date;amount;reference;va;name;description\n"
NAMES = np.array(["BUDI SANTOSO", "SITI AMINAH", "DEWI LESTARI", "AGUS SETIAWAN", "RINA MARLINA", "EKO PRASETYO"])


def write_bank_csv(path: Path, lines: int, seed: int = 7) -> Path:
    """A bank export in Pantau's own layout (``;``, Indonesian amounts), a month of credits in time order."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, 30 * 86_400, lines))
    moments = np.datetime64("2026-03-01T00:00:00") + seconds.astype("timedelta64[s]")
    dates = np.strings.replace(np.datetime_as_string(moments), "T", " ")
    rupiah = rng.integers(20, 160, lines) * 25_000
    amounts = _indonesian(rupiah)
    serial = np.strings.zfill(np.arange(1, lines + 1).astype(str), 10)
    va = np.strings.add("9881071", np.strings.zfill(rng.integers(0, 10**9, lines).astype(str), 9))
    names = NAMES[rng.integers(0, len(NAMES), lines)]
    fields = [dates, amounts, np.strings.add("FT", serial), va, names, np.strings.add("PEMBAYARAN VA ", va)]
    rows = fields[0]
    for field in fields[1:]:
        rows = np.strings.add(np.strings.add(rows, ";"), field)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.write("\n".join(rows.tolist()))
        handle.write("\n")
    return path


def _indonesian(rupiah: np.ndarray) -> np.ndarray:
    millions, rest = np.divmod(rupiah, 1_000_000)
    thousands, units = np.divmod(rest, 1_000)
    head = np.where(millions > 0, np.strings.add(millions.astype(str), "."), "")
    middle = np.where(millions > 0, np.strings.zfill(thousands.astype(str), 3), thousands.astype(str))
    return np.strings.add(np.strings.add(np.strings.add(head, middle), "."),
                          np.strings.add(np.strings.zfill(units.astype(str), 3), ",00"))


def fill_ledger(engine: Engine, bills: int, seed: int = 11) -> int:
    """Write ``bills`` bills and about as many bank credits (exact, instalments, over-payments,
    repeats, credits to no bill, bills paid at the bank only); returns the number of credits. Every bill has a
    BNI VA, 30 % also a BRI VA and a tenth of all a Mandiri one too; half the bills with a BRI VA are paid
    through it (BRIVA notifications), the others through BNI eCollection."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, bills + 1)
    amount = rng.integers(8, 100, bills) * 50_000
    va = np.strings.add("9881", np.strings.zfill(ids.astype(str), 12))
    pays = rng.random(bills) < 0.9
    instalment = pays & (rng.random(bills) < 0.03)
    app_unpaid = pays & (rng.random(bills) < 0.007)
    app_paid = pays & ~app_unpaid
    paid_at = np.datetime64("2026-02-10T03:00:00") + rng.integers(0, 40 * 86_400, bills).astype("timedelta64[s]")
    with engine.begin() as connection:
        writer = BulkWriter(connection)
        writer.insert(Bill.__table__, {
            "id": ids, "source": np.full(bills, "bench"), "source_key": np.strings.add("TGH-", ids.astype(str)),
            "kind": np.full(bills, "herregistrasi"), "payer_name": NAMES[ids % len(NAMES)],
            "prodi_id": np.full(bills, None, dtype=object), "angkatan": 2020 + ids % 6,
            "semester": np.where(ids % 2 == 0, "20251", "20252"), "amount": amount, "va_number": va,
            "due_date": np.where(ids % 2 == 0, np.datetime64("2026-02-28"), np.datetime64("2026-08-31")),
            "app_paid": app_paid, "app_paid_at": np.where(app_paid, paid_at, np.datetime64("NaT")),
            "app_paid_amount": np.where(app_paid, amount, 0), "source_updated_at": paid_at,
            "synced_at": np.full(bills, np.datetime64("2026-04-01T00:00:00")),
        })
        bri = rng.random(bills) < 0.3
        mandiri = bri & (rng.random(bills) < 1 / 3)
        bri_va = np.strings.add("7724", np.strings.zfill(ids.astype(str), 11))
        writer.insert(BillVa.__table__, {
            "bill_id": np.concatenate([ids, ids[bri], ids[mandiri]]),
            "bank": np.concatenate([np.full(bills, "bni"), np.full(int(bri.sum()), "bri"),
                                    np.full(int(mandiri.sum()), "mandiri")]),
            "va_number": np.concatenate([va, bri_va[bri], np.strings.add("8950", np.strings.zfill(
                ids[mandiri].astype(str), 12))]),
            "position": np.concatenate([np.zeros(bills, dtype=np.int64), np.ones(int(bri.sum()), dtype=np.int64),
                                        np.full(int(mandiri.sum()), 2)]),
        })
        by_bri = bri & (rng.random(bills) < 0.5)  # half the bills with a BRI VA are paid through it
        paid_va = np.where(by_bri, bri_va, va)
        banked = pays & (rng.random(bills) >= 0.002)
        credits = _credits(rng, amount[banked], paid_va[banked], paid_at[banked], instalment[banked],
                           np.where(by_bri, "briva", "bni")[banked])
        writer.insert(BankTransaction.__table__, credits)
    return len(credits["amount"])


def _credits(rng: np.random.Generator, amount: np.ndarray, va: np.ndarray, paid_at: np.ndarray,
             instalment: np.ndarray, feed: np.ndarray) -> dict[str, np.ndarray]:
    count = len(amount)
    first = (amount[instalment] // 100_000) * 50_000
    final = amount.copy()
    final[instalment] -= first
    over = rng.random(count) < 0.005
    repeat = ~instalment & (rng.random(count) < 0.003)
    stray = rng.choice(count, max(1, count // 100))
    parts = [
        (va, final + np.where(over, 50_000, 0), paid_at, feed),
        (va[instalment], first, paid_at[instalment] - np.timedelta64(20, "D"), feed[instalment]),
        (va[repeat], amount[repeat], paid_at[repeat] + np.timedelta64(2, "h"), feed[repeat]),
        (np.strings.add("7", va[stray]), amount[stray], paid_at[stray], feed[stray]),
    ]
    vas = np.concatenate([p[0] for p in parts])
    amounts = np.concatenate([p[1] for p in parts])
    booked = np.concatenate([p[2] for p in parts])
    formats = np.concatenate([p[3] for p in parts])
    count = len(vas)
    serial = np.arange(1, count + 1).astype(str)
    days = np.datetime_as_string(booked.astype("datetime64[D]"))
    return {
        "source_format": formats, "bank_ref": serial,
        "dedup_key": np.strings.add(np.strings.add(np.strings.add("ntf:", formats), ":"), serial),
        "payment_ref": serial, "va_number": vas, "amount": amounts,
        "direction": np.full(count, "credit"), "is_reversal": np.zeros(count, dtype=bool),
        "booked_at": booked, "value_date": days.astype("datetime64[D]"),
        "to_check": np.zeros(count, dtype=bool),
    }
