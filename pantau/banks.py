"""Banks as Pantau names them: the codes a bill source's VA columns use (``va_bni``, ``va_mandiri``) and
the names the pages show instead (never the codes), and the bank a bank feed's notifications come from."""

from __future__ import annotations

import re

BANK_NAMES = {
    "bni": "BNI", "bri": "BRI", "mandiri": "Bank Mandiri", "bsi": "BSI", "btn": "BTN", "bca": "BCA",
    "cimb": "CIMB Niaga", "permata": "Bank Permata", "danamon": "Bank Danamon", "muamalat": "Bank Muamalat",
    "mega": "Bank Mega", "ocbc": "OCBC", "maybank": "Maybank", "jateng": "Bank Jateng", "jatim": "Bank Jatim",
    "bjb": "bank bjb", "dki": "Bank DKI", "diy": "BPD DIY", "nagari": "Bank Nagari", "sumut": "Bank Sumut",
    "kalbar": "Bank Kalbar", "kaltimtara": "Bankaltimtara", "sulselbar": "Bank Sulselbar", "bpd_bali": "BPD Bali",
    "ntb": "Bank NTB Syariah", "ntt": "Bank NTT", "papua": "Bank Papua", "riau": "BRK Syariah",
    "aceh": "Bank Aceh Syariah", "sumsel": "Bank Sumsel Babel", "lampung": "Bank Lampung",
}
"""Bank code -> the name readers know it by (a code not listed is shown in capitals)."""

CODE = re.compile(r"^[a-z][a-z0-9_]{1,15}$")
"""A bank code: lower case letters, digits and ``_``, at most 16 characters (``va_<code>`` columns)."""

NOTIFICATION_BANK = {"bni": "bni", "briva": "bri"}
"""The bank of a bank feed's notification format: BNI eCollection is BNI's, BRIVA is BRI's. SNAP is the
standard many banks speak, and statements and exports name an account rather than a bank, so their credits
match a VA of any bank."""


def bank_name(code: str | None) -> str | None:
    """The bank's name for its code; None for a VA whose bank is not known (synced before banks were kept, or
    given by a source as a bare ``va_number``)."""
    if not code:
        return None
    return BANK_NAMES.get(code, code.replace("_", " ").upper())
