"""Bills of every kind and the payment application's record of what was paid.

Students get a registrasi bill in their first semester and a herregistrasi bill each semester after
(UKT by programme and group); applicants who got a payment token get a sipenmatu bill for the
wave's fee. Payments cluster in the days before the due date, a few come late, about a tenth never
come; some UKT bills are paid in two instalments and a few stop after the first. The bank's side
of each payment is returned as credits for `app.demo.bank`, which also holds the deliberate
mismatches between the two sides.
"""

from __future__ import annotations

import numpy as np

from app.demo import payments
from app.demo.bill_arrays import Bills, concat
from app.demo.campus import Campus
from app.demo.context import DemoContext, join_text, mapped
from app.demo.semesters import billing_opens, due_date, nth_semester
from app.demo.tokens import Admissions
from pantau.models import Bill, BillVa, Payment

KIND_DIGIT = {"registrasi": "1", "herregistrasi": "2", "sipenmatu": "3"}
KIND_PREFIX = {"registrasi": "REG", "herregistrasi": "HER", "sipenmatu": "SPM"}
VA_PREFIX = {"bni": "9881071", "briva": "77241", "snap": "8808315"}
VA_BANK = {"bni": "bni", "briva": "bri", "snap": "bsi"}
"""The bank of each feed's VAs (the SNAP feed is BSI's)."""
EXTRA_VA_PREFIX = {"bni": "9881071", "bri": "77241", "mandiri": "89508"}
"""Further VAs a bill may be paid to (a campus with accounts at the three state banks offers each)."""
SECOND_VA = 0.3
THIRD_VA = 0.1
NO_VA = 0.03
UNDATED = 0.5
"""Shares of bills with a second and a third VA, of bills without VA (cash at the counter; in the demo only
among bills nobody pays, so the bank's side stays as it was), and of those without a due date (their age
counts from the day they were issued)."""
SOURCE = "demo"


def bill_numbers(kind: np.ndarray, semester: np.ndarray, bank: np.ndarray,
                 digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bill number ("HER-20261-272202501017") and the virtual account: the bank's prefix, the
    semester, the kind's digit, then the NIM or registration digits ("9881071" "261" "2" "2722...")."""
    source_key = join_text(mapped(kind, KIND_PREFIX), "-", semester, "-", digits)
    va = join_text(mapped(bank, VA_PREFIX), np.strings.slice(semester, 2, None), mapped(kind, KIND_DIGIT), digits)
    return source_key, va


def student_bills(campus: Campus, rng: np.random.Generator) -> Bills:
    """One bill per student and billed semester; a drop-out's last bill stays unpaid."""
    per_student = np.where(campus.dropout_at >= 0, campus.dropout_at + 1, campus.billed_semesters)
    owner = np.repeat(np.arange(len(campus.nim)), per_student)
    index = np.arange(len(owner)) - np.repeat(np.cumsum(per_student) - per_student, per_student)
    intake = campus.angkatan[owner]
    first = int(intake.min()) if len(intake) else 0
    pairs, position = np.unique((intake - first) * 16 + index, return_inverse=True)
    codes = [nth_semester(first + int(p) // 16, int(p) % 16) for p in pairs.tolist()]
    kinds = ["registrasi" if p % 16 == 0 else "herregistrasi" for p in pairs.tolist()]
    semester = np.array(codes)[position]
    kind = np.array(kinds)[position]
    opens = np.array([billing_opens(c) for c in codes], dtype="datetime64[D]")[position]
    due = np.array([due_date(c, k) for c, k in zip(codes, kinds)], dtype="datetime64[D]")[position]
    never = rng.random(len(owner)) < np.where(kind == "registrasi", 0.04, 0.09)
    never |= index == campus.dropout_at[owner]
    bank = campus.bank[owner]
    digits = np.strings.slice(campus.nim[owner], 1, None)
    source_key, va = bill_numbers(kind, semester, bank, digits)
    return Bills(
        kind=kind,
        student=campus.student_id[owner],
        applicant=np.zeros(len(owner), dtype=np.int64),
        payer=campus.name[owner],
        prodi=campus.prodi_ids[campus.prodi[owner]],
        angkatan=intake,
        semester=semester,
        amount=campus.ukt[owner],
        bank=bank,
        person_digits=digits,
        opens=opens,
        due=due,
        token_at=np.full(len(owner), np.datetime64("NaT"), dtype="datetime64[s]"),
        never_pays=never,
        source_key=source_key,
        va=va,
    )


def applicant_bills(admissions: Admissions, prodi_ids: np.ndarray, rng: np.random.Generator) -> Bills:
    """A sipenmatu bill for every applicant who got a payment token, due at the wave's payment deadline."""
    count = len(admissions.applicant_id)
    kind = np.full(count, "sipenmatu")
    semester = np.strings.add(admissions.intake.astype("U4"), "1")
    digits = np.strings.slice(admissions.reg_no, 3, None)
    source_key, va = bill_numbers(kind, semester, admissions.bank, digits)
    return Bills(
        kind=kind,
        student=np.zeros(count, dtype=np.int64),
        applicant=admissions.applicant_id,
        payer=admissions.name,
        prodi=prodi_ids[admissions.prodi],
        angkatan=np.zeros(count, dtype=np.int64),
        semester=semester,
        amount=admissions.fee,
        bank=admissions.bank,
        person_digits=digits,
        opens=admissions.token_issued_at.astype("datetime64[D]"),
        due=admissions.deadline,
        token_at=admissions.token_issued_at,
        never_pays=rng.random(count) < 0.14,
        source_key=source_key,
        va=va,
    )


def without_va(bills: Bills, rng: np.random.Generator) -> np.ndarray:
    """Which bills have no VA: a share of those nobody pays (paid at the counter, if ever)."""
    return bills.never_pays & (rng.random(len(bills)) < NO_VA / 0.09)


def bill_vas(va: np.ndarray, bank: np.ndarray, digits: np.ndarray, semester: np.ndarray, kind: np.ndarray,
             rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The ``bill_vas`` rows: each bill's own VA first (its feed's bank), then for a share of bills a VA at
    one or two of the other state banks; none for a bill without VA (``va`` empty)."""
    ids = np.arange(1, len(va) + 1)
    own = mapped(bank, VA_BANK)
    draw = rng.random(len(va))
    columns = {"bill_id": [ids], "bank": [own], "va_number": [va], "position": [np.zeros(len(va), dtype=np.int64)]}
    tail = join_text(np.strings.slice(semester, 2, None), mapped(kind, KIND_DIGIT), digits)
    for position, share in ((1, SECOND_VA), (2, THIRD_VA)):
        chosen = np.flatnonzero((va != "") & (draw < share))
        others = [[code for code in EXTRA_VA_PREFIX if code != mine][position - 1] for mine in own[chosen]]
        others = np.array(others, dtype="U16")
        columns["bill_id"].append(ids[chosen])
        columns["bank"].append(others)
        columns["va_number"].append(join_text(mapped(others, EXTRA_VA_PREFIX), tail[chosen]))
        columns["position"].append(np.full(len(chosen), position))
    keep = np.concatenate([va != "", *(np.ones(len(part), dtype=bool) for part in columns["bill_id"][1:])])
    return {name: np.concatenate(parts)[keep] for name, parts in columns.items()}


def generate(ctx: DemoContext, campus: Campus, admissions: Admissions) -> payments.Ledger:
    """Write bills and the application's payments; return the ledger of both sides for the bank feed."""
    rng = ctx.rng("billing")
    bills = concat([student_bills(campus, rng), applicant_bills(admissions, campus.prodi_ids, rng)])
    va_rng = ctx.rng("bill-vas")
    counter = without_va(bills, va_rng)
    bills.va = np.where(counter, "", bills.va)
    undated = counter & (va_rng.random(len(bills)) < UNDATED)
    vas = bill_vas(bills.va, bills.bank, bills.person_digits, bills.semester, bills.kind, va_rng)
    ledger = payments.settle(ctx, rng, bills, vas)
    count = len(bills)
    ids = np.arange(1, count + 1)
    created = ctx.utc_of_local(bills.opens) + np.timedelta64(8 * 3600, "s")
    created = np.where(np.isnat(bills.token_at), created, bills.token_at)
    updated = np.where(np.isnat(ledger.last_payment_at), created, ledger.last_payment_at)
    ctx.writer.insert(Bill.__table__, {
        "id": ids,
        "source": np.full(count, SOURCE),
        "source_key": bills.source_key,
        "kind": bills.kind,
        "student_id": np.where(bills.student > 0, bills.student.astype(object), None),
        "applicant_id": np.where(bills.applicant > 0, bills.applicant.astype(object), None),
        "payer_name": bills.payer,
        "prodi_id": bills.prodi,
        "angkatan": np.where(bills.angkatan > 0, bills.angkatan.astype(object), None),
        "semester": bills.semester,
        "amount": bills.amount,
        "va_number": np.where(ledger.va == "", None, ledger.va),
        "due_date": np.where(undated, np.datetime64("NaT"), bills.due),
        "issued_on": bills.opens,
        "app_paid": ledger.app_paid,
        "app_paid_at": ledger.app_paid_at,
        "app_paid_amount": ledger.app_paid_amount,
        "source_updated_at": updated,
        "synced_at": np.full(count, ctx.now64),
        "deleted_at": np.full(count, np.datetime64("NaT"), dtype="datetime64[s]"),
    }, step="bills")
    ctx.writer.insert(BillVa.__table__, vas, step="bill VAs")
    app = ledger.app_payments
    ctx.writer.insert(Payment.__table__, {
        "bill_id": app.bill + 1,
        "amount": app.amount,
        "paid_at": app.paid_at,
        "channel": np.strings.add(app.va_bank.astype(str), "-va"),
        "reference": app.reference,
    }, step="payments")
    return ledger
