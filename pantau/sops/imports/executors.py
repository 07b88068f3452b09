"""Who performs a row of an SOP table: the marked Pelaksana column, else the column the activity names as
its subject ("Pemohon mengirimkan ...", "Divisi PSI menambah ...", also after a leading clause: "Sesuai arahan
pimpinan, divisi administrasi ..."), else, in a table of two parties (the one who asks and the one who serves),
the party the activity's wording points to (`counterpart`), else nobody (for the reviewer).

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
_LEADING_CLAUSE = re.compile(r"^\W*(?:sesuai|setelah|apabila|jika|bila|berdasarkan|atas)\b[^,]{0,80},\s*", re.I)
"""A leading adverbial clause ("Sesuai arahan pimpinan, ..."): the subject follows its comma."""
_REQUESTER = re.compile(r"pemohon|pengguna|mahasiswa|\bmhs\b|pendaftar|pengirim")
"""A Pelaksana column of the party who asks (the applicant, the user, the student)."""
_ASKER_FIRST = ("pengirim", "pemohon", "pengguna")
"""An activity opening with one of these words is the asking party's ("Pengirim memberikan jawaban ...")."""
_ASKS = re.compile(r"^(?:mengirim|mengajukan|menyampaikan permohonan|mengisi|mendaftar|pendaftaran|membayar|"
                   r"(?:melakukan )?pembayaran|"
                   r"menerima (?:tanggapan|balasan|jawaban))\b")
"""Opening words of the asking party: sending, applying, registering, paying, receiving the answer."""
_SERVES = re.compile(r"^(?:mendapatkan pesan|menerima pesan|menerima permohonan|menerima berkas|memproses|"
                     r"memverifikasi)\b|\b(?:pemberian akses|akses diberikan|akses ditolak)\b")
"""Wording of the serving party: receiving the request, processing it, granting or refusing access."""
_TO = re.compile(r"\b(?:kepada|ke)\s+(\w+(?:\s+\w+)?)")
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
    """The Pelaksana column an activity names within its first words (its subject, after a leading clause such
    as "Sesuai arahan pimpinan,"), or None."""
    words = re.findall(r"[\w/]+", _LEADING_CLAUSE.sub("", activity).lower())
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


def counterpart(activity: str, columns: list[str]) -> str | None:
    """Where one Pelaksana column is the asking party (Pemohon, Pengguna, Mahasiswa...), the column an activity
    without a subject belongs to by its wording: opening with "Pengirim ..." or a verb of asking, registering or
    paying ("Mengirim pesan", "Menerima tanggapan", "Pendaftaran ...", "Pembayaran ...") is the asker's; in a
    table of just two columns, receiving, processing or granting ("Mendapatkan pesan masuk", "akses diberikan")
    or answering "kepada pengirim" is the other's. None when the words say neither."""
    askers = [column for column in columns if _REQUESTER.search(column.lower())]
    if len(askers) != 1:
        return None
    asker = askers[0]
    text = " ".join(re.findall(r"[\w/]+", re.sub(r"<[^>]+>", " ", activity).lower()))
    if text.split(" ", 1)[0] in _ASKER_FIRST or _ASKS.search(text):
        return asker
    if len(columns) != 2:
        return None
    server = next(column for column in columns if column != asker)
    if _SERVES.search(text):
        return server
    to = _TO.search(text)
    if to:
        named = to[1]
        if _REQUESTER.search(named) or any(named.startswith(alias) for alias in aliases(asker)):
            return server
        if any(named.startswith(alias) or alias.startswith(named) for alias in aliases(server)):
            return asker
    return None


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
