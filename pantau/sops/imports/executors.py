"""Who performs a row of an SOP table: the marked Pelaksana column, else the column the activity names as
its subject ("Pemohon mengirimkan ...", "Divisi PSI menambah ..."), else nobody (for the reviewer).

Also what a row's words tell besides: an outside party doing the work ("... oleh kolegium", a body that is
none of the Pelaksana columns) and the Pantau role a column most likely answers to.
"""

from __future__ import annotations

import re

from pantau.sops.models import PerformerRole

ABBREVIATIONS = {"mhs": "mahasiswa", "adm": "administrasi", "ka": "kepala", "kasubbag": "kepala sub bagian",
                 "subbag": "sub bagian", "bag": "bagian", "tu": "tata usaha"}
"""Short forms SOP tables use in their Pelaksana headings, and the word an activity spells out."""

BRANCH_WORDS = ("ya", "tidak", "setuju", "tidak setuju", "ditolak", "tolak", "diterima", "lengkap",
                "tidak lengkap", "sesuai", "tidak sesuai", "diberikan", "disetujui", "ok")
_SUBJECT_WORDS = 3
_BY = re.compile(r"\boleh\s+([A-Za-z][\w/-]*(?:\s+[A-Z][\w/-]*){0,2})")
_ROLES = ((PerformerRole.BENDAHARA, r"bendahara|keuangan"),
          (PerformerRole.DIREKTUR, r"direktur|wadir|pimpinan(?! upt)"),
          (PerformerRole.KEPALA_IT, r"\bit\b|\btik\b|\bpsi\b|teknologi informasi|pusat data"))


def aliases(column: str) -> list[str]:
    """The ways an activity may name a Pelaksana column: its name, each part of "A / B", abbreviations spelt out."""
    names = [column, *(part.strip() for part in column.split("/") if part.strip())]
    spelt = [" ".join(ABBREVIATIONS.get(word.lower(), word) for word in name.split()) for name in names]
    return [name.lower() for name in dict.fromkeys(names + spelt)]


def is_branch_label(text: str) -> bool:
    return " ".join(text.lower().strip(" .:").split()) in BRANCH_WORDS


def subject(activity: str, columns: list[str]) -> str | None:
    """The Pelaksana column an activity names within its first words (its subject), or None."""
    words = re.findall(r"[\w/]+", activity.lower())
    opening = " ".join(words[:_SUBJECT_WORDS + 2])
    best: tuple[int, int, str] | None = None
    for order, column in enumerate(columns):
        for alias in aliases(column):
            match = re.search(rf"(?<![\w]){re.escape(alias)}(?![\w])", opening)
            if match is None and len(alias) <= 4 and alias.isalpha():
                match = re.search(rf"(?<![\w]){re.escape(alias)}\w*", opening)
            if match and len(opening[:match.start()].split()) < _SUBJECT_WORDS:
                candidate = (match.start(), order, column)
                best = candidate if best is None or candidate < best else best
    return best[2] if best else None


def outside_party(activity: str, columns: list[str]) -> str | None:
    """The body named after "oleh" when it is none of the Pelaksana columns: a wait on someone outside."""
    match = _BY.search(activity)
    if match is None:
        return None
    who = match[1].strip()
    known = [alias for column in columns for alias in aliases(column)]
    if any(who.lower().startswith(alias) or alias.startswith(who.lower()) for alias in known):
        return None
    return who[:1].upper() + who[1:]


def likely_role(performer: str) -> PerformerRole:
    """The Pantau role a performer's name suggests; operator when nothing does."""
    low = performer.lower()
    return next((role for role, pattern in _ROLES if re.search(pattern, low)), PerformerRole.OPERATOR)
