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
2. **Notification and statement line** of one payment by the same payment reference (NTB, journal
   sequence) and amount.
3. **By VA**: the notifications and the lines without a payment reference of one VA and amount
   near the file's days are paired again as a whole (:mod:`.vapairing`), so a pair made by an
   earlier import may change; the stored lines that change payment are the links' ``moves``.

A notification is always the payment's representative (it names the bill and the minute): when one
links to a statement line already stored, that line and its own evidence become the notification's.
Everything here is plain pandas over the new rows and the stored rows near them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from collectors.bankfeeds.entry import NOTIFICATION_FORMATS

from . import vapairing
from .links import Links, Move, no_links

EXPORT_FORMATS = frozenset({"csv", "xlsx"})
STATEMENT_FORMATS = frozenset({"mt940", "camt053"})

NEW_COLUMNS = ("source_format", "direction", "is_reversal", "amount", "day", "va_number", "payment_ref",
               "account", "bank_ref", "bill_ref", "booked_at", "line_no", "statement_key", "dedup_key")
STORED_COLUMNS = ("id", "source_format", "direction", "is_reversal", "amount", "day", "va_number", "payment_ref",
                  "account", "bank_ref", "bill_ref", "booked_at", "payment_id", "statement_id")


def link(new: pd.DataFrame, stored: pd.DataFrame, overlaps: pd.DataFrame | None = None,
         nearby: pd.DataFrame | None = None) -> Links:
    """Link the ``new`` rows (``NEW_COLUMNS``, positional) to the ``stored`` rows (``STORED_COLUMNS``).

    ``overlaps`` lists, for statement files, which stored statements cover which days of the new
    rows' statements: columns ``statement_key`` (new), ``statement_id`` (stored), ``first_day`` and
    ``last_day`` (ISO text), and ``certain`` (false when they may share those days' entries only).
    ``nearby`` holds every stored credit within a few days of the new rows (``STORED_COLUMNS`` and
    ``dedup_key``), for pairing notifications and lines by VA as a whole.
    """
    links = no_links(len(new))
    if not len(new):
        return links
    new = _prepared(new)
    displaced: set[int] = set()
    if not stored.empty:
        stored = _with_roots(_prepared(stored))
        if overlaps is not None and not overlaps.empty:
            _link_overlaps(new, stored, overlaps, links)
        _link_statement_and_export(new, stored, links)
        notifications = new["notification"].to_numpy(dtype=bool)
        if notifications.all():
            _adopt_by_reference(new, stored, links)
        elif not notifications.any():
            displaced = _link_by_reference(new, stored, links)
    if nearby is not None and not nearby.empty and new["notification"].nunique() == 1:
        vapairing.relink(new, _with_roots(_prepared(nearby)), links, displaced)
    return links


def _with_roots(stored: pd.DataFrame) -> pd.DataFrame:
    """``root``: the payment each stored row counts towards (its own id when it is one)."""
    stored["root"] = stored["payment_id"].where(stored["payment_id"].notna(), stored["id"]).astype(np.int64)
    return stored


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


def _link_by_reference(new: pd.DataFrame, stored: pd.DataFrame, links: Links) -> set[int]:
    """Pass 2 for statement lines: the stored notification of the same payment reference and amount,
    unless a line naming that reference is its evidence already. Returns the notifications taken that
    had a line paired by VA only: that line is paired again (see :mod:`.vapairing`)."""
    lines = stored[~stored["notification"] & stored["payment_id"].notna()]
    sure = set(lines.loc[lines["payment_ref"].notna(), "payment_id"].astype(np.int64))
    notes = stored[stored["notification"] & stored["payment"] & ~stored["id"].isin(sure)]
    rows = new[new["payment"] & ~links.linked]
    if notes.empty or rows.empty:
        return set()
    pairs = _pair(rows, notes, ["payment_ref", "amount"])
    _take(pairs, links, check=False)
    return set(pairs["id"].astype(np.int64)) & set(lines["payment_id"].astype(np.int64))


def _adopt_by_reference(new: pd.DataFrame, stored: pd.DataFrame, links: Links) -> None:
    """Pass 2 for notifications: a stored line of the same payment reference and amount that is a
    payment of its own takes the new notification as its payment, with its evidence."""
    roots = stored[~stored["notification"] & stored["payment_id"].isna() & stored["payment"]]
    notes = new[new["payment"]]
    if roots.empty or notes.empty:
        return
    members = stored.groupby("root")["id"].agg(tuple)
    pairs = _pair(notes, roots, ["payment_ref", "amount"])
    for row, root in pairs[["row", "root"]].itertuples(index=False):
        links.moves.append(Move(int(root), tuple(int(member) for member in members.get(root, (root,))),
                                was_payment=True, to_row=int(row)))
