"""Reconciliation states and case kinds in words (English message ids, `payments.po`): what the payments page, the
audit log and alerts call them instead of their codes."""

from __future__ import annotations

from pantau.i18n import translate

STATE_WORDS = {
    "matched": "Matched", "partial": "Partly paid", "overpaid": "Overpaid", "no_bill": "Bank credit with no bill",
    "bank_paid_app_unpaid": "Paid at bank, unpaid in the app", "app_paid_no_bank": "Paid in the app, no bank credit",
    "duplicate": "Duplicate payment", "unpaid": "Unpaid",
}
"""Each reconciliation state (a case's kind is one of them) as its English message id."""


def state_words(code: str | None, lang: str = "id") -> str:
    """`bank_paid_app_unpaid` -> "Terbayar di bank, belum lunas di aplikasi"; an unknown code as it is."""
    return translate(STATE_WORDS[code], lang) if code in STATE_WORDS else (code or "–")
