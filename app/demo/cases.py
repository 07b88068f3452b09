"""The demo's SOP cases, planned per SOP as batches that share a path through the SOP's steps.

KTM: every student of the newest intake, in weekly batches from late August. KSO: requests for
training with SKP over the past year, some rejected by the kolegium. AKUN: digital accounts
registered and access requests over WhatsApp or e-mail, some rejected. WS: webservice requests
over two years (so that some accounts have expired). H2H: each billing period's set-up, and
students whose payment showed unpaid in the application.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.demo import casedata as data
from app.demo.campus import PRODI, Campus
from app.demo.context import DemoContext, person_names
from app.demo.payments import Ledger
from app.demo.semesters import billing_opens, due_date, opened_semesters
from pantau.sops import Sop

DAY_S = 86_400


@dataclass
class CaseBatch:
    """Cases of one SOP that take the same path: `path` is (step key, branch taken or None) in order.

    `breach` is each step's chance of overrunning its standard (8 % when not given); `stuck`
    names a step some cases never finish (`stuck_share` of them); `durations` gives steps without a
    measurable standard their own length in calendar seconds, as a function of (rng, starts).
    `result_attr` (step, attribute) records the branch a decision step took, once it has, in the attrs.
    """

    sop: str
    path: list[tuple[str, str | None]]
    refs: list[str]
    opened: np.ndarray
    subjects: list[str]
    outcome: str
    attrs: list[dict]
    source: str
    recorded_by: str
    channel: list[str | None] | None = None
    breach: dict[str, float] = field(default_factory=dict)
    stuck: str | None = None
    stuck_share: float = 0.0
    durations: dict = field(default_factory=dict)
    performers: list[str | None] | None = None
    result_attr: tuple[str, str] | None = None
    flow: str | None = None


def staff(ctx: DemoContext, catalogue: dict[str, Sop]) -> dict[str, list[str]]:
    """Four staff names for every unit named in the catalogue (and a default pool)."""
    rng = ctx.rng("staff")
    units = sorted({step.unit for sop in catalogue.values() for step in sop.steps} | {"default"})
    return {unit: person_names(rng, 4, 0.6).tolist() for unit in units}


def plan(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger,
         catalogue: dict[str, Sop]) -> list[CaseBatch]:
    """Every batch of cases, for the SOPs the catalogue has."""
    planners = {"KTM": _ktm, "KSO": _kso, "AKUN": _akun, "WS": _ws, "H2H": _h2h}
    batches: list[CaseBatch] = []
    for code, planner in planners.items():
        if code in catalogue:
            batches.extend(planner(ctx, rng, campus, ledger))
    return batches


def _office_times(ctx: DemoContext, rng: np.random.Generator, first_s: int, last_s: int, count: int) -> np.ndarray:
    """`count` sorted instants between two times, on weekdays in office hours (WIB)."""
    offset = int(ctx.offset.astype(np.int64))
    days = np.arange((first_s + offset) // DAY_S, (last_s + offset) // DAY_S + 1)
    days = days[(days + 3) % 7 < 5]
    chosen = np.sort(rng.choice(days, count))
    return chosen * DAY_S - offset + rng.integers(int(7.75 * 3600), 15 * 3600, count)


def _shares(count: int, shares: tuple[float, ...]) -> list[int]:
    """Split `count` into parts by `shares`, every part at least one (the first takes the rest)."""
    parts = [max(1, round(count * share)) for share in shares[1:]]
    return [count - sum(parts), *parts]


def _now_s(ctx: DemoContext) -> int:
    return int(ctx.now64.astype(np.int64))


def _ktm(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger) -> list[CaseBatch]:
    start_day = np.datetime64(f"{campus.academic_year}-08-25")
    year = campus.academic_year if ctx.today >= start_day + np.timedelta64(7, "D") else campus.academic_year - 1
    members = campus.intake(year)
    count = len(members)
    size = max(40, -(-count // 12))
    batch_of = np.arange(count) // size
    first_s = int(np.datetime64(f"{year}-08-25").astype("datetime64[s]").astype(np.int64))
    last_s = min(first_s + 7 * DAY_S * int(batch_of.max()), _now_s(ctx) - 2 * DAY_S)
    spread = np.linspace(0, max(0, last_s - first_s), batch_of.max() + 1)
    session = first_s + (spread // DAY_S * DAY_S).astype(np.int64)
    opened = session[batch_of] + int(8.5 * 3600) - int(ctx.offset.astype(np.int64)) + rng.integers(0, 30, count) * 60
    nim = campus.nim[members].tolist()
    names = campus.name[members].tolist()
    return [CaseBatch(
        sop="KTM",
        path=[(key, None) for key in data.KTM_PATH],
        refs=nim,
        opened=opened,
        subjects=[f"KTM elektronik {n} ({m})" for n, m in zip(names, nim)],
        outcome="selesai",
        attrs=[{"intake": int(year), "batch": int(b) + 1, "nim": m, "prodi": PRODI[p][0]}
               for b, m, p in zip(batch_of.tolist(), nim, campus.prodi[members].tolist())],
        source="import",
        recorded_by="import:ktm-bank",
        breach={"pendaftaran": 0.10, "pembuatan_rekening": 0.15, "distribusi": 0.22},
        stuck="pembuatan_rekening",
        stuck_share=0.02,
        performers=names,
    )]


def _kso(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger) -> list[CaseBatch]:
    count = ctx.scale.kso_cases
    now_s = _now_s(ctx)
    opened = _office_times(ctx, rng, now_s - 400 * DAY_S, now_s - 3 * DAY_S, count)
    rejected = np.zeros(count, bool)
    rejected[rng.choice(count, max(1, round(0.15 * count)), replace=False)] = True
    fake = ctx.faker("kso")
    participants = rng.integers(20, 250, count)
    fee = rng.choice(np.arange(150_000, 1_000_001, 50_000), count)
    titles = [f"{rng.choice(data.TRAININGS)} bagi {rng.choice(data.AUDIENCES)}" for _ in range(count)]
    organisers = [rng.choice(data.ORGANISERS).format(city=fake.city()) for _ in range(count)]
    batches = []
    for path, mask, outcome in ((data.KSO_APPROVED, ~rejected, "setuju"), (data.KSO_REJECTED, rejected, "ditolak")):
        index = np.flatnonzero(mask)
        batches.append(CaseBatch(
            sop="KSO",
            path=path,
            refs=[f"KSO-{i + 1:05d}" for i in index.tolist()],
            opened=opened[index],
            subjects=[f"{titles[i]} ({organisers[i]})" for i in index.tolist()],
            outcome=outcome,
            attrs=[{"title": titles[i], "organiser": organisers[i], "participants": int(participants[i]),
                    "invoice_amount": int(participants[i] * fee[i])} for i in index.tolist()],
            source="form",
            recorded_by="operator",
            breach={"permohonan": 0.10, "verifikasi_skp": 0.30, "publikasi": 0.12, "pembayaran": 0.35},
            durations={
                "informasi_hasil": lambda r, s: r.integers(3600, 4 * 3600, len(s)),
                "pelaksanaan_kegiatan": lambda r, s: (r.integers(3, 21, len(s)) + r.integers(1, 4, len(s))) * DAY_S,
            },
            result_attr=("informasi_hasil", "skp_result"),
        ))
    return batches


def _akun(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger) -> list[CaseBatch]:
    count = ctx.scale.akun_cases
    now_s = _now_s(ctx)
    opened = _office_times(ctx, rng, now_s - 365 * DAY_S, now_s - DAY_S // 4, count)
    kind = rng.permutation(np.repeat([0, 1, 2], _shares(count, (0.3, 0.6, 0.1))))
    channel = np.where(rng.random(count) < 0.65, "whatsapp", "email")
    service = rng.choice(data.SERVICES, count)
    people = person_names(rng, count, 0.6).tolist()
    quick = {"terima_akun": lambda r, s: r.integers(60, 3600, len(s)),
             "terima_permintaan": lambda r, s: r.integers(60, 3600, len(s))}
    batches = []
    for number, (flow, path, outcome) in enumerate(data.AKUN_PATHS):
        index = np.flatnonzero(kind == number)
        batches.append(CaseBatch(
            sop="AKUN",
            path=path,
            refs=[f"AKUN-{i + 1:06d}" for i in index.tolist()],
            opened=opened[index],
            subjects=[data.akun_subject(flow, service[i], people[i]) for i in index.tolist()],
            outcome=outcome,
            attrs=[{"flow": flow, "channel": str(channel[i]), "service": str(service[i]), "requester": people[i],
                    "account_name": data.account_name(service[i], i)} for i in index.tolist()],
            source="form",
            recorded_by="operator",
            channel=channel[index].tolist(),
            breach={"tanggapan_akun": 0.06, "pertimbangan_akses": 0.07},
            durations=quick,
            result_attr=("pertimbangan_akses", "access") if flow == "pemberian_akses" else None,
            flow=flow,
        ))
    return batches


def _ws(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger) -> list[CaseBatch]:
    count = ctx.scale.ws_cases
    now_s = _now_s(ctx)
    opened = _office_times(ctx, rng, now_s - 730 * DAY_S, now_s - DAY_S // 4, count)
    expiring = rng.choice(count, max(2, count // 25), replace=False)
    opened[expiring] = _office_times(ctx, rng, now_s - 362 * DAY_S, now_s - 338 * DAY_S, len(expiring))
    order = np.argsort(opened, kind="stable")
    opened = opened[order]
    fake = ctx.faker("webservice")
    contacts = person_names(rng, count, 0.5).tolist()
    units = rng.choice(data.WS_UNITS, count)
    scopes = rng.choice(data.WS_SCOPES, count)
    attrs = [{
        "unit": str(units[i]), "data_scope": str(scopes[i]), "contact": contacts[i], "nip": data.nip(rng),
        "phone": fake.phone_number(), "email": data.email_of(contacts[i], i),
    } for i in range(count)]
    return [CaseBatch(
        sop="WS",
        path=[(key, None) for key in data.WS_PATH],
        refs=[f"WS-{i + 1:05d}" for i in range(count)],
        opened=opened,
        subjects=[f"Permohonan webservice {a['unit']}: {a['data_scope']}" for a in attrs],
        outcome="selesai",
        attrs=attrs,
        source="api",
        recorded_by="api:persuratan",
        channel=["surat"] * count,
        breach={"buat_akun": 0.20, "surat_balasan": 0.12},
    )]


def _h2h(ctx: DemoContext, rng: np.random.Generator, campus: Campus, ledger: Ledger) -> list[CaseBatch]:
    now_s = _now_s(ctx)
    periods = [(code, kind) for code in opened_semesters(ctx.today)
               for kind in (("registrasi", "herregistrasi") if code.endswith("1") else ("herregistrasi",))]
    periods = [(c, k) for c, k in periods if billing_opens(c) >= ctx.today - np.timedelta64(400, "D")]

    def seconds(day) -> int:
        return int(np.datetime64(day, "s").astype(np.int64)) - int(ctx.offset.astype(np.int64))

    opened = np.array([seconds(billing_opens(c) - np.timedelta64(16, "D")) + 9 * 3600 for c, _ in periods], np.int64)
    due_s = np.array([seconds(due_date(c, k) + np.timedelta64(1, "D")) for c, k in periods], np.int64)
    setup = CaseBatch(
        sop="H2H",
        path=data.H2H_SETUP,
        refs=[f"TAGIHAN-{k.upper()}-{c}" for c, k in periods],
        opened=opened,
        subjects=[f"Setting tagihan {k} semester {c}" for c, k in periods],
        outcome="tidak",
        attrs=[{"semester": c, "kind": k} for c, k in periods],
        source="form",
        recorded_by="bendahara",
        breach={"setting_tagihan": 0.20, "monitoring_server": 0.05},
        durations={"pembayaran": lambda r, s: np.maximum(due_s - s, 3600)},
    )
    bills = ledger.bills
    paid_s = ledger.app_paid_at.astype("datetime64[s]").astype(np.int64)
    recent = np.flatnonzero(ledger.app_paid & (bills.kind != "sipenmatu")
                            & (paid_s > now_s - 365 * DAY_S) & (paid_s < now_s - DAY_S))
    chosen = np.sort(rng.choice(recent, min(len(recent), ctx.scale.h2h_problem_cases), replace=False))
    digits = bills.person_digits[chosen].tolist()
    problems = CaseBatch(
        sop="H2H",
        path=data.H2H_PROBLEM,
        refs=[f"KENDALA-{bills.semester[i]}-{d}" for i, d in zip(chosen.tolist(), digits)],
        opened=paid_s[chosen] - rng.integers(2 * 3600, 20 * 3600, len(chosen)),
        subjects=[f"Status belum terbayar di aplikasi: {bills.payer[i]} (P{d})"
                  for i, d in zip(chosen.tolist(), digits)],
        outcome="ya",
        attrs=[{"nim": f"P{d}", "semester": str(bills.semester[i]), "va_number": str(ledger.va[i]),
                "amount": int(bills.amount[i])} for i, d in zip(chosen.tolist(), digits)],
        source="form",
        recorded_by="operator",
        breach={"pengecekan_pembayaran": 0.15},
        durations={"pembayaran": lambda r, s: r.integers(3600, 8 * 3600, len(s))},
        performers=bills.payer[chosen].tolist(),
    )
    return [setup, problems]
