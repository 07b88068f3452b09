"""When bills get paid, on the bank's side and in the payment application, and where the two differ.

Exact counts (not chances) of the deliberate mismatches keep the shares the same at every scale:
0.7 % of bank-paid bills are paid at the bank but unpaid in the application, 0.2 % are paid in the
application with no bank credit, 0.05 % were overpaid, 0.03 % were paid twice in full (a second
transfer hours or days later, by another channel, that the application never saw), and 0.4 % of UKT bills
stopped after the first instalment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo.bill_arrays import Bills
from app.demo.context import DAY, DAYTIME_HOURS, DemoContext, join_text, mapped, spread_local_times

BANK_PAID_APP_UNPAID = 0.007
APP_PAID_NO_BANK = 0.002
OVERPAID = 0.0005
PAID_TWICE = 0.0003
STOPPED_AFTER_FIRST = 0.004
INSTALMENT_SHARE = 0.03
LATE_SHARE = 0.07
STATEMENT_ONLY = {"bni": 0.015, "briva": 0.03, "snap": 0.0}
VA_FEED = {"bni": "bni", "bri": "briva", "bsi": "snap"}
"""The H2H feed that notifies a payment to a VA of each bank (BSI's speaks SNAP); a VA of any other bank (Bank
Mandiri's) is paid without notification and seen only on the next morning's statement."""
OWN_VA = 0.6
"""Share of payments to a bill with several VAs made to its first (the student's own bank); the rest go to one
of its other VAs, each as likely."""


@dataclass
class Transfers:
    """Money movements as parallel arrays; `bill` holds bill positions (ids are position + 1)."""

    bill: np.ndarray
    amount: np.ndarray
    paid_at: np.ndarray
    source_format: np.ndarray
    reference: np.ndarray
    va: np.ndarray
    va_bank: np.ndarray

    def take(self, mask: np.ndarray) -> Transfers:
        return Transfers(*(getattr(self, name)[mask] for name in Transfers.__dataclass_fields__))


@dataclass
class Ledger:
    """Both sides of every bill: the application's flags and payments, and the bank's credits (each paid to one
    of the bill's VAs, ``va`` at ``va_bank``)."""

    bills: Bills
    va: np.ndarray
    app_paid: np.ndarray
    app_paid_at: np.ndarray
    app_paid_amount: np.ndarray
    last_payment_at: np.ndarray
    app_payments: Transfers
    credits: Transfers


def _exactly(rng: np.random.Generator, candidates: np.ndarray, share: float, of: int) -> np.ndarray:
    """`share` of `of` (at least one) positions drawn from `candidates`."""
    count = min(len(candidates), max(1, round(share * of)))
    return np.sort(rng.choice(candidates, size=count, replace=False)) if count else candidates[:0]


def _final_payment_times(ctx: DemoContext, rng: np.random.Generator, bills: Bills) -> tuple[np.ndarray, np.ndarray]:
    """When each bill is (or would be) settled, mostly in the last days before the due date; and which
    sipenmatu bills would only be paid after their deadline (so never are)."""
    count = len(bills)
    window = (bills.due - bills.opens).astype(int)
    before = np.minimum(np.floor(rng.gamma(1.1, 4.5, count)), window).astype(int)
    late = rng.random(count) < LATE_SHARE
    after = np.minimum(1 + np.floor(rng.exponential(8, count)), 60).astype(int)
    days = bills.due + np.where(late, after, -before).astype("timedelta64[D]")
    times = spread_local_times(rng, days, DAYTIME_HOURS, ctx)
    sipenmatu = ~np.isnat(bills.token_at)
    delay = (rng.exponential(1.3, count) * 86_400).astype("timedelta64[s]")
    times = np.where(sipenmatu, bills.token_at + delay, times)
    deadline_end = ctx.utc_of_local(bills.due + DAY)
    return times, sipenmatu & (times >= deadline_end)


def references(rng: np.random.Generator, source_format: np.ndarray, local_day: np.ndarray, first: int) -> np.ndarray:
    """Each bank's own reference (BNI payment_ntb, BRIVA journalSeq, SNAP paymentRequestId, MT940 ref),
    unique within one call and across calls given ranges far apart by `first`."""
    serial = (rng.permutation(len(source_format)) * 7 + first).astype(str)
    day = np.strings.replace(np.datetime_as_string(local_day.astype("datetime64[D]")), "-", "")
    return np.select(
        [source_format == "bni", source_format == "briva", source_format == "snap"],
        [np.strings.zfill(serial, 12), np.strings.zfill(serial, 10), join_text(day, np.strings.zfill(serial, 12))],
        default=join_text("FT", np.strings.slice(day, 2, None), np.strings.zfill(serial, 8)),
    )


def _empty(count: int) -> np.ndarray:
    return np.empty(count, dtype=object)


def settle(ctx: DemoContext, rng: np.random.Generator, bills: Bills, vas: dict[str, np.ndarray]) -> Ledger:
    """Decide every payment, split it into the application's and the bank's records, with the mismatches;
    ``vas`` are the ``bill_vas`` rows, through any of which a bill is paid."""
    count = len(bills)
    final_at, expired = _final_payment_times(ctx, rng, bills)
    payable = ~bills.never_pays & ~expired
    instalments = np.flatnonzero(payable & (bills.kind != "sipenmatu") & (bills.amount >= 4_000_000)
                                 & (rng.random(count) < INSTALMENT_SHARE))
    stopped = _exactly(rng, instalments, STOPPED_AFTER_FIRST, np.count_nonzero(bills.kind != "sipenmatu"))
    first_amount = (np.round(bills.amount[instalments] / 100_000) * 50_000).astype(np.int64)
    first_at = final_at[instalments] - (rng.uniform(7, 45, len(instalments)) * 86_400).astype("timedelta64[s]")
    opening = ctx.utc_of_local(bills.opens[instalments])
    opening += rng.integers(9 * 3600, 20 * 3600, len(instalments)).astype("timedelta64[s]")
    first_at = np.maximum(first_at, opening)
    first_at = np.minimum(first_at, final_at[instalments] - np.timedelta64(3600, "s"))
    final_amount = bills.amount.copy()
    final_amount[instalments] -= first_amount
    final_ok = payable.copy()
    final_ok[stopped] = False
    single = np.setdiff1d(np.flatnonzero(final_ok & (final_at <= ctx.now64)), instalments, assume_unique=True)
    overpaid = _exactly(rng, single, OVERPAID, len(single))
    final_amount[overpaid] += rng.choice([2_500, 5_000, 50_000, 100_000], len(overpaid))
    bill = np.concatenate([instalments, np.arange(count)[final_ok]])
    transfers = Transfers(
        bill=bill,
        amount=np.concatenate([first_amount, final_amount[final_ok]]),
        paid_at=np.concatenate([first_at, final_at[final_ok]]).astype("datetime64[s]"),
        source_format=_empty(len(bill)),
        reference=_empty(len(bill)),
        va=_empty(len(bill)),
        va_bank=_empty(len(bill)),
    )
    transfers = transfers.take(np.flatnonzero(transfers.paid_at <= ctx.now64))
    clean = np.setdiff1d(single, overpaid, assume_unique=True)
    paid_at_bank = int(np.count_nonzero(np.bincount(transfers.bill, minlength=count)))
    app_unpaid = _exactly(rng, clean, BANK_PAID_APP_UNPAID, paid_at_bank)
    no_bank = _exactly(rng, np.setdiff1d(clean, app_unpaid, assume_unique=True), APP_PAID_NO_BANK, paid_at_bank)
    twice = _exactly(rng, np.setdiff1d(clean, np.union1d(app_unpaid, no_bank)), PAID_TWICE, paid_at_bank)
    transfers, again = _paid_again(ctx, rng, transfers, twice, bills.amount, final_at)
    transfers.va, transfers.va_bank = _channels(ctx.rng("va-choice"), transfers.bill, vas)
    transfers.source_format = _formats(ctx, rng, transfers, app_unpaid)
    transfers.reference = references(rng, transfers.source_format, ctx.local_date(transfers.paid_at), first=1_000_003)
    app = transfers.take(~np.isin(transfers.bill, app_unpaid) & ~again)
    app.paid_at = app.paid_at + rng.integers(2, 40, len(app.bill)).astype("timedelta64[s]")
    reported = transfers.source_format != ""
    return _ledger(bills, app, transfers.take(~np.isin(transfers.bill, no_bank) & reported))


def _paid_again(ctx: DemoContext, rng: np.random.Generator, transfers: Transfers, bills: np.ndarray,
                amounts: np.ndarray, paid_at: np.ndarray) -> tuple[Transfers, np.ndarray]:
    """``transfers`` with a second full payment of each of ``bills`` 2 to 72 hours after the first (those not
    yet made by now left out), and which of the returned transfers are those second payments."""
    later = (paid_at[bills] + (rng.uniform(2, 72, len(bills)) * 3600).astype("timedelta64[s]")).astype("datetime64[s]")
    made = later <= ctx.now64
    count = int(made.sum())
    extra = Transfers(bill=bills[made], amount=amounts[bills][made], paid_at=later[made], source_format=_empty(count),
                      reference=_empty(count), va=_empty(count), va_bank=_empty(count))
    joined = Transfers(*(np.concatenate([getattr(transfers, name), getattr(extra, name)])
                         for name in Transfers.__dataclass_fields__))
    return joined, np.arange(len(joined.bill)) >= len(transfers.bill)


def _channels(rng: np.random.Generator, bill: np.ndarray, vas: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The VA each payment of ``bill`` (positions) went to, and its bank: a bill's first VA for :data:`OWN_VA` of
    payments, else one of its other VAs (the first when it has no other)."""
    order = np.lexsort((vas["position"], vas["bill_id"]))
    owner, number, bank = vas["bill_id"][order] - 1, vas["va_number"][order], vas["bank"][order]
    count = np.bincount(owner, minlength=int(bill.max(initial=-1)) + 1)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    own, other = rng.random(len(bill)), rng.random(len(bill))
    several = count[bill] > 1
    pick = np.where(several & (own >= OWN_VA), 1 + np.floor(other * (count[bill] - 1)).astype(np.int64), 0)
    row = np.minimum(first[bill] + pick, len(order) - 1)
    return number[row].astype(str), bank[row].astype(str)


def _formats(ctx: DemoContext, rng: np.random.Generator, transfers: Transfers, app_unpaid: np.ndarray) -> np.ndarray:
    """The feed a credit arrived by: the H2H log of its VA's bank, or only the next day's MT940 statement (the
    usual story of a bill paid at the bank but unpaid in the application: the bank's push failed, and always
    for a VA of a bank without H2H). A statement credit after the last statement's day is not reported yet
    (empty)."""
    feed = mapped(transfers.va_bank, VA_FEED)
    share = np.select([feed == key for key in STATEMENT_ONLY], list(STATEMENT_ONLY.values()), default=1.0)
    statement = rng.random(len(feed)) < share
    statement |= np.isin(transfers.bill, app_unpaid) & (rng.random(len(feed)) < 0.7)
    in_statements = ctx.local_date(transfers.paid_at) <= ctx.last_statement_day
    return np.where(statement & in_statements, "mt940", np.where(feed == "", "", feed))


def _ledger(bills: Bills, app: Transfers, credits: Transfers) -> Ledger:
    count = len(bills)
    paid_amount = np.bincount(app.bill, weights=app.amount, minlength=count).round().astype(np.int64)
    latest = np.full(count, np.iinfo(np.int64).min)
    np.maximum.at(latest, app.bill, app.paid_at.astype("datetime64[s]").view(np.int64))
    last = latest.view("datetime64[s]")
    app_paid = paid_amount >= bills.amount
    return Ledger(
        bills=bills,
        va=bills.va,
        app_paid=app_paid,
        app_paid_at=np.where(app_paid, last, np.datetime64("NaT")),
        app_paid_amount=paid_amount,
        last_payment_at=last,
        app_payments=app,
        credits=credits,
    )
