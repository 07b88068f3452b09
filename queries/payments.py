"""Bills and collection, read side. Every figure reads the rollups each reconciliation rebuilds
(``bill_rollups``), so the payments page costs the same at a thousand bills as at a million. The
reconciliation's summary and exception queue are in :mod:`queries.recon_cases`, the bill list in
:mod:`queries.bill_rows`.

KPI definitions (UI.md), one each, for cards, pages and reports:

* Tingkat pelunasan, :func:`collection_rate`: Σ paid ÷ Σ billed, in Rupiah and in count, over the
  bills of a semester due by a date. A bill counts as paid by that date when the application marked
  it paid on or before it; payments the application holds on bills not yet fully paid count too.
* Tunggakan, :func:`outstanding`: Σ (billed − paid) over bills past their due date.
* Kasus rekonsiliasi lewat 1x24 jam: see :mod:`queries.recon_cases`.

A bill the application marks paid without saying when (no ``paid_at``) is paid on an unknown day: its
rollup group has ``app_state`` paid and ``paid_on`` NULL. It counts as paid, in Rupiah and in count, on
every day the figures are asked for, as the undated payments on bills not yet fully paid do; it is placed
on no day (not the epoch, not the due date): the collection curve shows it in a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select

from pantau import semesters
from pantau.models import Prodi
from pantau.models.billing import BillRollup

from . import bill_labels
from .frames import read_frame

AGE_BUCKETS = ((0, "not_due"), (30, "1-30"), (60, "31-60"), (90, "61-90"), (None, "90+"))
"""Ageing buckets by days past due: not yet due, then up to 30, 60, 90 days, and more."""
GROUPINGS = {"kind": BillRollup.kind, "prodi": BillRollup.prodi_id, "angkatan": BillRollup.angkatan,
             "semester": BillRollup.semester}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BillFilter:
    """The payments page's filters; empty means all."""

    semester: str | None = None
    kinds: tuple[str, ...] = ()
    prodi_id: int | None = None
    angkatan: int | None = None

    def clause(self, table=BillRollup):
        """The WHERE clause on ``bill_rollups`` (or ``bills``, which has the same columns)."""
        parts = []
        if self.semester:
            parts.append(table.semester == self.semester)
        if self.kinds:
            parts.append(table.kind.in_(self.kinds))
        if self.prodi_id is not None:
            parts.append(table.prodi_id == self.prodi_id)
        if self.angkatan is not None:
            parts.append(table.angkatan == self.angkatan)
        return and_(True, *parts)


@dataclass(frozen=True)
class CollectionRate:
    """Tingkat pelunasan: paid against billed, in Rupiah and in count (rates None when nothing is billed)."""

    billed: Decimal
    paid: Decimal
    bills: int
    paid_bills: int

    @property
    def rate(self) -> float | None:
        return float(self.paid / self.billed) if self.billed else None

    @property
    def count_rate(self) -> float | None:
        return self.paid_bills / self.bills if self.bills else None


@dataclass(frozen=True)
class Outstanding:
    """Tunggakan: what bills past their due date still owe, and how many owe something."""

    amount: Decimal
    bills: int


@dataclass(frozen=True)
class Options:
    """What the filters can choose from."""

    semesters: list[str]
    kinds: list[str]
    prodi: pd.DataFrame = field(default_factory=pd.DataFrame)
    angkatan: list[int] = field(default_factory=list)


def _paid_by(as_of: date):
    """Paid as known on ``as_of``: fully paid bills only from the day they were marked paid (on every day
    when that day is unknown)."""
    return case((BillRollup.paid_on.is_(None), BillRollup.paid),
                (BillRollup.paid_on <= as_of, BillRollup.paid), else_=ZERO)


def _paid_bills_by(as_of: date):
    """The bills fully paid as known on ``as_of``, counted the way :func:`_paid_by` counts their Rupiah."""
    return case((and_(BillRollup.app_state == "paid", or_(BillRollup.paid_on.is_(None), BillRollup.paid_on <= as_of)),
                 BillRollup.bills), else_=0)


def options(engine: Engine) -> Options:
    """Semesters (newest first), bill kinds, study programmes and intake years that have bills."""
    with engine.connect() as connection:
        newest_first = select(BillRollup.semester).distinct().order_by(BillRollup.semester.desc())
        semesters = list(connection.scalars(newest_first))
        kinds = list(connection.scalars(select(BillRollup.kind).distinct().order_by(BillRollup.kind)))
        years = list(connection.scalars(select(BillRollup.angkatan).where(BillRollup.angkatan.is_not(None))
                                        .distinct().order_by(BillRollup.angkatan.desc())))
    used = select(BillRollup.prodi_id).distinct().scalar_subquery()
    prodi = read_frame(engine, select(Prodi.id, Prodi.code, Prodi.name).where(Prodi.id.in_(used)).order_by(Prodi.code))
    return Options(semesters, kinds, prodi, years)


def current_semester(engine: Engine, today: date) -> str | None:
    """The semester of the academic calendar ``today`` falls in when it has bills; else the one most of whose
    bills fall due around ``today`` (from 180 days before to 60 after); else the newest. The page opens on it."""
    near = and_(BillRollup.due_date >= today - timedelta(days=180), BillRollup.due_date <= today + timedelta(days=60))
    calendar = semesters.code_of(today)
    busiest = (select(BillRollup.semester).where(near).group_by(BillRollup.semester)
               .order_by(func.sum(BillRollup.bills).desc(), BillRollup.semester.desc()).limit(1))
    with engine.connect() as connection:
        if connection.scalar(select(BillRollup.semester).where(BillRollup.semester == calendar).limit(1)):
            return calendar
        return connection.scalar(busiest) or connection.scalar(select(func.max(BillRollup.semester)))


def collection_rate(engine: Engine, *, as_of: date, bills: BillFilter = BillFilter()) -> CollectionRate:
    """Tingkat pelunasan of the filtered bills due by ``as_of`` (see the module doc)."""
    paid = _paid_by(as_of)
    query = select(
        func.coalesce(func.sum(BillRollup.billed), ZERO), func.coalesce(func.sum(paid), ZERO),
        func.coalesce(func.sum(BillRollup.bills), 0),
        func.coalesce(func.sum(_paid_bills_by(as_of)), 0),
    ).where(bills.clause(), BillRollup.due_date <= as_of)
    with engine.connect() as connection:
        billed, paid_amount, count, paid_count = connection.execute(query).one()
    return CollectionRate(Decimal(billed), Decimal(paid_amount), int(count), int(paid_count))


def collection_rates(engine: Engine, *, as_of: date, bills: BillFilter = BillFilter()) -> dict[str, CollectionRate]:
    """:func:`collection_rate` of every semester with bills due by ``as_of``, newest semester first, in one read."""
    paid = _paid_by(as_of)
    query = select(
        BillRollup.semester, func.sum(BillRollup.billed), func.sum(paid), func.sum(BillRollup.bills),
        func.sum(_paid_bills_by(as_of)),
    ).where(bills.clause(),
            BillRollup.due_date <= as_of).group_by(BillRollup.semester).order_by(BillRollup.semester.desc())
    with engine.connect() as connection:
        return {semester: CollectionRate(Decimal(billed or ZERO), Decimal(paid_amount or ZERO), int(count or 0),
                                         int(paid_count or 0))
                for semester, billed, paid_amount, count, paid_count in connection.execute(query)}


def outstanding(engine: Engine, *, as_of: date, bills: BillFilter = BillFilter()) -> Outstanding:
    """Tunggakan on ``as_of``: Σ (billed − paid) over the filtered bills due before that day."""
    owed = BillRollup.billed - _paid_by(as_of)
    query = select(
        func.coalesce(func.sum(owed), ZERO),
        func.coalesce(func.sum(case((owed > 0, BillRollup.bills), else_=0)), 0),
    ).where(bills.clause(), BillRollup.due_date < as_of)
    with engine.connect() as connection:
        amount, count = connection.execute(query).one()
    return Outstanding(Decimal(amount), int(count))


def outstanding_on(engine: Engine, days: list[date], *, bills: BillFilter = BillFilter()) -> list[Outstanding]:
    """:func:`outstanding` on each of ``days``, from two small reads instead of one per day: what the bills of
    each due date owe now (billed − paid), and the payments marked after the earliest day, which were still
    owed before the day they were marked (a bill paid after a day owed its whole amount on that day)."""
    if not days:
        return []
    first, last = min(days), max(days)
    now_owed = (select(BillRollup.due_date, func.sum(BillRollup.billed - BillRollup.paid),
                       func.sum(case((BillRollup.billed > BillRollup.paid, BillRollup.bills), else_=0)))
                .where(bills.clause(), BillRollup.due_date < last).group_by(BillRollup.due_date))
    settled = and_(BillRollup.billed <= BillRollup.paid, BillRollup.billed > 0)
    paid_later = (select(BillRollup.due_date, BillRollup.paid_on, func.sum(BillRollup.paid),
                         func.sum(case((settled, BillRollup.bills), else_=0)))
                  .where(bills.clause(), BillRollup.due_date < last, BillRollup.paid_on > first)
                  .group_by(BillRollup.due_date, BillRollup.paid_on))
    with engine.connect() as connection:
        owed = connection.execute(now_owed).all()
        later = connection.execute(paid_later).all()
    out = []
    for day in days:
        amount = sum((Decimal(a or 0) for due, a, _ in owed if due < day), ZERO)
        amount += sum((Decimal(p or 0) for due, paid_on, p, _ in later if due < day and paid_on > day), ZERO)
        count = sum(int(n or 0) for due, _, n in owed if due < day)
        count += sum(int(n or 0) for due, paid_on, _, n in later if due < day and paid_on > day)
        out.append(Outstanding(amount.quantize(Decimal("0.01")), count))
    return out


def paid_unpaid(engine: Engine, *, by: str, bills: BillFilter = BillFilter(), lang: str = "id") -> pd.DataFrame:
    """Bills by ``by`` (kind, kind_group, prodi, angkatan or semester) and application state (paid, partial,
    unpaid): ``group, label, app_state, bills, billed, paid, outstanding``. ``group`` is the key (prodi groups
    carry the code, kind groups the group code); ``label`` names it in ``lang`` (kinds and programmes by name)
    and says how many bills lack it ("Prodi tidak diketahui (12 tagihan)")."""
    key = GROUPINGS["kind" if by == "kind_group" else by]
    query = (select(key.label("group"), BillRollup.app_state, func.sum(BillRollup.bills).label("bills"),
                    func.sum(BillRollup.billed).label("billed"), func.sum(BillRollup.paid).label("paid"))
             .where(bills.clause()).group_by(key, BillRollup.app_state).order_by(key, BillRollup.app_state))
    frame = read_frame(engine, query)
    frame["outstanding"] = frame["billed"] - frame["paid"]
    labels: dict = {}
    if by in ("kind", "kind_group") and not frame.empty:
        kinds = bill_labels.kinds(engine, lang)
        if by == "kind_group":
            frame["group"] = frame["group"].map(dict(zip(kinds["code"], kinds["group"])))
            frame = (frame.groupby(["group", "app_state"], as_index=False, dropna=False)
                     [["bills", "billed", "paid", "outstanding"]].sum())
            labels = dict(zip(kinds["group"], kinds["group_name"]))
        else:
            labels = dict(zip(kinds["code"], kinds["name"]))
            frame["group"] = frame["group"].where(frame["group"].isin(set(labels)))  # a code the store does not know
            frame = (frame.groupby(["group", "app_state"], as_index=False, dropna=False)
                     [["bills", "billed", "paid", "outstanding"]].sum())
    elif by == "prodi" and not frame.empty:
        codes = read_frame(engine, select(Prodi.id, Prodi.code))
        names = bill_labels.prodi_names(engine, lang)
        labels = {code: names[int(pid)] for pid, code in zip(codes["id"], codes["code"])}
        frame["group"] = frame["group"].map(dict(zip(codes["id"], codes["code"])))
    elif by == "angkatan":
        frame["group"] = frame["group"].astype("Int64")  # a year, not 2023.0 beside the bills without one
    missing = int(frame.loc[frame["group"].isna(), "bills"].sum()) if not frame.empty else 0
    frame["label"] = [bill_labels.unknown(by, missing, lang) if pd.isna(group) else labels.get(group, str(group))
                      for group in frame["group"]]
    return frame


def collection_curve(engine: Engine, *, bills: BillFilter = BillFilter()) -> pd.DataFrame:
    """Collection against the deadline: per kind, the share of the billed Rupiah (and of the bills)
    fully paid by each day relative to the due date (``offset`` days, negative before it), in order.

    Bills paid on an unknown day (see the module doc) are on no such day: each kind that has them ends
    with a row whose ``offset`` is NaN and whose shares are theirs alone, so the last dated share plus
    that row is what the kind has collected in full."""
    columns = ["kind", "offset", "share", "count_share"]
    billed = read_frame(engine, select(BillRollup.kind, func.sum(BillRollup.billed).label("billed"),
                                        func.sum(BillRollup.bills).label("bills"))
                         .where(bills.clause()).group_by(BillRollup.kind))
    paid = read_frame(engine, select(BillRollup.kind, BillRollup.due_date, BillRollup.paid_on,
                                      func.sum(BillRollup.paid).label("paid"),
                                      func.sum(BillRollup.bills).label("bills"))
                       .where(bills.clause(), BillRollup.app_state == "paid")
                       .group_by(BillRollup.kind, BillRollup.due_date, BillRollup.paid_on))
    paid = paid[paid["bills"] != 0]
    if paid.empty:
        return pd.DataFrame(columns=columns)
    undated = paid["paid_on"].isna()
    paid["offset"] = (pd.to_datetime(paid["paid_on"]) - pd.to_datetime(paid["due_date"])).dt.days.astype(float)
    daily = (paid[~undated].groupby(["kind", "offset"], as_index=False)[["paid", "bills"]].sum()
             .sort_values(["kind", "offset"]))
    daily["paid"] = daily.groupby("kind")["paid"].transform(lambda amounts: list(accumulate(amounts)))
    daily["bills"] = daily.groupby("kind")["bills"].cumsum()
    unknown = paid[undated].groupby("kind", as_index=False)[["paid", "bills"]].sum().assign(offset=float("nan"))
    curve = pd.concat([daily, unknown[daily.columns]], ignore_index=True) if not unknown.empty else daily
    curve = (curve.merge(billed, on="kind", suffixes=("", "_total"))
             .sort_values(["kind", "offset"], na_position="last", kind="stable", ignore_index=True))
    curve["share"] = [float(p / b) if b else None for p, b in zip(curve["paid"], curve["billed"])]
    curve["count_share"] = curve["bills"] / curve["bills_total"]
    return curve[columns]


def bill_count(engine: Engine, *, bills: BillFilter = BillFilter()) -> int:
    """How many bills the filters match, paid or not."""
    with engine.connect() as connection:
        return int(connection.scalar(select(func.coalesce(func.sum(BillRollup.bills), 0)).where(bills.clause())))


def ageing(engine: Engine, *, as_of: date, bills: BillFilter = BillFilter()) -> pd.DataFrame:
    """Unpaid money by how long past due on ``as_of``: ``bucket, bills, outstanding`` in bucket order
    (see :data:`AGE_BUCKETS`), every bucket present."""
    owed = (BillRollup.billed - BillRollup.paid).label("owed")
    frame = read_frame(engine, select(BillRollup.due_date, func.sum(BillRollup.bills).label("bills"),
                                       func.sum(owed).label("outstanding"))
                        .where(bills.clause(), BillRollup.app_state != "paid").group_by(BillRollup.due_date))
    labels = [label for _, label in AGE_BUCKETS]
    if frame.empty:
        return pd.DataFrame({"bucket": labels, "bills": 0, "outstanding": [ZERO] * len(labels)})
    late = (pd.Timestamp(as_of) - pd.to_datetime(frame["due_date"])).dt.days
    frame["bucket"] = [_bucket(days) for days in late]
    summed = frame.groupby("bucket").agg(bills=("bills", "sum"), outstanding=("outstanding", "sum"))
    summed = summed.reindex(labels)
    summed["bills"] = summed["bills"].fillna(0).astype(int)
    summed["outstanding"] = [ZERO if pd.isna(v) else v for v in summed["outstanding"]]
    return summed.reset_index(names="bucket")


def _bucket(days_late: int) -> str:
    for limit, label in AGE_BUCKETS:
        if limit is None or days_late <= limit:
            return label
    return AGE_BUCKETS[-1][1]
