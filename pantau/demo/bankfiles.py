"""The files the demo's bank transactions were imported from: one H2H log per format and day, one
MT940 statement per account and day (arriving the next morning, listing the day's credits already
seen in the logs as duplicates)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from pantau.demo.context import DAY, STATEMENT_HOUR, DemoContext

H2H_FILES = {"bni": "h2h-bni-ecollection-{day}.jsonl", "briva": "h2h-briva-{day}.jsonl", "snap": "h2h-snap-va-{day}.jsonl"}
STATEMENT_FILE = "mt940-{bank}-{day}.sta"


def file_names(source_format: list[str], bank: list[str], days: list[str]) -> list[str]:
    """The file each line came in: its format's H2H log of the day, or its account's statement of the day."""
    return [
        STATEMENT_FILE.format(bank=b, day=d.replace("-", "")) if f == "mt940"
        else H2H_FILES[f].format(day=d.replace("-", ""))
        for f, b, d in zip(source_format, bank, days)
    ]


def imports(ctx: DemoContext, rows: dict, files: list[str], day: np.ndarray) -> tuple[dict, np.ndarray]:
    """The bank_imports rows, and each transaction's import id."""
    frame = pd.DataFrame({"file": files, "booked_at": rows["booked_at"]})
    logged = (rows["source_format"] != "mt940") & (rows["direction"] == "credit") & (day <= ctx.last_statement_day)
    seen = pd.Series(file_names(["mt940"] * int(logged.sum()), rows["bank"][logged].tolist(),
                                np.datetime_as_string(day[logged]).tolist()))
    table = frame.groupby("file").agg(added=("file", "size"), last_booked=("booked_at", "max"))
    duplicates = seen.value_counts()
    table = table.reindex(table.index.union(duplicates.index))
    table["duplicates"] = duplicates.reindex(table.index).fillna(0).astype(int)
    table["added"] = table["added"].fillna(0).astype(int)
    statement = table.index.str.startswith("mt940")
    file_day = pd.to_datetime(table.index.str.extract(r"(\d{8})")[0], format="%Y%m%d").to_numpy("datetime64[D]")
    next_morning = ctx.utc_of_local(file_day + DAY) + np.timedelta64(STATEMENT_HOUR, "h")
    after_last = table["last_booked"].to_numpy(dtype="datetime64[s]") + np.timedelta64(120, "s")
    table["imported_at"] = np.minimum(np.where(statement, next_morning, after_last), ctx.now64)
    table["statement"] = statement
    table = table.reset_index(names="file_name").sort_values(["imported_at", "file_name"], ignore_index=True)
    table["id"] = np.arange(1, len(table) + 1)
    import_id = table.set_index("file_name")["id"].reindex(files).to_numpy()
    statement = table["statement"].to_numpy()
    return {
        "id": table["id"].to_numpy(),
        "file_name": table["file_name"].to_numpy(),
        "sha256": [hashlib.sha256(f"{ctx.seed}:{name}".encode()).hexdigest() for name in table["file_name"]],
        "format": np.where(statement, "mt940", table["file_name"].str.split("-").str[1]),
        "imported_at": table["imported_at"].to_numpy(dtype="datetime64[s]"),
        "imported_by": np.where(statement, "folder-masuk", "h2h-log"),
        "lines_read": (table["added"] + table["duplicates"]).to_numpy(),
        "added": table["added"].to_numpy(),
        "duplicates": table["duplicates"].to_numpy(),
        "rejected": np.zeros(len(table), dtype=int),
    }, import_id
