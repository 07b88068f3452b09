"""Banks as Pantau names them: the codes a bill source's VA columns use (``va_bni``, ``va_mandiri``) and
the names the pages show instead (never the codes), the bank a bank feed's notifications come from, and the
``[banks]`` settings that tell the bank of the campus's accounts and SNAP biller codes."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
standard many banks speak, and statements and exports name an account rather than a bank: their credits
have the bank ``[banks]`` gives their account or SNAP biller code (:class:`BankSettings`), else match a VA of
any bank."""

ACCOUNT = re.compile(r"^[A-Z0-9]{1,34}$")
SEPARATORS = re.compile(r"[\s.\-]+")


def account_key(account: str) -> str:
    """An account number as ``[banks] accounts`` and the reconciliation compare it: without spaces, dots and
    dashes, in capitals (``123-00-0765432-1`` -> ``1230007654321``)."""
    return SEPARATORS.sub("", account).upper()


class BankSettings(BaseModel):
    """The ``[banks]`` section: the bank of each of the campus's accounts (``accounts``, account number -> bank
    code), and of each SNAP biller code (``snap_partners``, ``partnerServiceId`` -> bank code; the VA numbers of
    a SNAP notification start with it). A statement or export credit to a listed account, or a SNAP
    notification of a listed biller code, pays only VAs of that bank (or whose bank is not known); others
    match a VA of any bank."""

    model_config = ConfigDict(extra="forbid")

    accounts: dict[str, str] = Field(default_factory=dict)
    snap_partners: dict[str, str] = Field(default_factory=dict)

    @field_validator("accounts")
    @classmethod
    def _accounts(cls, value: dict[str, str]) -> dict[str, str]:
        keys = {}
        for account, bank in value.items():
            key = account_key(account)
            if not ACCOUNT.match(key):
                raise ValueError(f"account {account!r} is not an account number (letters and digits, at most 34)")
            keys[key] = _bank_code(bank)
        return keys

    @field_validator("snap_partners")
    @classmethod
    def _partners(cls, value: dict[str, str]) -> dict[str, str]:
        keys = {}
        for partner, bank in value.items():
            key = re.sub(r"\s+", "", partner)
            if not re.fullmatch(r"[0-9]{1,8}", key):
                raise ValueError(f"partnerServiceId {partner!r} is not a SNAP biller code (at most 8 digits)")
            keys[key] = _bank_code(bank)
        return keys

    def account_bank(self, account: str | None) -> str | None:
        """The bank of a stored account (``0987654321`` or ``BNINIDJA/0987654321``), None when not listed."""
        if not account:
            return None
        key = account_key(account)
        return self.accounts.get(key) or self.accounts.get(key.rsplit("/", 1)[-1])


def _bank_code(bank: str) -> str:
    if not CODE.match(bank):
        raise ValueError(f"{bank!r} is not a bank code (lower case, as the VA columns name it: bni, bri, mandiri)")
    return bank


def bank_name(code: str | None) -> str | None:
    """The bank's name for its code; None for a VA whose bank is not known (synced before banks were kept, or
    given by a source as a bare ``va_number``)."""
    if not code:
        return None
    return BANK_NAMES.get(code, code.replace("_", " ").upper())
