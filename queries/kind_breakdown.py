"""Collection by bill kind and kind group: the collection rate and the outstanding of UI.md split by what was
billed, for the payments page, the overview and the monthly report, named in the reader's language (never by
code). A kind the store does not know (no row in ``bill_kinds``) is counted under one labelled line,
"Jenis tagihan tidak diketahui (3 tagihan)", in a group of the same words.

Over the filtered bills due by ``as_of``: ``billed``, ``paid`` (as known on that day), ``bills`` and
``paid_bills`` as :func:`queries.payments.collection_rate` counts them, so the rows add up to that KPI; and
``outstanding`` and ``owing`` over those due before that day, adding up to :func:`queries.payments.outstanding`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from pantau import formatting
from pantau.i18n import translate
from pantau.models.billing import BillRollup

from . import bill_labels
from .frames import read_frame
from .payments import ZERO, BillFilter, _paid_bills_by, _paid_by

COLUMNS = ["group", "group_name", "kind", "kind_name", "bills", "paid_bills", "billed", "paid", "outstanding",
           "owing", "rate"]
FIGURES = ["bills", "paid_bills", "billed", "paid", "outstanding", "owing"]


def by_kind(engine: Engine, *, as_of: date, bills: BillFilter = BillFilter(), lang: str = "id") -> pd.DataFrame:
    """One row a kind with bills due by ``as_of``: ``group, group_name, kind, kind_name`` and the figures of the
    module doc, ``rate`` = paid ÷ billed (None when nothing is billed). Ordered by group name then kind name, the
    unknown kinds last; ``group`` and ``kind`` are None on the unknown line."""
    paid = _paid_by(as_of)
    owed = BillRollup.billed - paid
    late = BillRollup.due_date < as_of
    query = (select(BillRollup.kind.label("code"),
                    func.coalesce(func.sum(BillRollup.bills), 0).label("bills"),
                    func.coalesce(func.sum(_paid_bills_by(as_of)), 0).label("paid_bills"),
                    func.coalesce(func.sum(BillRollup.billed), ZERO).label("billed"),
                    func.coalesce(func.sum(paid), ZERO).label("paid"),
                    func.coalesce(func.sum(case((late, owed), else_=ZERO)), ZERO).label("outstanding"),
                    func.coalesce(func.sum(case((and_(late, owed > 0), BillRollup.bills), else_=0)), 0).label("owing"))
             .where(bills.clause(), BillRollup.due_date <= as_of).group_by(BillRollup.kind))
    found = read_frame(engine, query)
    if found.empty:
        return pd.DataFrame(columns=COLUMNS)
    kinds = bill_labels.kinds(engine, lang).rename(columns={"code": "kind", "name": "kind_name"})
    known = found["code"].isin(set(kinds["kind"]))
    rows = found[known].rename(columns={"code": "kind"}).merge(kinds, on="kind", how="left")
    unknown = found[~known]
    if not unknown.empty:
        count = int(unknown["bills"].sum())
        line = {"group": None, "group_name": bill_labels.unknown("kind_group", count, lang), "kind": None,
                "kind_name": bill_labels.unknown("kind", count, lang)}
        line |= {name: unknown[name].sum() for name in FIGURES}
        rows = pd.concat([rows, pd.DataFrame([line])], ignore_index=True)
    for name in ("bills", "paid_bills", "owing"):
        rows[name] = rows[name].astype(int)
    for name in ("billed", "paid", "outstanding"):
        rows[name] = [Decimal(str(value)) for value in rows[name]]
    rows["rate"] = [float(p / b) if b else None for p, b in zip(rows["paid"], rows["billed"])]
    rows["_last"] = rows["kind"].isna()
    rows = rows.sort_values(["_last", "group_name", "kind_name"], kind="stable", ignore_index=True)
    return rows[COLUMNS]


def by_group(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`by_kind` added up by group: ``group, group_name`` and the figures, ``kinds`` (how many
    kinds), ``rate``; in the same order."""
    if frame.empty:
        return pd.DataFrame(columns=["group", "group_name", *FIGURES, "kinds", "rate"])
    summed = (frame.assign(kinds=1).groupby("group_name", sort=False, as_index=False)
              .agg(group=("group", "first"), **{name: (name, "sum") for name in [*FIGURES, "kinds"]}))
    summed["rate"] = [float(p / b) if b else None for p, b in zip(summed["paid"], summed["billed"])]
    return summed[["group", "group_name", *FIGURES, "kinds", "rate"]]


def worded(frame: pd.DataFrame, lang: str) -> list[dict]:
    """The breakdown as lines to show: each group (``level`` "group") followed by its kinds (``level`` "kind")
    when it has more than one or its one kind is named otherwise, then the total (``level`` "total"); figures
    formatted in ``lang`` (``label``, ``billed``, ``paid``, ``rate``, ``outstanding``, ``bills``)."""
    if frame.empty:
        return []
    lines = []
    for group in by_group(frame).itertuples():
        members = frame[frame["group_name"] == group.group_name]
        lines.append(_line("group", group.group_name, group, lang))
        if len(members) > 1 or members["kind_name"].iloc[0] != group.group_name:
            lines += [_line("kind", row.kind_name, row, lang) for row in members.itertuples()]
    total = frame[FIGURES].sum()
    total["rate"] = float(total["paid"] / total["billed"]) if total["billed"] else None
    lines.append(_line("total", translate("All bill kinds", lang), total, lang))
    return lines


def _line(level: str, label: str, row, lang: str) -> dict:
    get = row.get if isinstance(row, pd.Series) else (lambda name: getattr(row, name))
    return {"level": level, "label": label, "bills": formatting.number(int(get("bills")), lang),
            "billed": formatting.rupiah(get("billed"), lang), "paid": formatting.rupiah(get("paid"), lang),
            "rate": formatting.percent(get("rate"), lang) if get("rate") is not None else "–",
            "outstanding": formatting.rupiah(get("outstanding"), lang)}
