"""What people call a token channel: `bank-bni` is "Bank BNI", `online` is "Daring" (or as `[tokens]
channel_names` says)."""

from __future__ import annotations

from collections.abc import Mapping

from pantau.i18n import translate

WORDS = {"online": "Online", "offline": "Offline", "teller": "Bank teller", "loket": "Counter"}
"""English message ids of channel codes that are words (`pantau/locale/id/LC_MESSAGES/alerts.po`)."""


def channel_name(code: str, lang: str = "id", names: Mapping[str, str] | None = None) -> str:
    """The display name of token channel `code`: the configured one, else a bank's name in capitals
    (`bank-bri` → "Bank BRI"), else the word it stands for, else the code with spaces."""
    if names and code in names:
        return names[code]
    head, _, rest = code.partition("-")
    if head.lower() == "bank" and rest:
        return f"Bank {rest.replace('-', ' ').upper()}"
    if code.lower() in WORDS:
        return translate(WORDS[code.lower()], lang)
    return code.replace("-", " ").replace("_", " ")
