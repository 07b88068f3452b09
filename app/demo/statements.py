"""The demo's account statements: one MT940 statement per account and day, chained by their balances.

Each statement lists every entry of its account and day (the credits the H2H logs already gave too), so
its closing balance is its opening balance plus the day's credits less its debits. One statement of the
BNI account, ten statement days back, opens Rp 2.500 above the previous closing balance, as when the bank
books an interest credit outside the statements: the payments page shows that gap and the bendahara
gets its alert.
"""

from __future__ import annotations

import hashlib

import numpy as np

from app.demo import bankfiles
from app.demo.context import DemoContext
from pantau.models import BankStatement

OPENING_BALANCE = 250_000_000
GAP_ACCOUNT = "bni"
GAP_DAYS_BACK = 10
GAP = 2_500


def generate(ctx: DemoContext, rows: dict, value_date: np.ndarray, accounts: dict[str, str],
             import_ids: dict[str, int]) -> None:
    """Write ``bank_statements`` for the statement files among ``import_ids`` (file name to import id)."""
    in_statements = value_date <= ctx.last_statement_day
    bank, day = rows["bank"][in_statements], value_date[in_statements]
    signed = np.where(rows["direction"][in_statements] == "credit", 1, -1) * rows["amount"][in_statements]
    keys = bankfiles.file_keys(np.full(len(bank), "mt940"), bank, day)
    files, position = np.unique(keys, return_inverse=True)
    net = np.bincount(position, weights=signed, minlength=len(files)).round().astype(np.int64)
    entries = np.bincount(position, minlength=len(files))
    columns: dict[str, list] = {name: [] for name in (
        "statement_key", "import_id", "account", "number", "opening_date", "closing_date", "opening_balance",
        "closing_balance", "entries", "fingerprint")}
    for slot, name in enumerate(bankfiles.BANKS):
        mine = np.flatnonzero(files % 16 == 8 + slot)
        balance = OPENING_BALANCE
        for number, index in enumerate(mine, start=1):
            name_of_file = bankfiles.name(int(files[index]))
            if name_of_file not in import_ids:
                continue
            closing_day = np.datetime64(int(files[index]) // 16, "D")
            if name == GAP_ACCOUNT and number == len(mine) - GAP_DAYS_BACK:
                balance += GAP
            account = accounts[name]
            columns["statement_key"].append(f"{account}/{number}/1/{closing_day}")
            columns["import_id"].append(import_ids[name_of_file])
            columns["account"].append(account)
            columns["number"].append(f"{number}/1")
            columns["opening_date"].append(closing_day - 1)
            columns["closing_date"].append(closing_day)
            columns["opening_balance"].append(balance)
            balance += int(net[index])
            columns["closing_balance"].append(balance)
            columns["entries"].append(int(entries[index]))
            columns["fingerprint"].append(hashlib.sha256(f"{account}/{number}/{balance}".encode()).hexdigest()[:32])
    ctx.writer.insert(BankStatement.__table__, columns, step="bank statements")
