"""Bills of every kind and the payment application's record of what was paid.

Students get a registrasi bill in their first semester and a herregistrasi bill each semester after
(UKT by programme and group); applicants who got a payment token get a sipenmatu bill for the
wave's fee. Payments cluster in the days before the due date, a few come late, about a tenth never
come; some UKT bills are paid in two instalments and a few stop after the first. The bank's side
of each payment is returned as credits for `pantau.demo.bank`, which also holds the deliberate
mismatches between the two sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pantau.demo import payments
from pantau.demo.campus import Campus
from pantau.demo.context import DemoContext
from pantau.demo.semesters import billing_opens, due_date, nth_semester
from pantau.demo.tokens import Admissions
from pantau.models import Bill, Payment

KIND_DIGIT = {"registrasi": "1", "herregistrasi": "2", "sipenmatu": "3"}
KIND_PREFIX = {"registrasi": "REG", "herregistrasi": "HER", "sipenmatu": "SPM"}
VA_PREFIX = {"bni": "9881071", "briva": "77241", "snap": "8808315"}
PAYMENT_CHANNEL = {"bni": "bni-va", "briva": "bri-va", "snap": "bsi-va"}


@dataclass
class Bills:
    """Bills as parallel arrays, positions 0..n-1 (ids are position + 1)."""

    kind: np.ndarray
    student: np.ndarray
    applicant: np.ndarray
    payer: np.ndarray
    prodi: np.ndarray
    angkatan: np.ndarray
    semester: np.ndarray
    amount: np.ndarray
    bank: np.ndarray
    person_digits: np.ndarray
    opens: np.ndarray
    due: np.ndarray
    token_at: np.ndarray
    never_pays: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def va(self) -> np.ndarray:
        """Virtual account: the bank's prefix, the semester, the bill kind, then the NIM or registration digits."""
        return np.array([
            f"{VA_PREFIX[b]}{s[2:]}{KIND_DIGIT[k]}{d}"
            for b, s, k, d in zip(self.bank.tolist(), self.semester.tolist(), self.kind.tolist(),
                                  self.person_digits.tolist())
        ])


def student_bills(campus: Campus, rng: np.random.Generator) -> Bills:
    """One bill per student and billed semester; a drop-out's last bill stays unpaid."""
    per_student = np.where(campus.dropout_at >= 0, campus.dropout_at + 1, campus.billed_semesters)
    owner = np.repeat(np.arange(len(campus.nim)), per_student)
    index = np.arange(len(owner)) - np.repeat(np.cumsum(per_student) - per_student, per_student)
    intake = campus.angkatan[owner]
    pairs = {(a, i): nth_semester(int(a), int(i)) for a, i in set(zip(intake.tolist(), index.tolist()))}
    semester = np.array([pairs[(a, i)] for a, i in zip(intake.tolist(), index.tolist())])
    kind = np.where(index == 0, "registrasi", "herregistrasi")
    windows = {(s, k): (billing_opens(s), due_date(s, k)) for s, k in set(zip(semester.tolist(), kind.tolist()))}
    opens = np.array([windows[(s, k)][0] for s, k in zip(semester.tolist(), kind.tolist())], dtype="datetime64[D]")
    due = np.array([windows[(s, k)][1] for s, k in zip(semester.tolist(), kind.tolist())], dtype="datetime64[D]")
    never = rng.random(len(owner)) < np.where(kind == "registrasi", 0.04, 0.09)
    never |= index == campus.dropout_at[owner]
    return Bills(
        kind=kind,
        student=campus.student_id[owner],
        applicant=np.zeros(len(owner), dtype=np.int64),
        payer=campus.name[owner],
        prodi=campus.prodi_ids[campus.prodi[owner]],
        angkatan=intake,
        semester=semester,
        amount=campus.ukt[owner],
        bank=campus.bank[owner],
        person_digits=np.strings.slice(campus.nim[owner], 1, None),
        opens=opens,
        due=due,
        token_at=np.full(len(owner), np.datetime64("NaT"), dtype="datetime64[s]"),
        never_pays=never,
    )


def applicant_bills(admissions: Admissions, prodi_ids: np.ndarray, rng: np.random.Generator) -> Bills:
    """A sipenmatu bill for every applicant who got a payment token, due at the wave's payment deadline."""
    count = len(admissions.applicant_id)
    return Bills(
        kind=np.full(count, "sipenmatu"),
        student=np.zeros(count, dtype=np.int64),
        applicant=admissions.applicant_id,
        payer=admissions.name,
        prodi=prodi_ids[admissions.prodi],
        angkatan=np.zeros(count, dtype=np.int64),
        semester=np.array([f"{y}1" for y in admissions.intake.tolist()]),
        amount=admissions.fee,
        bank=admissions.bank,
        person_digits=np.strings.slice(admissions.reg_no, 3, None),
        opens=admissions.token_issued_at.astype("datetime64[D]"),
        due=admissions.deadline,
        token_at=admissions.token_issued_at,
        never_pays=rng.random(count) < 0.14,
    )


def concat(parts: list[Bills]) -> Bills:
    fields = Bills.__dataclass_fields__
    return Bills(**{name: np.concatenate([getattr(part, name) for part in parts]) for name in fields})


def generate(ctx: DemoContext, campus: Campus, admissions: Admissions) -> payments.Ledger:
    """Write bills and the application's payments; return the ledger of both sides for the bank feed."""
    rng = ctx.rng("billing")
    bills = concat([student_bills(campus, rng), applicant_bills(admissions, campus.prodi_ids, rng)])
    ledger = payments.settle(ctx, rng, bills)
    count = len(bills)
    ids = np.arange(1, count + 1)
    source_key = np.array([
        f"{KIND_PREFIX[k]}-{s}-{d}" for k, s, d in zip(bills.kind.tolist(), bills.semester.tolist(),
                                                    bills.person_digits.tolist())
    ])
    created = ctx.utc_of_local(bills.opens) + np.timedelta64(8 * 3600, "s")
    created = np.where(np.isnat(bills.token_at), created, bills.token_at)
    updated = np.where(np.isnat(ledger.last_payment_at), created, ledger.last_payment_at)
    ctx.writer.insert(Bill.__table__, {
        "id": ids,
        "source_key": source_key,
        "kind": bills.kind,
        "student_id": np.where(bills.student > 0, bills.student.astype(object), None),
        "applicant_id": np.where(bills.applicant > 0, bills.applicant.astype(object), None),
        "payer_name": bills.payer,
        "prodi_id": bills.prodi,
        "angkatan": np.where(bills.angkatan > 0, bills.angkatan.astype(object), None),
        "semester": bills.semester,
        "amount": bills.amount,
        "va_number": ledger.va,
        "due_date": bills.due,
        "app_paid": ledger.app_paid,
        "app_paid_at": ledger.app_paid_at,
        "app_paid_amount": ledger.app_paid_amount,
        "source_updated_at": updated,
        "synced_at": np.full(count, ctx.now64),
        "deleted_at": np.full(count, np.datetime64("NaT"), dtype="datetime64[s]"),
    }, step="bills")
    app = ledger.app_payments
    ctx.writer.insert(Payment.__table__, {
        "bill_id": app.bill + 1,
        "amount": app.amount,
        "paid_at": app.paid_at,
        "channel": np.array([PAYMENT_CHANNEL[b] for b in bills.bank[app.bill].tolist()]),
        "reference": app.reference,
    }, step="payments")
    return ledger
