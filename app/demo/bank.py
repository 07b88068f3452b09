"""The bank feed as Pantau would have imported it: H2H notification logs and MT940 statements.

Every bank credit of the ledger becomes one transaction from the file it first arrived in: the day's H2H
log of the bank of the VA it paid (BNI eCollection, BRIVA, SNAP for BSI) or, when the push was lost or the bank
has no H2H (Bank Mandiri), the next day's MT940 statement of that bank's account, where the credits already
seen in the logs count as duplicates (the statements themselves, chained by their balances, are
:mod:`app.demo.statements`). The statements also carry debits (each week's transfer to the state treasury)
and a few credits that match no bill. Keys follow the importer (`collectors.bankfeeds.entry`). Reconciliation
results are left to the reconciliation engine; the campus's :data:`BANKS` settings give each account's bank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select

from app.demo import bankfiles, billing, statements
from app.demo.context import ZONE, DemoContext, join_text, mapped
from app.demo.payments import Ledger, Transfers, references
from pantau.models import BankImport, BankTransaction, Bill
from pantau.settings import Settings
from pantau.workcalendar import WorkingCalendar

ACCOUNTS = {"bni": "0987654321", "briva": "034601000123301", "mandiri": "1230007654321", "snap": "7123456789"}
"""The campus's account behind each feed (the SNAP feed's is at BSI), and its Bank Mandiri account, whose VAs are
paid without H2H and seen only on its statements."""
ACCOUNT_OF_VA_BANK = {"bni": "bni", "bri": "briva", "bsi": "snap", "mandiri": "mandiri"}
"""The account (a key of :data:`ACCOUNTS`) a payment to a VA of each bank reaches."""
BANKS = {"accounts": {ACCOUNTS[key]: bank for bank, key in ACCOUNT_OF_VA_BANK.items()},
         "snap_partners": {"8808315": "bsi"}}
"""The demo campus's ``[banks]`` settings: the bank of each account and of its SNAP biller code (the start of
its BSI VAs), so each statement credit pays only a VA of its account's bank."""
NO_BILL_SHARE = 0.001
NOTIFICATION_TEXT = {"bni": "BNI eCollection NTB ", "briva": "BRIVA journalSeq ", "snap": "SNAP paymentRequestId "}
BILL_NUMBER_FORMATS = ("bni", "snap")
"""Notifications that name the bill number (BNI ``trx_id``, SNAP ``trxId``); BRIVA does not."""
TREASURY = "REKENING KAS NEGARA (PNBP)"
SILENT_FORMAT = "briva"


def with_banks(config: Settings) -> Settings:
    """``config`` with the demo campus's ``[banks]`` (:data:`BANKS`) when it gives none of its own."""
    return config if config.banks else config.model_copy(update={"banks": BANKS})


def holds_demo(connection) -> bool:
    """Whether the store holds the demo campus's bills."""
    return connection.scalar(select(Bill.id).where(Bill.source == billing.SOURCE).limit(1)) is not None


def generate(ctx: DemoContext, ledger: Ledger) -> None:
    """Write bank imports and bank transactions for the ledger's credits, plus unmatched credits and debits."""
    rng = ctx.rng("bank")
    credits = ledger.credits
    bills = ledger.bills
    bank = mapped(credits.va_bank, ACCOUNT_OF_VA_BANK)
    strays = _credits_without_bill(ctx, rng, ledger, max(2, round(NO_BILL_SHARE * len(credits.bill))))
    debits = _debits(ctx, rng, bank, credits)
    notified = np.isin(credits.source_format, BILL_NUMBER_FORMATS)
    parts = [{
        "source_format": credits.source_format.astype(str),
        "bank": bank,
        "bank_ref": credits.reference.astype(str),
        "va_number": credits.va.astype(str),
        "bill_ref": np.where(notified, bills.source_key[credits.bill], ""),
        "payer_name": np.strings.upper(bills.payer[credits.bill]),
        "amount": credits.amount,
        "direction": np.full(len(bank), "credit"),
        "booked_at": credits.paid_at,
    }, strays, debits]
    rows = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    order = np.argsort(rows["booked_at"], kind="stable")
    rows = {key: values[order] for key, values in rows.items()}
    value_date = ctx.local_date(rows["booked_at"])
    _silent_day(ctx, rows, value_date)
    rows["account"] = mapped(rows["bank"], ACCOUNTS)
    files = bankfiles.file_keys(rows["source_format"], rows["bank"], value_date)
    imports, import_id, line_no = bankfiles.imports(ctx, rows, files, value_date)
    ctx.writer.insert(BankImport.__table__, imports, step="bank imports")
    statements.generate(ctx, rows, value_date, ACCOUNTS, dict(zip(imports["file_name"].tolist(),
                                                                  imports["id"].tolist())))
    dedup_key, payment_ref = _keys(rows, np.datetime_as_string(value_date), files)
    ctx.writer.insert(BankTransaction.__table__, {
        "import_id": import_id,
        "source_format": rows["source_format"],
        "bank_ref": rows["bank_ref"],
        "dedup_key": dedup_key,
        "payment_ref": payment_ref,
        "to_check": np.zeros(len(order), dtype=bool),
        "account": rows["account"],
        "va_number": _or_none(rows["va_number"]),
        "bill_ref": _or_none(rows["bill_ref"]),
        "payer_name": rows["payer_name"],
        "amount": rows["amount"],
        "direction": rows["direction"],
        "is_reversal": np.zeros(len(order), dtype=bool),
        "booked_at": rows["booked_at"],
        "value_date": value_date,
        "description": _descriptions(rows),
        "line_no": line_no,
    }, step="bank transactions")


def _silent_day(ctx: DemoContext, rows: dict, value_date: np.ndarray) -> None:
    """The H2H stall episode: on the last working day the statements cover, no BRIVA notification reached
    the payment server; that day's BRIVA credits arrive only on the next morning's statement."""
    calendar, day = WorkingCalendar(tz=ZONE.key), ctx.last_statement_day
    while not calendar.is_working_day(day.astype(object)):
        day -= np.timedelta64(1, "D")
    lost = (rows["source_format"] == SILENT_FORMAT) & (value_date == day)
    rows["source_format"][lost] = "mt940"


def _or_none(texts: np.ndarray) -> np.ndarray:
    return np.where(texts == "", None, texts.astype(object))


def _occurrence(*columns: np.ndarray) -> np.ndarray:
    """1 for the first row of each distinct combination of the integer columns, 2 for the next, and so on."""
    order = np.lexsort(columns[::-1])
    ordered = np.stack([column[order] for column in columns])
    starts = np.concatenate([[True], (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)])
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    occurrence = np.empty(len(order), dtype=np.int64)
    occurrence[order] = np.arange(len(order)) - group_start + 1
    return occurrence


def _keys(rows: dict, days: np.ndarray, files: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The identity key (`collectors.bankfeeds.entry`): a notification's own id, else the statement
    line numbered among equal lines of its file; and the payment reference a notification carries."""
    mark = np.where(rows["direction"] == "credit", "C", "D")
    amount = np.strings.add(rows["amount"].astype(str), ".00")
    identity = np.empty(len(mark), dtype=object)
    reference = np.full(len(mark), None, dtype=object)
    notified = rows["source_format"] != "mt940"
    reference[notified] = np.strings.lstrip(rows["bank_ref"][notified], "0")
    identity[notified] = join_text("ntf:", rows["source_format"][notified], ":", reference[notified].astype(str))
    line = ~notified
    ref_code = pd.factorize(rows["bank_ref"][line])[0]
    number = _occurrence(files[line], ref_code, rows["amount"][line], (mark[line] == "C").astype(np.int64))
    identity[line] = join_text("line:", rows["account"][line], ":", rows["bank_ref"][line], ":", days[line], ":",
                               mark[line], ":", amount[line], "#", number.astype(str))
    return identity, reference


def _credits_without_bill(ctx: DemoContext, rng: np.random.Generator, ledger: Ledger, count: int) -> dict:
    """Credits to a mistyped VA (a bill-kind digit no bill has) or plain transfers without a VA."""
    bills = ledger.bills
    source = rng.choice(len(bills.va), count)
    bank = bills.bank[source]
    digits = bills.person_digits[source]
    prefix = np.array([v[: len(v) - len(d) - 1] for v, d in zip(bills.va[source].tolist(), digits.tolist())])
    with_va = rng.random(count) < 0.6
    booked = ctx.now64 - (rng.uniform(1, 120, count) * 86_400).astype("timedelta64[s]")
    fmt = np.where(with_va | (ctx.local_date(booked) > ctx.last_statement_day), bank, "mt940")
    return {
        "source_format": fmt,
        "bank": bank,
        "bank_ref": references(rng, fmt, ctx.local_date(booked), first=800_000_001),
        "va_number": np.where(with_va, join_text(prefix, "9", digits), ""),
        "bill_ref": np.full(count, ""),
        "payer_name": np.strings.upper(bills.payer[rng.choice(len(bills.va), count)]),
        "amount": bills.amount[source] + rng.choice([0, 0, 0, 1_000, -50_000], count),
        "direction": np.full(count, "credit"),
        "booked_at": booked,
    }


def _debits(ctx: DemoContext, rng: np.random.Generator, bank: np.ndarray, credits: Transfers) -> dict:
    """Each Friday's transfer of the week's receipts to the state treasury, per account, from the statements."""
    week = (ctx.local_date(credits.paid_at).view(np.int64) - 2) // 7
    banks = np.unique(bank)
    code = np.searchsorted(banks, bank)
    groups, inverse = np.unique(week * len(banks) + code, return_inverse=True)
    totals = np.bincount(inverse, weights=credits.amount).round().astype(np.int64)
    friday = (groups // len(banks) * 7 + 8).astype("datetime64[D]")
    booked = ctx.utc_of_local(friday) + (15 * 3600 + rng.integers(0, 1800, len(groups))).astype("timedelta64[s]")
    keep = ctx.local_date(booked) <= ctx.last_statement_day
    count = int(np.count_nonzero(keep))
    return {
        "source_format": np.full(count, "mt940"),
        "bank": banks[groups % len(banks)][keep],
        "bank_ref": references(rng, np.full(count, "mt940"), ctx.local_date(booked[keep]), first=900_000_001),
        "va_number": np.full(count, ""),
        "bill_ref": np.full(count, ""),
        "payer_name": np.full(count, TREASURY),
        "amount": totals[keep],
        "direction": np.full(count, "debit"),
        "booked_at": booked[keep],
    }


def _descriptions(rows: dict) -> np.ndarray:
    """Narratives as each feed writes them: the notification's reference, or the statement's transfer text."""
    text = np.full(len(rows["direction"]), "PEMINDAHBUKUAN PENERIMAAN PNBP KE REKENING KAS NEGARA", dtype=object)
    notified = rows["source_format"] != "mt940"
    prefix = mapped(rows["source_format"][notified], NOTIFICATION_TEXT)
    text[notified] = np.strings.add(prefix, rows["bank_ref"][notified])
    transfer = ~notified & (rows["direction"] == "credit")
    va, payer = rows["va_number"][transfer], rows["payer_name"][transfer]
    text[transfer] = np.where(va != "", join_text("TRF VA ", va, " ", payer),
                              join_text("TRANSFER MASUK DARI ", payer))
    return text
