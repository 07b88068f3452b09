"""Notifications and statement lines of one VA and amount, paired as a whole.

Without a payment reference, a notification and the statement line of the same payment share only
their VA, amount and day, and a statement books a payment made near midnight on the next day.
Paired one import at a time with the pairs kept, two payments of one VA and amount made late on
consecutive nights count three times (docs/bank-feeds.md). So each import pairs the whole group
again: the lines in day order, each taking the earliest free notification of the day before or of
its own day. Each line's candidates are an interval of days and the lines are taken by the
interval's end, so this greedy pairing is a largest one; it depends only on the rows, not on the
order their files came in. A pair across midnight, or on a day whose notifications name different
bills, is to be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .links import Links, Move

NOTES_REACH = 2
"""Days around the file's days whose stored notifications are paired again; lines one day further, so
that each such notification's line is among them. Anything paired beyond stays as it is."""
GROUP = ["va_number", "amount"]
ORDER = ["va_number", "amount", "day", "booked_at", "dedup_key"]


@dataclass(frozen=True)
class Pair:
    """The notification a line is paired with (None: the line is a payment of its own)."""

    note: str | None
    check: bool = False


def pair(notes: pd.DataFrame, lines: pd.DataFrame) -> dict[str, Pair]:
    """Each line's pair, by the lines' ``key``.

    Both frames have ``key``, ``va_number``, ``amount`` (text), ``day`` (ISO text), ``booked_at`` and
    ``dedup_key`` (the rows' identity, which orders equal rows the same way in every import order);
    ``notes`` also ``bill_ref``.
    """
    if lines.empty:
        return {}
    notes = notes.assign(booked_at=pd.to_datetime(notes["booked_at"], utc=True))
    lines = lines.assign(booked_at=pd.to_datetime(lines["booked_at"], utc=True))
    queues = {group: list(zip(frame["key"], frame["day"], strict=True))
              for group, frame in notes.sort_values(ORDER, kind="stable").groupby(GROUP, sort=False)}
    crowded = _crowded_days(notes)
    lines = lines.sort_values(ORDER, kind="stable")
    lines = lines.assign(day_before=(pd.to_datetime(lines["day"]) - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"))
    pairs: dict[str, Pair] = {}
    for group, frame in lines.groupby(GROUP, sort=False):
        queue, first = queues.get(group, []), 0
        for key, day, day_before in zip(frame["key"], frame["day"], frame["day_before"], strict=True):
            while first < len(queue) and queue[first][1] < day_before:
                first += 1
            if first < len(queue) and queue[first][1] <= day:
                note, note_day = queue[first]
                first += 1
                pairs[key] = Pair(note, note_day != day or (*group, day) in crowded)
            else:
                pairs[key] = Pair(None)
    return pairs


def _crowded_days(notes: pd.DataFrame) -> set[tuple]:
    """The (VA, amount, day) whose several notifications name different bills."""
    if notes.empty:
        return set()
    days = notes.groupby([*GROUP, "day"]).agg(count=("key", "size"), bills=("bill_ref", "nunique"))
    return set(days[(days["count"] > 1) & (days["bills"] > 1)].index)


def relink(new: pd.DataFrame, nearby: pd.DataFrame, links: Links, displaced: set[int]) -> None:
    """Pair again the groups of the new rows, and put the differences into ``links``.

    ``new`` are the import's rows and ``nearby`` the stored credits around them (both as prepared by
    :mod:`.linking`, ``nearby`` with ``root``); ``displaced`` the stored notifications this import's
    lines took by payment reference from a line paired by VA.
    """
    nearby = nearby[nearby["payment"]]
    first, last = pd.to_datetime(new["day"].min()), pd.to_datetime(new["day"].max())
    reach = [(first - pd.Timedelta(days=NOTES_REACH)).strftime("%Y-%m-%d"),
             (last + pd.Timedelta(days=NOTES_REACH)).strftime("%Y-%m-%d"),
             (last + pd.Timedelta(days=NOTES_REACH + 1)).strftime("%Y-%m-%d")]
    notes = nearby[nearby["notification"]]
    clusters = _clusters(nearby[~nearby["notification"]], set(notes["id"]))
    movable = clusters["loose"] & clusters["day"].between(reach[0], reach[2])
    held = set(clusters.loc[~movable & clusters["partner"].notna(), "partner"])
    by_reference = links.linked & new["payment_ref"].notna().to_numpy()
    taken = {int(payment) for payment in links.payment_id[by_reference]}
    notes = notes[notes["va_number"].notna() & notes["day"].between(reach[0], reach[1])
                  & ~notes["id"].isin(held | taken | displaced)]
    clusters = clusters[movable & (clusters["partner"].isna() | clusters["partner"].isin(set(notes["id"]) | displaced))]
    new_lines, new_notes = _new_candidates(new, links)
    groups = pd.concat([new_lines[GROUP], new_notes[GROUP],
                        clusters.loc[clusters["partner"].isin(displaced), GROUP]]).drop_duplicates()
    if groups.empty:
        return
    notes = notes.merge(groups, on=GROUP).assign(key=lambda frame: "n" + frame["id"].astype(str))
    clusters = clusters.merge(groups, on=GROUP).assign(key=lambda frame: "c" + frame["root"].astype(str))
    pairs = pair(pd.concat([notes, new_notes.assign(key="r" + new_notes["row"].astype(str))], ignore_index=True),
                 pd.concat([clusters, new_lines.assign(key="r" + new_lines["row"].astype(str))], ignore_index=True))
    _apply(pairs, clusters, links, followers=new["payment_ref"].isna().to_numpy())


def _clusters(lines: pd.DataFrame, note_ids: set[int]) -> pd.DataFrame:
    """The stored lines as entries: the rows of one account entry (its statement lines and export
    lines) count towards one ``root``, a notification (``partner``) or the first of them."""
    known = lines["root"].isin(note_ids) | lines["root"].isin(set(lines["id"]))
    lines = lines.assign(sure=lines["payment_ref"].notna() | ~known).sort_values("id")
    entries = lines.groupby("root", sort=False)
    clusters = lines.drop_duplicates("root").set_index("root")[
        ["id", "va_number", "amount", "day", "booked_at", "dedup_key"]]
    clusters["members"] = entries["id"].agg(tuple)
    clusters["loose"] = ~entries["sure"].any() & clusters["va_number"].notna()
    clusters = clusters.reset_index()
    clusters["partner"] = clusters["root"].where(clusters["root"].isin(note_ids)).astype("Int64")
    return clusters


def _new_candidates(new: pd.DataFrame, links: Links) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The new lines and notifications not linked by a surer pass, with a VA."""
    adopting = [move.to_row for move in links.moves if move.to_row is not None]
    free = new["payment"] & new["va_number"].notna() & ~links.linked & ~new["row"].isin(adopting)
    return new[free & ~new["notification"] & new["payment_ref"].isna()], new[free & new["notification"]]


def _apply(pairs: dict[str, Pair], clusters: pd.DataFrame, links: Links, followers: np.ndarray) -> None:
    """New lines take their notification; stored lines whose pair changed move, and the new rows
    linked to them as the same entry (``followers``: those without a payment reference) follow."""
    entries = np.where(followers & links.linked, links.payment_id, -1)
    for key, paired in pairs.items():
        if key.startswith("r") and paired.note is not None:
            links.payment_id[int(key[1:])] = int(paired.note[1:])
            links.to_check[int(key[1:])] |= paired.check
    for cluster in clusters.itertuples(index=False):
        paired = pairs[cluster.key]
        partner = None if pd.isna(cluster.partner) else int(cluster.partner)
        note = paired.note
        if note == (None if partner is None else f"n{partner}"):
            continue
        if note is None and partner is None:
            continue
        move = Move(int(cluster.id), cluster.members, was_payment=partner is None, check=paired.check,
                    to_row=int(note[1:]) if note and note.startswith("r") else None,
                    to_id=int(note[1:]) if note and note.startswith("n") else None)
        links.moves.append(move)
        if move.to_row is not None:
            links.to_check[move.to_row] |= paired.check
        links.payment_id[entries == cluster.root] = move.to_id if move.to_id is not None else move.line
