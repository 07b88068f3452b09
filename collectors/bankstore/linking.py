"""Which payment each new bank entry is evidence of: the links between channels and statements.

A new entry either is a payment of its own or becomes evidence of a payment already stored. Links
are made one-to-one, oldest first, in passes from the surest to the least sure:

1. **Overlapping statements** (a monthly statement over days a daily one already gave): an entry on
   a day an overlapping statement covers is the entry of that statement with the same account, day,
   mark, amount and bank reference; failing the reference, the same account, day, mark and amount,
   marked *to check*. An entry that such a statement should hold but does not is a payment of its
   own, also *to check*. Two statements that only touch on a day (their opening balances dated by
   different conventions) share that day's entries by reference only. A bank export's line and a
   statement's line are the same entry when they have the same day, mark, amount and bank reference.
2. **Notification and statement line** of one payment, each side only while it has no evidence of
   the other channel: the same payment reference (NTB, journal sequence) and amount; else the same
   VA, amount and booking day when the statement line carries no other reference (*to check* when
   the candidates name different bills); else the statement booked the day after the
   notification (around midnight), *to check*.

A notification is always the payment's representative (it names the bill and the minute): when one
links to a statement line already stored, that line and its own evidence become the notification's
(``adopted``). Everything here is plain pandas over the new rows and the stored rows near them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from collectors.bankfeeds.entry import NOTIFICATION_FORMATS

EXPORT_FORMATS = frozenset({"csv", "xlsx"})
STATEMENT_FORMATS = frozenset({"mt940", "camt053"})

NEW_COLUMNS = ("source_format", "direction", "is_reversal", "amount", "day", "va_number", "payment_ref",
               "account", "bank_ref", "bill_ref", "booked_at", "line_no", "statement_key")
STORED_COLUMNS = ("id", "source_format", "direction", "is_reversal", "amount", "day", "va_number", "payment_ref",
                  "account", "bank_ref", "bill_ref", "booked_at", "payment_id", "statement_id")


@dataclass
class Links:
    """For each new row: the stored payment it is evidence of (or -1) and whether to check it; and
    for new notifications, the stored rows they take over as their evidence."""

    payment_id: np.ndarray
    to_check: np.ndarray
    adopted: dict[int, list[int]] = field(default_factory=dict)

    @property
    def linked(self) -> np.ndarray:
        return self.payment_id >= 0

    def known_money(self) -> np.ndarray:
        """The rows that are evidence of money already stored: linked, or taking stored lines over."""
        known = self.linked.copy()
        known[list(self.adopted)] = True
        return known

    def payment_ids(self) -> pd.arrays.IntegerArray:
        """``payment_id`` as a nullable column (missing for the rows that are payments of their own)."""
        return pd.arrays.IntegerArray(np.where(self.linked, self.payment_id, 0), ~self.linked)


def no_links(rows: int) -> Links:
    return Links(np.full(rows, -1, dtype=np.int64), np.zeros(rows, dtype=bool))


def link(new: pd.DataFrame, stored: pd.DataFrame, overlaps: pd.DataFrame | None = None) -> Links:
    """Link the ``new`` rows (``NEW_COLUMNS``, positional) to the ``stored`` rows (``STORED_COLUMNS``).

    ``overlaps`` lists, for statement files, which stored statements cover which days of the new
    rows' statements: columns ``statement_key`` (new), ``statement_id`` (stored), ``first_day`` and
    ``last_day`` (ISO text), and ``certain`` (false when they may share those days' entries only).
    """
    links = no_links(len(new))
    if not len(new) or stored.empty:
        return links
    new = _prepared(new)
    stored = _prepared(stored)
    stored["root"] = stored["payment_id"].where(stored["payment_id"].notna(), stored["id"]).astype(np.int64)
    if overlaps is not None and not overlaps.empty:
        _link_overlaps(new, stored, overlaps, links)
    _link_statement_and_export(new, stored, links)
    notifications = new["notification"].to_numpy(dtype=bool)
    if notifications.all():
        _adopt_statement_lines(new, stored, links)
    elif not notifications.any():
        _link_to_notifications(new, stored, links)
    return links


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).copy()
    frame["row"] = np.arange(len(frame))
    frame["notification"] = frame["source_format"].isin(NOTIFICATION_FORMATS)
    frame["payment"] = (frame["direction"] == "credit") & ~frame["is_reversal"].astype(bool)
    frame["amount"] = frame["amount"].map(lambda value: f"{value:.2f}" if value is not None else None)
    frame["mark"] = np.where(frame["direction"] == "credit", "C", "D")
    frame["mark"] = np.where(frame["is_reversal"].astype(bool), "R" + frame["mark"], frame["mark"])
    return frame


def _pair(left: pd.DataFrame, right: pd.DataFrame, keys: list[str], right_on: list[str] | None = None) -> pd.DataFrame:
    """One-to-one pairs of equal keys, the n-th oldest on the left with the n-th oldest on the right."""
    right_on = right_on or keys
    left = left.dropna(subset=keys)
    right = right.dropna(subset=right_on)
    if left.empty or right.empty:
        return pd.DataFrame(columns=["row", "id", "root", "candidates", "bills"])
    left = left.sort_values(["booked_at", "line_no", "row"], kind="stable").copy()
    right = right.sort_values(["booked_at", "id"], kind="stable").copy()
    for side, on in ((left, keys), (right, right_on)):
        grouped = side.groupby(on, sort=False)
        side["nth"] = grouped.cumcount()
        side["size"] = grouped["nth"].transform("size")
        side["bills"] = grouped["bill_ref"].transform(lambda refs: refs.dropna().nunique())
    pairs = left[[*keys, "nth", "row", "size", "bills"]].merge(
        right[[*right_on, "nth", "id", "root", "size", "bills"]],
        left_on=[*keys, "nth"], right_on=[*right_on, "nth"], suffixes=("", "_right"),
    )
    pairs["candidates"] = np.maximum(pairs["size"], pairs["size_right"])
    pairs["bills"] = np.maximum(pairs["bills"], pairs["bills_right"])
    return pairs[["row", "id", "root", "candidates", "bills"]]


def _take(pairs: pd.DataFrame, links: Links, *, check: np.ndarray | bool) -> None:
    rows = pairs["row"].to_numpy(dtype=np.int64)
    links.payment_id[rows] = pairs["root"].to_numpy(dtype=np.int64)
    links.to_check[rows] |= check


def _link_overlaps(new: pd.DataFrame, stored: pd.DataFrame, overlaps: pd.DataFrame, links: Links) -> None:
    """Pass 1: entries on days an overlapping stored statement already covers."""
    covered = new.merge(overlaps, on="statement_key")
    covered = covered[(covered["day"] >= covered["first_day"]) & (covered["day"] <= covered["last_day"])]
    if covered.empty:
        return
    rows = covered.drop_duplicates("row")
    candidates = stored[stored["statement_id"].isin(covered["statement_id"])]
    keys = ["account", "day", "mark", "amount"]
    exact = _pair(rows, candidates, [*keys, "bank_ref"])
    _take(exact, links, check=False)
    certain = covered[covered["certain"].astype(bool)]
    rows = certain.drop_duplicates("row")
    candidates = candidates[candidates["statement_id"].isin(certain["statement_id"])]
    rest = rows[~rows["row"].isin(exact["row"])]
    loose = _pair(rest, candidates[~candidates["id"].isin(exact["id"])], keys)
    _take(loose, links, check=True)
    links.to_check[rest.loc[~rest["row"].isin(loose["row"]), "row"].to_numpy(dtype=np.int64)] = True


def _link_statement_and_export(new: pd.DataFrame, stored: pd.DataFrame, links: Links) -> None:
    """Pass 1b: a bank export's line and the statement's line of the same account entry (or the other
    way round): the same day, mark, amount and bank reference."""
    exported = new["source_format"].isin(EXPORT_FORMATS)
    rows = new[~new["notification"] & ~links.linked & (exported if exported.any() else ~exported)]
    kinds = STATEMENT_FORMATS if exported.any() else EXPORT_FORMATS
    candidates = stored[stored["source_format"].isin(kinds)]
    if rows.empty or candidates.empty:
        return
    _take(_pair(rows, candidates, ["day", "mark", "amount", "bank_ref"]), links, check=False)


def _link_to_notifications(new: pd.DataFrame, stored: pd.DataFrame, links: Links) -> None:
    """Pass 2 for statement lines: the stored notification of the same payment, if it has no line yet."""
    evidenced = stored.loc[~stored["notification"] & stored["payment_id"].notna(), "payment_id"]
    notes = stored[stored["notification"] & stored["payment"] & ~stored["id"].isin(evidenced)].copy()
    lines = new[new["payment"] & ~links.linked]
    if notes.empty or lines.empty:
        return
    notes["next_day"] = _next_day(notes["day"])
    for keys, right_on, check in (
        (["payment_ref", "amount"], None, False),
        (["va_number", "amount", "day"], None, None),
        (["va_number", "amount", "day"], ["va_number", "amount", "next_day"], True),
    ):
        left = lines if keys[0] == "payment_ref" else lines[lines["payment_ref"].isna()]
        pairs = _pair(left, notes, keys, right_on)
        _take(pairs, links, check=_ambiguous(pairs) if check is None else check)
        lines = lines[~lines["row"].isin(pairs["row"])]
        notes = notes[~notes["id"].isin(pairs["id"])]


def _adopt_statement_lines(new: pd.DataFrame, stored: pd.DataFrame, links: Links) -> None:
    """Pass 2 for notifications: a stored statement line that is no notification's evidence yet."""
    roots = stored[~stored["notification"] & stored["payment_id"].isna() & stored["payment"]].copy()
    notes = new[new["payment"]]
    if roots.empty or notes.empty:
        return
    notes = notes.assign(next_day=_next_day(notes["day"]))
    members = stored.groupby("root")["id"].agg(list)
    for keys, right_on, check in (
        (["payment_ref", "amount"], None, False),
        (["va_number", "amount", "day"], None, None),
        (["va_number", "amount", "next_day"], ["va_number", "amount", "day"], True),
    ):
        right = roots if keys[0] == "payment_ref" else roots[roots["payment_ref"].isna()]
        pairs = _pair(notes, right, keys, right_on)
        checks = _ambiguous(pairs) if check is None else np.full(len(pairs), check)
        for (row, root), flagged in zip(pairs[["row", "root"]].itertuples(index=False), checks):
            links.adopted[int(row)] = [int(member) for member in members.get(root, [root])]
            links.to_check[int(row)] |= bool(flagged)
        notes = notes[~notes["row"].isin(pairs["row"])]
        roots = roots[~roots["id"].isin(pairs["id"])]


def _ambiguous(pairs: pd.DataFrame) -> np.ndarray:
    """A link is to be checked when its candidates were several and named different bills."""
    return ((pairs["candidates"] > 1) & (pairs["bills"] > 1)).to_numpy(dtype=bool)


def _next_day(days: pd.Series) -> pd.Series:
    return (pd.to_datetime(days) + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
