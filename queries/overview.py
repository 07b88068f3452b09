"""The director's overview: every KPI of UI.md as of one moment, with the previous period, a trend and a
status, read through each subject's own queries so each KPI has one definition (cards, report, e-mail).

`overview(engine, settings, now, groups)` returns `Kpi` figures for the groups asked for (a role sees the
groups of the pages it may open). The monthly report calls it with the end of its month as `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

import queries.servers as servers
from pantau import semesters
from pantau.i18n import LANGUAGES
from pantau.settings import KpiThreshold, Settings
from pantau.sla.context import sla_context
from pantau.sla.periods import half_of, month_of, months_of, months_until, previous_half
from pantau.sla.scope import Scope
from pantau.sops.names import sop_label
from pantau.tokens import token_settings
from queries import kso, ktm, sla

GROUPS = ("payments", "tokens", "servers", "sla", "ktm", "kso")
"""KPI groups, each shown to the roles that may open its page."""

SERVER_ROLES = {"payment-server": "Payment server", "h2h-server": "H2H server"}
MONTH = timedelta(days=30)
TREND_SEMESTERS = 4
"""Semesters on the collection rate's trend line."""
RECON_DAYS, WEEK_DAYS = 14, 7
"""Days on the overdue reconciliation cases' trend line, and how far back their previous figure is."""


@dataclass(frozen=True)
class Kpi:
    """One KPI as of a moment: `value` in its `kind` (share, rupiah, count or days), the `previous` period's
    value, a `trend` (oldest first), its status `grade` (good, warn, bad, none, or info without thresholds),
    and the `page` (key) and `query` its card links to. `title`, `note` and `previous_label` are English message
    ids filled with `words`."""

    key: str
    group: str
    title: str
    kind: str
    value: float | Decimal | int | None
    grade: str
    page: str
    query: str
    previous: float | Decimal | int | None = None
    previous_label: str = ""
    trend: tuple[float, ...] = ()
    note: str = ""
    words: dict = field(default_factory=dict)


def grade(value, threshold: KpiThreshold | None) -> str:
    """good / warn / bad against a configured threshold; none without a value, info without a threshold."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "none"
    if threshold is None:
        return "info"
    number, good, warn = float(value), threshold.good, threshold.warn
    if not threshold.higher_is_better:
        number, good, warn = -number, -good, -warn
    return "good" if number >= good else ("warn" if number >= warn else "bad")


def _share(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def payment_kpis(engine: Engine, settings: Settings, now: datetime) -> list[Kpi]:
    """Tingkat pelunasan of this semester (else the newest with bills due) against the semester before, tunggakan
    against the start of the month (trend: the last two month starts and now), and reconciliation cases open beyond
    1x24 h against a week ago (trend: the same time of day over the last two weeks), through queries.payments and
    queries.recon_cases in one read each; nothing before any bill has come due."""
    from queries import payments, recon_cases

    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    rates = _semester_rates(engine, today)
    if not rates:
        return []
    semester, current = rates[0]
    previous = rates[1] if len(rates) > 1 else None
    out = [Kpi(
        key="collection_rate", group="payments", title="Collection rate, semester {semester}", kind="share",
        value=current.rate, grade=grade(current.rate, settings.thresholds.get("collection_rate")),
        page="payments", query=f"?semester={semester}", previous=previous[1].rate if previous else None,
        previous_label="semester {previous_semester}",
        trend=tuple(r.rate for _, r in reversed(rates) if r.rate is not None),
        note="{paid_bills} of {bills} bills paid ({count_share}); {paid} of {billed}",
        words={"semester": semester, "previous_semester": previous[0] if previous else "",
               "paid_bills": current.paid_bills, "bills": current.bills, "count_share": current.count_rate,
               "paid": current.paid, "billed": current.billed},
    )]
    *owed, current_owed = payments.outstanding_on(engine,
                                                  [start.date() for start in _month_starts(now, zone, 2)] + [today])
    out.append(Kpi(
        key="outstanding", group="payments", title="Outstanding", kind="rupiah", value=current_owed.amount,
        grade=grade(current_owed.amount, settings.thresholds.get("outstanding")), page="payments",
        query="?semester=all",
        previous=owed[-1].amount, previous_label="the start of the month",
        trend=tuple(float(o.amount) for o in [*owed, current_owed]),
        note="{owing} bills past their due date still owe", words={"owing": current_owed.bills},
    ))
    late = recon_cases.overdue_cases_at(engine, [now - timedelta(days=days) for days in range(RECON_DAYS, -1, -1)])
    out.append(Kpi(
        key="recon_overdue", group="payments", title="Reconciliation cases open beyond 1x24 h", kind="count",
        value=late[-1], grade=grade(late[-1], settings.thresholds.get("recon_overdue")), page="payments", query="",
        previous=late[-1 - WEEK_DAYS], previous_label="a week ago", trend=tuple(float(count) for count in late),
        note="Open cases past their due time",
    ))
    return out


def _semester_rates(engine: Engine, today: date) -> list:
    """(semester, collection rate) of the collection rate card's semester (this semester, else the newest with bills
    due) and up to three before it, newest first; empty before any bill has come due."""
    from queries import payments

    rates = [(semester, rate) for semester, rate in payments.collection_rates(engine, as_of=today).items()
             if rate.bills]
    codes, calendar = [code for code, _ in rates], semesters.code_of(today)
    start = codes.index(calendar) if calendar in codes else 0
    return rates[start:start + TREND_SEMESTERS]


@dataclass(frozen=True)
class KindCollection:
    """The collection rate card's semester split by kind group and bill kind, as of a day: `frames` holds
    `queries.kind_breakdown.by_kind` in each language (names, never codes)."""

    semester: str
    as_of: date
    frames: dict[str, pd.DataFrame]


def kind_collection(engine: Engine, settings: Settings, now: datetime) -> KindCollection | None:
    """Collection by kind group and kind over the semester the collection rate card counts, as of `now`'s day
    (the rows add up to that card's figure); None before any bill has come due."""
    from queries import kind_breakdown
    from queries.payments import BillFilter

    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    rates = _semester_rates(engine, today)
    if not rates:
        return None
    semester = rates[0][0]
    return KindCollection(semester, today, {lang: kind_breakdown.by_kind(engine, as_of=today, lang=lang,
                                                                         bills=BillFilter(semester=semester))
                                            for lang in LANGUAGES})


def _month_starts(now: datetime, zone: ZoneInfo, count: int) -> list[datetime]:
    """The first moments of the last `count` months up to `now`'s month, oldest first, in the campus calendar."""
    local = now.astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = []
    for _ in range(count):
        starts.insert(0, local)
        local = (local - timedelta(days=1)).replace(day=1)
    return starts


def token_kpis(engine: Engine, settings: Settings, now: datetime) -> list[Kpi]:
    """Sisa hari token of each open admission wave: the forecast days until its first channel runs out, with
    the interval (queries.tokens), and the wave's stock over the last 14 days as the trend, from the same read."""
    from queries import tokens

    zone = settings.timezone
    found, days = tokens.status_with_days(engine, now=now, zone=zone)
    try:
        names = token_settings(settings).channel_names
    except ValueError:  # a wrong [tokens] section is reported where it is read; the card says channels by code
        names = {}
    out = []
    for (wave_id, code, name), rows in found.groupby(["wave_id", "wave", "name"], sort=False):
        timed = rows[rows["days_left"].notna()].sort_values(["days_left", "channel"])
        stock = days[int(wave_id)].groupby("day")["stock"].sum().tail(14)
        words = {"wave": name or code, "stock": int(rows["stock"].sum())}
        if timed.empty:
            value, grade_of, note = None, "info", "No stock-out in sight: no recent demand; stock {stock}"
        else:
            first = timed.iloc[0]
            value = float(first["days_left"])
            grade_of = grade(value, settings.thresholds.get("token_days_left"))
            note = "{channel} runs out first, in {low} to {high} days; stock {stock}"
            channel = names.get(first["channel"], first["channel"])  # its configured name, or a code said in words
            words |= {"channel": channel, "low": first["low"], "high": first["high"]}
        out.append(Kpi(
            key=f"tokens:{code}", group="tokens", title="Token days left: {wave}", kind="days", value=value,
            grade=grade_of, page="tokens", query=f"?wave={quote(str(code))}", trend=tuple(float(v) for v in stock),
            note=note, words=words,
        ))
    return out


def server_kpis(engine: Engine, settings: Settings, now: datetime) -> list[Kpi]:
    """30-day availability of each payment and H2H server (queries.servers.uptime), against the 30 days before,
    with its daily availability over the last 30 days (day rollups) as the trend."""
    from pantau.monitoring.settings import monitoring_settings

    try:
        retention = monitoring_settings(settings).rollup_retention()
    except ValueError:
        retention = None
    known = servers.monitors(engine)
    known = known[known["role"].isin(list(SERVER_ROLES))]
    ids = [int(i) for i in known["id"]]
    if not ids:
        return []
    current = servers.uptime(engine, ids, windows=["30d"], now=now, retention=retention).set_index("monitor_id")
    before = servers.uptime(engine, ids, windows=["30d"], now=now - MONTH, retention=retention).set_index("monitor_id")
    out = []
    for row in known.itertuples():
        value = _share(current.loc[row.id, "availability"])
        days = servers.latency(engine, int(row.id), "1y", now).tail(30)
        trend = tuple(float(u / (u + d)) for u, d in zip(days["up"], days["down"]) if u + d)
        out.append(Kpi(
            key=f"availability:{row.name}", group="servers", title="30-day availability: {server}", kind="share",
            value=value, grade=grade(value, settings.thresholds.get("availability_30d")),
            page="server", query=f"?monitor={int(row.id)}&range=30d",
            previous=_share(before.loc[row.id, "availability"]),
            previous_label="the 30 days before", trend=trend, note=SERVER_ROLES[row.role],
            words={"server": row.label},
        ))
    return out


def sla_kpis(engine: Engine, settings: Settings, now: datetime, scope: Scope = None) -> list[Kpi]:
    """SLA compliance of each visible SOP over the current half-year so far, against the previous half-year,
    with the monthly trend of the last 12 months: one read of `queries.sla.monthly_compliance`, whose
    per-month counts sum to the same figure `sop_compliance` gives (steps within standard ÷ steps measured)."""
    zone = ZoneInfo(settings.timezone)
    month = month_of(now, zone)
    half = half_of(month)
    shown = months_until(month, 12)
    monthly = sla.monthly_compliance(engine, sorted(set(shown) | set(months_of(previous_half(half)))), scope, by="sop")
    threshold = settings.thresholds.get("sla_compliance")
    catalogue = sla_context(settings, engine).catalogue
    out = []
    for code, rows in monthly.groupby("sop_code"):
        value = _compliance(rows[rows["month"].isin([m for m in months_of(half) if m <= month])])
        trend = rows[rows["month"].isin(shown)]["compliance"].dropna()
        out.append(Kpi(
            key=f"sla:{code}", group="sla", title="SLA compliance: {sop}", kind="share", value=value,
            grade=grade(value, threshold), page="sla", query=f"?sop={code}",
            previous=_compliance(rows[rows["month"].isin(months_of(previous_half(half)))]),
            previous_label="the previous half-year", trend=tuple(float(v) for v in trend),
            note="Steps within their standard time, {half}",
            words={"sop": sop_label(code, catalogue), "half": half},
        ))
    return out


def _compliance(rows: pd.DataFrame) -> float | None:
    measured = int(rows["measured"].sum())
    return int(rows["met"].sum()) / measured if measured else None


def ktm_kpi(engine: Engine, settings: Settings, now: datetime) -> Kpi | None:
    """KTM selesai of the newest intake begun by `now`, as at `now`, against the intake before it, with the
    share that had its card at the end of each month as the trend (queries.ktm)."""
    counted = [c for c in ktm.completions(engine, 6, as_of=now, zone=settings.timezone) if c.students]
    if not counted:
        return None
    newest, earlier = counted[0], (counted[1] if len(counted) > 1 else None)
    return Kpi(
        key="ktm_done", group="ktm", title="KTM completed, intake {intake}", kind="share", value=newest.share,
        grade=grade(newest.share, settings.thresholds.get("ktm_done")), page="ktm", query=f"?intake={newest.intake}",
        previous=earlier.share if earlier else None, previous_label="intake {previous_intake}",
        trend=newest.cumulative_shares(), note="{distributed} of {students} students have their card",
        words={"intake": newest.intake, "previous_intake": earlier.intake if earlier else "",
               "distributed": newest.distributed, "students": newest.students},
    )


def kso_kpi(engine: Engine, settings: Settings, now: datetime) -> Kpi:
    """KSO requests waiting on the kolegium now, against 30 days ago, with the count at each of the last six
    month ends (queries.kso)."""
    ends = _month_starts(now, ZoneInfo(settings.timezone), 6)
    counts = kso.waiting_on_kolegium(engine, [*ends, now - MONTH, now])
    value = counts[-1]
    return Kpi(
        key="kso_waiting", group="kso", title="KSO requests waiting on the kolegium", kind="count", value=value,
        grade=grade(value, settings.thresholds.get("kso_waiting")), page="kso", query="", previous=counts[-2],
        previous_label="30 days ago", trend=tuple(float(c) for c in [*counts[:-2], value]),
        note="SKP verification in SIAKSI: an outside party's wait",
    )


def overview(engine: Engine, settings: Settings, now: datetime, groups: Iterable[str] = GROUPS,
             scope: Scope = None) -> list[Kpi]:
    """The KPIs of `groups` as of `now`, in the overview's order; `scope` limits the SLA KPIs to a user's steps."""
    chosen = set(groups)
    unknown = chosen - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown KPI group {', '.join(sorted(unknown))}; known: {', '.join(GROUPS)}")
    out: list[Kpi] = []
    if "payments" in chosen:
        out += payment_kpis(engine, settings, now)
    if "tokens" in chosen:
        out += token_kpis(engine, settings, now)
    if "servers" in chosen:
        out += server_kpis(engine, settings, now)
    if "sla" in chosen:
        out += sla_kpis(engine, settings, now, scope)
    if "ktm" in chosen:
        out += [kpi for kpi in [ktm_kpi(engine, settings, now)] if kpi]
    if "kso" in chosen:
        out.append(kso_kpi(engine, settings, now))
    return out
