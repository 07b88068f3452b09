"""The bank feed as Pantau would have imported it: H2H notification logs and MT940 statements.

Every bank credit of the ledger becomes one transaction from the file it first arrived in: the
day's H2H log of its bank (BNI eCollection, BRIVA, SNAP) or, when the push was lost, the next
day's MT940 statement, where the credits already seen in the logs count as duplicates. The
statements also carry debits (the weekly transfer to the state treasury, monthly fees) and a
few credits that match no bill. Reconciliation results are left to the reconciliation engine.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from pantau.demo.context import DAY, STATEMENT_HOUR, DemoContext
from pantau.demo.payments import Ledger, Transfers, references
from pantau.models import BankImport, BankTransaction

ACCOUNTS = {"bni": "0987654321", "briva": "034601000123301", "snap": "7123456789"}
NO_BILL_SHARE = 0.001
H2H_FILES = {"bni": "h2h-bni-ecollection-{day}.jsonl", "briva": "h2h-briva-{day}.jsonl", "snap": "h2h-snap-va-{day}.jsonl"}
STATEMENT_FILE = "mt940-{bank}-{day}.sta"
DESCRIPTIONS = {
    "bni": "Pembayaran VA BNI {va} a.n. {name}",
    "briva": "BRIVA {va} {name}",
    "snap": "SNAP BI VA {va} {name}",
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
    imports, import_id, line_no = _imports(ctx, rows)
    ctx.writer.insert(BankImport.__table__, imports, step="bank imports")
    value_date = ctx.local_date(rows["booked_at"])
    days = np.datetime_as_string(value_date).tolist()
    amounts = rows["amount"].tolist()
    ctx.writer.insert(BankTransaction.__table__, {
        "import_id": import_id,
        "source_format": rows["source_format"],
        "bank_ref": rows["bank_ref"],
        "dedup_key": [f"{f}:{r}" for f, r in zip(rows["source_format"].tolist(), rows["bank_ref"].tolist())],
        "weak_key": [None if v is None else f"va:{v}:{a}.00:{d}" for v, a, d in zip(rows["va_number"].tolist(), amounts, days)],
        "account": np.array([ACCOUNTS[b] for b in rows["bank"].tolist()]),
        "va_number": rows["va_number"],
        "payer_name": rows["payer_name"],
        "amount": rows["amount"],
        "direction": rows["direction"],
        "is_reversal": np.zeros(len(order), dtype=bool),
        "booked_at": rows["booked_at"],
        "value_date": value_date,
        "description": _descriptions(rows),
        "line_no": line_no,
    }, step="bank transactions")


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


def _file_names(source_format: list, bank: list, days: list) -> list[str]:
    return [
        STATEMENT_FILE.format(bank=b, day=d) if f == "mt940" else H2H_FILES[f].format(day=d)
        for f, b, d in zip(source_format, bank, days)
    ]


def _imports(ctx: DemoContext, rows: dict) -> tuple[dict, np.ndarray, np.ndarray]:
    """One import per H2H log file (format and day) and per statement (account and day); a statement also
    lists the day's credits already imported from the logs, which it counts as duplicates."""
    day = ctx.local_date(rows["booked_at"])
    compact = [d.replace("-", "") for d in np.datetime_as_string(day).tolist()]
    frame = pd.DataFrame({"file": _file_names(rows["source_format"].tolist(), rows["bank"].tolist(), compact),
                          "booked_at": rows["booked_at"], "day": day})
    logged = (rows["source_format"] != "mt940") & (rows["direction"] == "credit") & (day <= ctx.last_statement_day)
    seen = pd.Series(_file_names(["mt940"] * int(logged.sum()), rows["bank"][logged].tolist(),
                                 [d for d, keep in zip(compact, logged.tolist()) if keep]))
    files = frame.groupby("file").agg(added=("file", "size"), last_booked=("booked_at", "max"), day=("day", "first"))
    duplicates = seen.value_counts()
    files = files.reindex(files.index.union(duplicates.index))
    files["duplicates"] = duplicates.reindex(files.index).fillna(0).astype(int)
    files["added"] = files["added"].fillna(0).astype(int)
    files["statement"] = files.index.str.startswith("mt940")
    file_day = pd.to_datetime(files.index.str.extract(r"(\d{8})")[0].to_numpy(), format="%Y%m%d").to_numpy()
    next_morning = ctx.utc_of_local(file_day.astype("datetime64[D]") + DAY) + np.timedelta64(STATEMENT_HOUR, "h")
    after_last = files["last_booked"].to_numpy(dtype="datetime64[s]") + np.timedelta64(120, "s")
    files["imported_at"] = np.minimum(np.where(files["statement"], next_morning, after_last), ctx.now64)
    files = files.reset_index(names="file_name").sort_values(["imported_at", "file_name"], ignore_index=True)
    files["id"] = np.arange(1, len(files) + 1)
    import_id = files.set_index("file_name")["id"].reindex(frame["file"]).to_numpy()
    imports = {
        "id": files["id"].to_numpy(),
        "file_name": files["file_name"].to_numpy(),
        "sha256": [hashlib.sha256(f"{ctx.seed}:{name}".encode()).hexdigest() for name in files["file_name"]],
        "format": np.where(files["statement"], "mt940", files["file_name"].str.split("-").str[1]),
        "imported_at": files["imported_at"].to_numpy(dtype="datetime64[s]"),
        "imported_by": np.where(files["statement"], "folder-masuk", "h2h-log"),
        "lines_read": (files["added"] + files["duplicates"]).to_numpy(),
        "added": files["added"].to_numpy(),
        "duplicates": files["duplicates"].to_numpy(),
        "rejected": np.zeros(len(files), dtype=int),
    }
    return imports, import_id, frame.groupby("file").cumcount().to_numpy() + 1


def _descriptions(rows: dict) -> list[str]:
    result = []
    for fmt, va, name, direction in zip(rows["source_format"].tolist(), rows["va_number"].tolist(),
                                        rows["payer_name"].tolist(), rows["direction"].tolist()):
        if direction == "debit":
            result.append("PEMINDAHBUKUAN PENERIMAAN PNBP KE REKENING KAS NEGARA")
        elif va is None:
            result.append(f"TRANSFER MASUK DARI {name}")
        else:
            result.append(DESCRIPTIONS[fmt].format(va=va, name=name))
    return result
