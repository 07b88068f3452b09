"""The `ktm-photos` collector: before KTM data goes to the bank, does every student have one photo?

It compares an intake's NIM list (the students of that intake in the store, or a CSV with a `nim`
column and an optional `batch` column) with a folder of photos named by NIM (`P27220024001.jpg`) and
reports missing photos, extra photos (a NIM not on the list) and mismatched files: a name that is not
a NIM, a file that is not a JPEG or PNG by its first bytes (or whose extension says otherwise), one
that cannot be read, and one NIM with several files. The result replaces the intake's row in
`ktm_photo_checks`; each batch not yet sent to the bank that has students without a usable photo
raises an alert to the operators, cleared once the photos are there or the batch has gone.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.ktm import STORE_LIST, KtmPhotoSettings, ktm_settings
from pantau.models import Alert, KtmPhotoCheck, SopCase, Student, utcnow
from queries import ktm as ktm_queries

from .base import Collector, CollectorResult
from .registry import register

SOURCE = "ktm-photos"
SIGNATURES = {"jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
EXTENSIONS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
LISTED_IN_ALERT = 20
@dataclass
class PhotoCheck:
    """What one comparison found; `unusable` are listed NIMs without a usable photo (missing or bad)."""

    students: int
    photos: int
    issues: list[dict] = field(default_factory=list)
    unusable: set[str] = field(default_factory=set)

    def count(self, *problems: str) -> int:
        return sum(issue["problem"] in problems for issue in self.issues)


def read_nim_csv(path: Path) -> list[tuple[str, int | None]]:
    """(NIM, batch or None) per row of a CSV with a `nim` column and an optional `batch` column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            headers = [name.strip().lower() for name in reader.fieldnames or []]
            if "nim" not in headers:
                raise ValueError(f"{path}: line 1: no `nim` column (columns: {', '.join(headers) or 'none'})")
            rows = []
            for line, row in enumerate(reader, start=2):
                values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
                if not values["nim"]:
                    raise ValueError(f"{path}: line {line}: field nim is empty")
                batch = values.get("batch") or None
                if batch is not None and not batch.isdigit():
                    raise ValueError(f"{path}: line {line}: field batch is not a whole number: {batch!r}")
                rows.append((values["nim"].upper(), int(batch) if batch else None))
            return rows
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read: {error}") from None


def check_photos(nims: Iterable[str], folder: Path, nim_pattern: str) -> PhotoCheck:
    """Compare the NIMs with the photo files in `folder` (hidden files and subfolders are ignored)."""
    if not folder.is_dir():
        raise ValueError(f"photo folder {folder} does not exist or is not a folder")
    listed = {nim.strip().upper() for nim in nims}
    pattern = re.compile(nim_pattern)
    files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))
    check = PhotoCheck(students=len(listed), photos=len(files))
    by_nim: dict[str, list[str]] = defaultdict(list)
    usable: set[str] = set()
    for path in files:
        stem, _, extension = path.name.rpartition(".") if "." in path.name else (path.name, "", "")
        nim = stem.upper()
        if not pattern.match(nim):
            check.issues.append({"problem": "bad_name", "nim": None, "file": path.name})
            continue
        by_nim[nim].append(path.name)
        problem = _image_problem(path, extension.lower())
        if problem:
            check.issues.append({"problem": problem, "nim": nim, "file": path.name})
        else:
            usable.add(nim)
    for nim, names in sorted(by_nim.items()):
        if len(names) > 1:
            check.issues.append({"problem": "duplicate", "nim": nim, "file": ", ".join(names)})
        if nim not in listed:
            check.issues.append({"problem": "extra", "nim": nim, "file": names[0]})
    for nim in sorted(listed - by_nim.keys()):
        check.issues.append({"problem": "missing", "nim": nim, "file": None})
    check.unusable = listed - usable
    return check


def _image_problem(path: Path, extension: str) -> str | None:
    """None for a JPEG or PNG whose first bytes match its extension, else `not_image` or `unreadable`."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return "unreadable"
    kind = EXTENSIONS.get(extension)
    return None if kind and head.startswith(SIGNATURES[kind]) else "not_image"


def newest_intake(session: Session) -> int | None:
    """The newest intake with KTM cases, else the newest intake in the student register."""
    newest = session.scalar(select(func.max(ktm_queries.intake_key("intake")))
                            .where(SopCase.sop_code == ktm_queries.SOP))
    return int(newest) if newest is not None else session.scalar(select(func.max(Student.angkatan)))


def save_check(session: Session, intake: int, config: KtmPhotoSettings, nim_source: str, check: PhotoCheck,
               blocked: list[int | None]) -> None:
    """Replace the intake's stored result with this one."""
    values = dict(intake=intake, checked_at=utcnow(), nim_source=nim_source, photo_dir=str(config.photo_dir),
                  students=check.students, photos=check.photos, missing=check.count("missing"),
                  extra=check.count("extra"),
                  mismatched=check.count("bad_name", "not_image", "unreadable", "duplicate"),
                  blocked_batches=blocked, issues=check.issues)
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    statement = insert(KtmPhotoCheck).values(values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["intake"], set_={key: statement.excluded[key] for key in values if key != "intake"}))


def sync_alerts(session: Session, intake: int, blocked: dict[int | None, list[str]], folder: Path,
                language: str) -> int:
    """One alert per blocked batch to the operators of units the KTM SOP is assigned to; alerts of batches no
    longer blocked are cleared."""
    prefix = f"{SOURCE}:{intake}:"
    wanted = {}
    for batch, nims in blocked.items():
        key = prefix + ("-" if batch is None else str(batch))
        template = ("KTM intake {intake}: {count} students have no usable photo" if batch is None else
                    "KTM intake {intake}, batch {batch}: {count} students have no usable photo")
        listed = ", ".join(nims[:LISTED_IN_ALERT]) + (" …" if len(nims) > LISTED_IN_ALERT else "")
        link = f"/ktm?intake={intake}" + ("" if batch is None else f"&batch={batch}")
        wanted[key] = (lambda lang, template=template, batch=batch, count=len(nims), listed=listed: (
            translate(template, lang, intake=intake, batch=batch, count=count),
            translate("Photo folder: {folder}\nNIM: {nims}", lang, folder=folder, nims=listed)), link)
    for key, (words, link) in sorted(wanted.items()):
        raise_alert(session, dedup_key=key, source=SOURCE, role="operator", words=words, lang=language, link=link,
                    sop_code=ktm_queries.SOP)
    live = session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES),
                                                         Alert.dedup_key.startswith(prefix)))
    note = translate("Every student of the batch has a photo now, or the batch went to the bank.", language)
    for key in sorted(set(live) - wanted.keys()):
        clear_condition(session, key, note=note)
    return len(wanted)


@register
class KtmPhotosCollector(Collector):
    """Check the configured photo folder against the intake's NIM list."""

    name = SOURCE

    @property
    def interval_s(self) -> float:
        return ktm_settings(self.settings).every_s

    def run(self) -> CollectorResult:
        config = ktm_settings(self.settings)
        if config.photo_dir is None:
            return CollectorResult(0, "no photo folder configured ([ktm] photo_dir)")
        with session_scope(self.engine) as session:
            intake = config.intake or newest_intake(session)
            if intake is None:
                return CollectorResult(0, "no intake to check: no KTM cases and no students")
            members = ktm_queries.batch_members(self.engine, intake)
            if config.nim_csv is not None:
                listed = read_nim_csv(config.nim_csv)
                source = str(config.nim_csv)
            else:
                listed = [(nim, None) for nim in session.scalars(select(Student.nim).where(Student.angkatan == intake))]
                source = STORE_LIST
            check = check_photos((nim for nim, _ in listed), config.photo_dir, config.nim_pattern)
            batch_of = {nim.upper(): batch for nim, batch in listed}
            batch_of.update({nim.upper(): int(batch) for nim, batch in zip(members["nim"], members["batch"])
                             if pd.notna(batch)})
            sent = {nim.upper() for nim, gone in zip(members["nim"], members["sent"]) if gone}
            blocked: dict[int | None, list[str]] = defaultdict(list)
            for nim in sorted(check.unusable - sent):
                blocked[batch_of.get(nim)].append(nim)
            order = sorted(blocked, key=lambda batch: (batch is None, batch or 0))
            save_check(session, intake, config, source, check, order)
            alerts = sync_alerts(session, intake, {batch: blocked[batch] for batch in order}, config.photo_dir,
                                 self.settings.language)
        return CollectorResult(check.photos, (
            f"intake {intake}: {check.students} students, {check.photos} files; {check.count('missing')} missing, "
            f"{check.count('extra')} extra, {check.count('bad_name', 'not_image', 'unreadable', 'duplicate')} "
            f"mismatched; {alerts} batches blocked"))
