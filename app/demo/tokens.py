"""Admission waves, applicants and the payment-token stock they draw down.

Two admission cycles: last year's four waves (closed) and this year's, placed around `now` so that
two waves are closed, the third is running with its token stock a few days from empty, and the
fourth opens soon. Each wave has a stock per channel; the bendahara tops it up shortly before it
runs out, except once in a closed wave, when applicants waited for the next top-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo.context import DAY, DAYTIME_HOURS, MINUTE, DemoContext, person_names, spread_local_times
from pantau.models import AdmissionWave, Applicant, PaymentPeriodExtension, TokenMovement

WAVES = (
    # number, name, opens and closes (days from today), share of the cycle's applicants, fee (Rp)
    (1, "Gelombang 1 (Jalur Prestasi)", -85, -56, 0.30, 200_000),
    (2, "Gelombang 2 (Jalur Reguler)", -52, -24, 0.30, 250_000),
    (3, "Gelombang 3 (Jalur Reguler)", -20, 10, 0.28, 250_000),
    (4, "Gelombang 4 (Susulan)", 14, 44, 0.12, 300_000),
)
CHANNELS = np.array(["bank-bni", "bank-bri", "online"])
CHANNEL_SHARES = np.array([0.45, 0.30, 0.25])
CHANNEL_BANK = {"bank-bni": "bni", "bank-bri": "briva", "online": "snap"}
PAY_DAYS_AFTER_CLOSE = 3
CYCLE_DAYS = 364
PRODI_DEMAND = np.array([1.8, 1.5, 1.3, 1.1, 1.0, 0.8, 0.8, 0.8, 0.9, 1.0, 0.5, 0.4])
BENDAHARA = "bendahara"
SYSTEM = "sipenmatu"


@dataclass
class Admissions:
    """Applicants who got a payment token, for their sipenmatu bills."""

    applicant_id: np.ndarray
    reg_no: np.ndarray
    name: np.ndarray
    prodi: np.ndarray
    intake: np.ndarray
    bank: np.ndarray
    fee: np.ndarray
    token_issued_at: np.ndarray
    deadline: np.ndarray


def generate(ctx: DemoContext, academic_year: int, prodi_ids: np.ndarray) -> Admissions:
    """Write waves, extensions, applicants and token movements; return the applicants with tokens."""
    rng = ctx.rng("tokens")
    waves, extensions = _waves(ctx, academic_year)
    columns = [column.name for column in AdmissionWave.__table__.columns]
    ctx.writer.insert(AdmissionWave.__table__, {name: [wave[name] for wave in waves] for name in columns})
    ctx.writer.insert(PaymentPeriodExtension.__table__, {k: [e[k] for e in extensions] for k in extensions[0]})
    applicants: list[dict[str, np.ndarray]] = []
    movements: list[dict[str, np.ndarray]] = []
    for wave in waves:
        if wave["opens_on"] > ctx.today:
            continue
        current = wave["closes_on"] >= ctx.today
        stockout = wave["number"] == 2 and wave["year"] == academic_year + 1
        for channel in CHANNELS:
            arrivals = _arrivals(ctx, rng, wave, channel)
            late_topup = stockout and channel == CHANNELS[0]
            plan = _supply_plan(ctx, rng, wave, arrivals, current=current, stockout=late_topup)
            issued = _issue(arrivals, plan)
            applicants.append({
                "arrived_at": arrivals, "token_issued_at": issued,
                "wave": np.full(len(arrivals), wave["id"]), "channel": np.full(len(arrivals), channel),
            })
            movements.append(_movements(ctx, wave["id"], channel, plan, issued))
    return _write_applicants(ctx, rng, waves, applicants, movements, prodi_ids)


def _waves(ctx: DemoContext, academic_year: int) -> tuple[list[dict], list[dict]]:
    """Last cycle's waves (a year earlier, same weekdays) and this cycle's, with their extensions."""
    waves, extensions = [], []
    for cycle, shift in ((academic_year, -CYCLE_DAYS), (academic_year + 1, 0)):
        for number, name, opens, closes, share, fee in WAVES:
            closes_on = ctx.today + np.timedelta64(closes + shift, "D")
            deadline = closes_on + np.timedelta64(PAY_DAYS_AFTER_CLOSE, "D")
            wave = {
                "id": len(waves) + 1, "code": f"PMB{cycle}-G{number}", "name": f"{name} PMB {cycle}/{cycle + 1}",
                "year": cycle, "opens_on": ctx.today + np.timedelta64(opens + shift, "D"), "closes_on": closes_on,
                "payment_deadline": deadline, "number": number, "share": share, "fee": fee,
            }
            if number == 2 or (number == 3 and shift):
                wave["payment_deadline"] = deadline + np.timedelta64(4, "D")
                extensions.append({
                    "wave_id": wave["id"], "previous_deadline": deadline, "new_deadline": wave["payment_deadline"],
                    "recorded_by": BENDAHARA,
                    "recorded_at": ctx.utc_of_local(deadline - DAY) + np.timedelta64(14 * 3600 + 1200, "s"),
                    "note": "Perpanjangan masa pembayaran: banyak calon pendaftar belum membayar karena gangguan "
                            "layanan bank menjelang batas akhir.",
                })
            waves.append(wave)
    return waves, extensions


def _daily_rates(days: np.ndarray, opens: np.datetime64, closes: np.datetime64) -> np.ndarray:
    """Relative arrivals per day: fewer at weekends, a bump at opening, rising towards the close."""
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7
    weekday_factor = np.where(weekday == 5, 0.6, np.where(weekday == 6, 0.45, 1.0))
    since_open = (days - opens).astype(int)
    to_close = (closes - days).astype(int)
    return weekday_factor * (1 + 0.6 * np.exp(-since_open / 2)) * (1 + 2.2 * np.exp(-to_close / 4))


def _arrivals(ctx: DemoContext, rng: np.random.Generator, wave: dict, channel: str) -> np.ndarray:
    all_days = np.arange(wave["opens_on"], wave["closes_on"] + DAY, dtype="datetime64[D]")
    rates = _daily_rates(all_days, wave["opens_on"], wave["closes_on"])
    share = CHANNEL_SHARES[list(CHANNELS).index(channel)]
    expected = rates / rates.sum() * ctx.scale.applicants_per_cycle * wave["share"] * share
    days = all_days[all_days <= ctx.today]
    counts = rng.poisson(expected[: len(days)])
    times = np.sort(spread_local_times(rng, np.repeat(days, counts), DAYTIME_HOURS, ctx))
    return times[times <= ctx.now64]


def _office_morning(ctx: DemoContext, rng: np.random.Generator, day: np.datetime64) -> np.datetime64:
    """A time between 08:30 and 10:30 WIB on `day`, moved to Monday when it falls on a weekend."""
    weekday = (int(day.astype("datetime64[D]").view("int64")) - 4) % 7
    if weekday >= 5:
        day = day + np.timedelta64(7 - weekday, "D")
    return ctx.utc_of_local(day) + np.timedelta64(int(8.5 * 3600 + rng.integers(0, 7200)), "s")


def _supply_plan(ctx: DemoContext, rng: np.random.Generator, wave: dict, arrivals: np.ndarray, *, current: bool,
                 stockout: bool) -> list[tuple[np.datetime64, int, str]]:
    """(time, quantity, kind) of the initial stock and the top-ups, sized from the demand they meet."""
    opened = ctx.utc_of_local(wave["opens_on"])
    length = int((min(wave["closes_on"], ctx.today) - wave["opens_on"]).astype(int)) + 1
    daily = max(1.0, len(arrivals) / max(1, length))
    lot = 10 if daily >= 5 else 1
    times = [_office_morning(ctx, rng, wave["opens_on"] + np.timedelta64(d, "D")) for d in range(6, length, 7)]
    times = [t for t in times if t < min(ctx.now64, ctx.utc_of_local(wave["closes_on"] + DAY))]
    plan = [(opened, 0, "initial")] + [(t, 0, "topup") for t in times]
    supplied = 0
    for index, (when, _, kind) in enumerate(plan):
        if index + 1 < len(plan):
            margin = rng.uniform(0.3, 0.9) * daily
            if stockout and index == 1:
                margin = -0.6 * daily
            target = np.searchsorted(arrivals, plan[index + 1][0]) + margin
        else:
            recent = np.count_nonzero(arrivals > ctx.now64 - 7 * DAY) / 7 if current else daily
            target = len(arrivals) + (rng.uniform(3.8, 5.6) if current else rng.uniform(0.5, 2.5)) * max(recent, 1.0)
        quantity = int(np.ceil(max(target - supplied, 0) / lot) * lot)
        plan[index] = (when, quantity, kind)
        supplied += quantity
    return [step for step in plan if step[1] > 0 or step[2] == "initial"]


def _issue(arrivals: np.ndarray, plan: list[tuple[np.datetime64, int, str]]) -> np.ndarray:
    """Token time of each arrival: at once while stock lasts, else a few minutes after the next top-up."""
    times = np.array([step[0] for step in plan], dtype="datetime64[s]")
    supplied = np.cumsum([step[1] for step in plan])
    rank = np.arange(1, len(arrivals) + 1)
    step = np.minimum(np.searchsorted(supplied, rank), len(plan) - 1)
    waited = times[step] + np.timedelta64(3, "m") + (rank % 7) * MINUTE
    return np.where(times[step] > arrivals, waited, arrivals)


def _movements(ctx: DemoContext, wave_id: int, channel: str, plan: list, issued: np.ndarray) -> dict[str, np.ndarray]:
    """The plan's initial stock and top-ups, and one `issued` movement per day at that day's last token."""
    issued = np.sort(issued)
    day = ctx.local_date(issued)
    days, counts = np.unique(day, return_counts=True)
    last_time = issued[np.cumsum(counts) - 1]
    occurred = np.concatenate([np.array([p[0] for p in plan], dtype="datetime64[s]"), last_time])
    kinds = np.concatenate([np.array([p[2] for p in plan]), np.full(len(days), "issued")])
    return {
        "wave_id": np.full(len(occurred), wave_id),
        "channel": np.full(len(occurred), channel),
        "kind": kinds,
        "quantity": np.concatenate([[p[1] for p in plan], counts]).astype(int),
        "occurred_at": occurred,
        "recorded_by": np.where(kinds == "issued", SYSTEM, BENDAHARA),
        "recorded_at": occurred + np.where(kinds == "issued", 0, 240).astype("timedelta64[s]"),
        "note": np.where(kinds == "topup", "Penambahan token pembayaran: stok hampir habis",
                         np.where(kinds == "initial", "Stok awal token gelombang", None)),
    }


def _write_applicants(ctx: DemoContext, rng: np.random.Generator, waves: list[dict], applicants: list[dict],
                      movements: list[dict], prodi_ids: np.ndarray) -> Admissions:
    merged = {key: np.concatenate([part[key] for part in applicants]) for key in applicants[0]}
    order = np.lexsort((merged["arrived_at"], merged["wave"]))
    merged = {key: values[order] for key, values in merged.items()}
    count = len(order)
    by_id = {w["id"]: w for w in waves}
    intake = np.array([by_id[w]["year"] for w in merged["wave"]])
    number = np.array([by_id[w]["number"] for w in merged["wave"]])
    reg_no = np.array([f"PMB{y}{n}{i:06d}" for i, (y, n) in enumerate(zip(intake, number), start=1)])
    prodi = rng.choice(len(prodi_ids), size=count, p=PRODI_DEMAND / PRODI_DEMAND.sum())
    names = person_names(rng, count, 0.72)
    applicant_id = np.arange(1, count + 1)
    ctx.writer.insert(Applicant.__table__, {
        "id": applicant_id, "reg_no": reg_no, "name": names, "wave_id": merged["wave"], "prodi_id": prodi_ids[prodi],
        "channel": merged["channel"], "arrived_at": merged["arrived_at"],
        "token_issued_at": merged["token_issued_at"],
    }, step="applicants")
    moved = {key: np.concatenate([part[key] for part in movements]) for key in movements[0]}
    ctx.writer.insert(TokenMovement.__table__, moved, step="token movements")
    return Admissions(
        applicant_id=applicant_id,
        reg_no=reg_no,
        name=names,
        prodi=prodi,
        intake=intake,
        bank=np.array([CHANNEL_BANK[c] for c in merged["channel"]]),
        fee=np.array([by_id[w]["fee"] for w in merged["wave"]], dtype=np.int64),
        token_issued_at=merged["token_issued_at"],
        deadline=np.array([by_id[w]["payment_deadline"] for w in merged["wave"]], dtype="datetime64[D]"),
    )
