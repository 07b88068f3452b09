"""The files the demo's bank transactions were imported from: one H2H log per format and day, one
MT940 statement per account and day (arriving the next morning, listing the day's credits already
seen in the logs as duplicates).

A file is known by an integer key (day * 16 + slot: the notification format, or 8 + the account for
a statement), so a million lines are grouped without comparing strings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from app.demo.context import DAY, STATEMENT_HOUR, DemoContext

FORMATS = ("bni", "briva", "snap")
BANKS = ("bni", "briva", "mandiri", "snap")
"""The accounts with statements (keys of ``app.demo.bank.ACCOUNTS``), in sorted order."""
H2H_FILES = {
    "bni": "h2h-bni-ecollection-{day}.jsonl",
    "briva": "h2h-briva-{day}.jsonl",
    "snap": "h2h-snap-va-{day}.jsonl",
}
STATEMENT_FILE = "mt940-{bank}-{day}.sta"


@dataclass
class Files:
    """The import files and, for each transaction, its file's position and its line within the file."""

    keys: np.ndarray
    position: np.ndarray
    line_no: np.ndarray


def file_keys(source_format: np.ndarray, bank: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The key of the file each line came in."""
    statement = source_format == "mt940"
    slot = np.where(statement, 8 + np.searchsorted(BANKS, bank), np.searchsorted(FORMATS, source_format))
    return day.astype("datetime64[D]").view(np.int64) * 16 + slot


def group(keys: np.ndarray) -> Files:
    """The distinct files in order, and the lines numbered 1, 2, ... within each file (rows in booking order)."""
    files, position = np.unique(keys, return_inverse=True)
    order = np.argsort(position, kind="stable")
    first = np.searchsorted(position[order], np.arange(len(files)))
    line_no = np.empty(len(keys), dtype=np.int64)
    line_no[order] = np.arange(len(keys)) - np.repeat(first, np.bincount(position, minlength=len(files))) + 1
    return Files(files, position, line_no)


def name(key: int) -> str:
    """The file name of a file key, e.g. "mt940-bni-20261122.sta"."""
    day = np.datetime64(key // 16, "D").astype(str).replace("-", "")
    slot = key % 16
    if slot >= 8:
        return STATEMENT_FILE.format(bank=BANKS[slot - 8], day=day)
    return H2H_FILES[FORMATS[slot]].format(day=day)


def imports(ctx: DemoContext, rows: dict, keys: np.ndarray, day: np.ndarray) -> tuple[dict, np.ndarray, np.ndarray]:
    """The bank_imports rows, each transaction's import id, and its line number in its file."""
    logged = (rows["source_format"] != "mt940") & (rows["direction"] == "credit") & (day <= ctx.last_statement_day)
    seen = file_keys(np.full(int(logged.sum()), "mt940"), rows["bank"][logged], day[logged])
    everything = group(np.concatenate([keys, seen]))
    count = len(everything.keys)
    added = np.bincount(everything.position[: len(keys)], minlength=count)
    duplicates = np.bincount(everything.position[len(keys):], minlength=count)
    last = np.full(count, np.iinfo(np.int64).min)
    np.maximum.at(last, everything.position[: len(keys)], rows["booked_at"].astype("datetime64[s]").view(np.int64))
    statement = everything.keys % 16 >= 8
    file_day = (everything.keys // 16).astype("datetime64[D]")
    next_morning = ctx.utc_of_local(file_day + DAY) + np.timedelta64(STATEMENT_HOUR, "h")
    imported = np.minimum(np.where(statement, next_morning, last.view("datetime64[s]") + np.timedelta64(120, "s")),
                          ctx.now64)
    names = np.array([name(key) for key in everything.keys.tolist()])
    order = np.lexsort((names, imported))
    file_id = np.empty(count, dtype=np.int64)
    file_id[order] = np.arange(1, count + 1)
    lines = group(keys)
    return {
        "id": file_id[order],
        "file_name": names[order],
        "sha256": [hashlib.sha256(f"{ctx.seed}:{n}".encode()).hexdigest() for n in names[order].tolist()],
        "format": np.where(statement, "mt940", np.array(FORMATS)[np.minimum(everything.keys % 16, 2)])[order],
        "imported_at": imported[order],
        "imported_by": np.where(statement, "folder-masuk", "h2h-log")[order],
        "lines_read": (added + duplicates)[order],
        "added": added[order],
        "duplicates": duplicates[order],
        "rejected": np.zeros(count, dtype=int),
        "linked": np.zeros(count, dtype=int),
        "relinked": np.zeros(count, dtype=int),
    }, file_id[everything.position[: len(keys)]], lines.line_no
