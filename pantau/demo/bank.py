"""The bank feed as Pantau would have imported it: H2H notification logs and MT940 statements.

Every bank credit of the ledger becomes one transaction from the file it first arrived in: the
day's H2H log of its bank (BNI eCollection, BRIVA, SNAP) or, when the push was lost, the next
day's MT940 statement, where the credits already seen in the logs count as duplicates. The
statements also carry debits (the weekly transfer to the state treasury, monthly fees) and a
few credits that match no bill. Reconciliation results are left to the reconciliation engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pantau.demo import bankfiles
from pantau.demo.context import DemoContext
from pantau.demo.payments import Ledger, Transfers, references
from pantau.models import BankImport, BankTransaction

ACCOUNTS = {"bni": "0987654321", "briva": "034601000123301", "snap": "7123456789"}
NO_BILL_SHARE = 0.001
DESCRIPTIONS = {
    "bni": "BNI eCollection NTB {ref}",
    "briva": "BRIVA journalSeq {ref}",
    "snap": "SNAP paymentRequestId {ref}",
    "mt940": "TRF VA {va} {name}",
}


def generate(ctx: DemoContext, ledger: Ledger) -> None:
    """Write bank imports and bank transactions for the ledger's credits, plus unmatched credits and debits."""
    rng = ctx.rng("bank")
    credits = ledger.credits
    bills = ledger.bills
    bank = bills.bank[credits.bill]
    va = ledger.va[credits.bill]
    payer = np.strings.upper(bills.payer[credits.bill])
    strays = _credits_without_bill(ctx, rng, ledger, max(2, round(NO_BILL_SHARE * len(credits.bill))))
    debits = _debits(ctx, rng, bank, credits)
    rows = {
        "source_format": np.concatenate([credits.source_format, strays["source_format"], debits["source_format"]]),
        "bank": np.concatenate([bank, strays["bank"], debits["bank"]]),
        "bank_ref": np.concatenate([credits.reference, strays["bank_ref"], debits["bank_ref"]]),
        "va_number": np.concatenate([va.astype(object), strays["va_number"], debits["va_number"]]),
        "payer_name": np.concatenate([payer.astype(object), strays["payer_name"], debits["payer_name"]]),
        "amount": np.concatenate([credits.amount, strays["amount"], debits["amount"]]),
        "direction": np.concatenate([np.full(len(va), "credit"), strays["direction"], debits["direction"]]),
        "booked_at": np.concatenate([credits.paid_at, strays["booked_at"], debits["booked_at"]]),
    }
    order = np.argsort(rows["booked_at"], kind="stable")
    rows = {key: values[order] for key, values in rows.items()}
    value_date = ctx.local_date(rows["booked_at"])
    days = np.datetime_as_string(value_date).tolist()
    rows["account"] = np.array([ACCOUNTS[b] for b in rows["bank"].tolist()])
    files = bankfiles.file_names(rows["source_format"].tolist(), rows["bank"].tolist(), days)
    imports, import_id = bankfiles.imports(ctx, rows, files, value_date)
    ctx.writer.insert(BankImport.__table__, imports, step="bank imports")
    dedup_key, weak_key = _keys(rows, days, files)
    ctx.writer.insert(BankTransaction.__table__, {
        "import_id": import_id,
        "source_format": rows["source_format"],
        "bank_ref": rows["bank_ref"],
        "dedup_key": dedup_key,
        "weak_key": weak_key,
        "account": rows["account"],
        "va_number": rows["va_number"],
        "payer_name": rows["payer_name"],
        "amount": rows["amount"],
        "direction": rows["direction"],
        "is_reversal": np.zeros(len(order), dtype=bool),
        "booked_at": rows["booked_at"],
        "value_date": value_date,
        "description": _descriptions(rows),
        "line_no": pd.Series(files).groupby(files).cumcount().to_numpy() + 1,
    }, step="bank transactions")


def _keys(rows: dict, days: list[str], files: list[str]) -> tuple[list[str], list[str | None]]:
    """The importer's keys (`collectors.bankfeeds.entry`): the payment network's reference where the
    line has one, else the statement line; and the VA/amount/date key, numbered within each file."""
    marks = np.where(rows["direction"] == "credit", "C", "D").tolist()
    amounts = [f"{a}.00" for a in rows["amount"].tolist()]
    identity, weak = [], []
    for fmt, ref, account, va, mark, amount, day in zip(
        rows["source_format"].tolist(), rows["bank_ref"].tolist(), rows["account"].tolist(),
        rows["va_number"].tolist(), marks, amounts, days,
    ):
        if fmt == "mt940":
            identity.append(f"line:{account}:{ref}:{day}:{mark}:{amount}")
        else:
            identity.append(f"ref:{ref.lstrip('0') if ref.isdigit() else ref.upper()}:{mark}:{amount}")
        weak.append(None if va is None else f"va:{va}:{mark}:{amount}:{day}")
    frame = pd.DataFrame({"file": files, "identity": identity, "weak": weak})
    line = frame["identity"].str.startswith("line:")
    occurrence = frame.groupby(["file", "identity"]).cumcount() + 1
    frame.loc[line, "identity"] += "#" + occurrence[line].astype(str)
    has_weak = frame["weak"].notna()
    with_va = frame[has_weak]
    frame.loc[has_weak, "weak"] += "#" + (with_va.groupby(["file", "weak"]).cumcount() + 1).astype(str)
    return frame["identity"].tolist(), frame["weak"].where(has_weak, None).tolist()


def _credits_without_bill(ctx: DemoContext, rng: np.random.Generator, ledger: Ledger, count: int) -> dict:
    """Credits to a mistyped VA (a bill-kind digit no bill has) or plain transfers without a VA."""
    source = rng.choice(len(ledger.va), count)
    bank = ledger.bills.bank[source]
    typed = ledger.va[source]
    wrong = np.array([v[: len(v) - len(d) - 1] + "9" + d for v, d in
                      zip(typed.tolist(), ledger.bills.person_digits[source].tolist())], dtype=object)
    with_va = rng.random(count) < 0.6
    booked = ctx.now64 - (rng.uniform(1, 120, count) * 86_400).astype("timedelta64[s]")
    fmt = np.where(with_va, bank, "mt940")
    fmt = np.where(ctx.local_date(booked) > ctx.last_statement_day, bank, fmt)
    names = np.array([n.upper() for n in ledger.bills.payer[rng.choice(len(ledger.va), count)].tolist()], dtype=object)
    return {
        "source_format": fmt,
        "bank": bank,
        "bank_ref": references(rng, fmt, booked, first=800_000_001),
        "va_number": np.where(with_va, wrong, None),
        "payer_name": names,
        "amount": ledger.bills.amount[source] + rng.choice([0, 0, 0, 1_000, -50_000], count),
        "direction": np.full(count, "credit"),
        "booked_at": booked,
    }


def _debits(ctx: DemoContext, rng: np.random.Generator, bank: np.ndarray, credits: Transfers) -> dict:
    """Each Friday's transfer of the week's receipts to the state treasury, per account, from the statements."""
    week = (ctx.local_date(credits.paid_at).view(np.int64) - 2) // 7
    keys, inverse = np.unique(np.char.add(bank.astype(str), np.char.add(":", week.astype(str))), return_inverse=True)
    totals = np.bincount(inverse, weights=credits.amount).round().astype(np.int64)
    banks = np.array([k.split(":")[0] for k in keys.tolist()])
    friday = np.array([int(k.split(":")[1]) * 7 + 8 for k in keys.tolist()]).astype("datetime64[D]")
    booked = ctx.utc_of_local(friday) + np.timedelta64(15 * 3600, "s") + rng.integers(0, 1800, len(keys)).astype("timedelta64[s]")
    keep = ctx.local_date(booked) <= ctx.last_statement_day
    count = int(np.count_nonzero(keep))
    return {
        "source_format": np.full(count, "mt940"),
        "bank": banks[keep],
        "bank_ref": references(rng, np.full(count, "mt940"), booked[keep], first=900_000_001),
        "va_number": np.full(count, None, dtype=object),
        "payer_name": np.full(count, "REKENING KAS NEGARA (PNBP)", dtype=object),
        "amount": totals[keep],
        "direction": np.full(count, "debit"),
        "booked_at": booked[keep],
    }


def _descriptions(rows: dict) -> list[str]:
    result = []
    for fmt, va, name, direction, ref in zip(rows["source_format"].tolist(), rows["va_number"].tolist(),
                                             rows["payer_name"].tolist(), rows["direction"].tolist(),
                                             rows["bank_ref"].tolist()):
        if direction == "debit":
            result.append("PEMINDAHBUKUAN PENERIMAAN PNBP KE REKENING KAS NEGARA")
        elif va is None:
            result.append(f"TRANSFER MASUK DARI {name}")
        else:
            result.append(DESCRIPTIONS[fmt].format(va=va, name=name, ref=ref))
    return result
