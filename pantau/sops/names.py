"""What a reader calls an SOP: its code and a short title, "KTM · Pembuatan KTM", on every page, report, alert
and command that names one. The code is the campus's own word (KTM, KSO); the title says what it is about to a
director who does not know the codes. The title is the SOP file's `short_name`, else its name shortened."""

from __future__ import annotations

from collections.abc import Mapping

from pantau.sops.models import Sop

SHORT_MAX = 48


def short_title(sop: Sop) -> str:
    """The SOP's short title: its `short_name`, else its name cut at a word within `SHORT_MAX` characters."""
    if sop.short_name:
        return sop.short_name
    if len(sop.name) <= SHORT_MAX:
        return sop.name
    return sop.name[:SHORT_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def sop_label(code: str, catalogue: Mapping[str, Sop]) -> str:
    """"<code> · <short title>"; the code alone when the catalogue has no such SOP (any more)."""
    sop = catalogue.get(code)
    return f"{code} · {short_title(sop)}" if sop is not None else code


def sop_labels(catalogue: Mapping[str, Sop]) -> dict[str, str]:
    """Every catalogue SOP's label by its code."""
    return {code: sop_label(code, catalogue) for code in catalogue}
