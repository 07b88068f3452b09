"""The watched inbox: the ``bank-inbox`` collector imports each file dropped there, then archives it.

Imported files (and files whose bytes were imported before) move to the archive folder; refused
files move to the rejected folder beside a ``<name>.error.txt`` saying why, and the bendahara gets
an alert. Hidden files, partial downloads (``.part``, ``.tmp``, ``.crdownload``) and files changed
in the last ``settle_s`` seconds are left for a later run. After anything new, reconciliation runs.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from collectors.bankfeeds.errors import localised
from collectors.base import Collector, CollectorResult, SourceFailures
from collectors.registry import register
from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.recon import reconcile
from pantau.sources import BANK_INBOX, SourceRef, record_attempt

from .config import FeedSettings, feed_settings
from .importer import ImportSummary, file_digest, import_file

ACTOR = "folder-masuk"
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".error.txt")


def ready_files(inbox: Path, settle_s: float, now: float | None = None) -> list[Path]:
    """Files in ``inbox`` ready to import, oldest first (by modification time, then name)."""
    moment = time.time() if now is None else now
    files = [
        path for path in inbox.iterdir()
        if path.is_file() and not path.name.startswith(".") and not path.name.lower().endswith(PARTIAL_SUFFIXES)
        and moment - path.stat().st_mtime >= settle_s
    ]
    return sorted(files, key=lambda path: (path.stat().st_mtime, path.name))


def drain(engine: Engine, feeds: FeedSettings, tz: ZoneInfo, language: str = "id") -> list[ImportSummary]:
    """Import every ready file of the inbox and move it away; returns one summary per file."""
    inbox = feeds.inbox
    if inbox is None or not inbox.is_dir():
        return []
    summaries = []
    for path in ready_files(inbox, feeds.settle_s):
        digest = file_digest(path)
        summary = import_file(engine, path, mapping=feeds.mapping_for(path.name), actor=ACTOR, tz=tz)
        if summary.status == "rejected":
            _reject(engine, path, feeds.rejected_dir, digest, summary, language)
        else:
            _move(path, feeds.archive_dir)
        summaries.append(summary)
    return summaries


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{time.strftime('%Y%m%d%H%M%S')}{path.suffix}"
    return Path(shutil.move(str(path), str(target)))


def _reject(engine: Engine, path: Path, folder: Path, digest: str, summary: ImportSummary, language: str) -> None:
    reason = localised(summary.error, language)["message"]
    moved = _move(path, folder)
    moved.with_name(moved.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
    with session_scope(engine) as session:
        raise_alert(session, dedup_key=f"bank-file-refused:{digest}", source="bank-inbox", role="bendahara",
                    words=lambda lang: (translate("Bank file refused: {name}", lang, name=path.name),
                                        localised(summary.error, lang)["message"]),
                    lang=language, severity="warning", link="/pembayaran")


@register
class BankInboxCollector(Collector):
    """Drain ``[feeds] inbox`` every ``interval_s``; reconcile when something new was stored. The inbox's
    attempts are recorded on its status: a folder that is gone or unreadable fails the run and, several
    times in a row, alerts the bendahara (a refused file is the file's own alert, not the inbox failing)."""

    name = "bank-inbox"

    @property
    def interval_s(self) -> float:
        return feed_settings(self.settings).interval_s

    def sources(self) -> list[SourceRef]:
        feeds = feed_settings(self.settings)
        return [SourceRef(BANK_INBOX, str(feeds.inbox), feeds.interval_s)] if feeds.inbox is not None else []

    def run(self) -> CollectorResult:
        feeds = feed_settings(self.settings)
        if feeds.inbox is None:
            return CollectorResult(0, "no inbox folder configured ([feeds] inbox)")
        try:
            if not feeds.inbox.is_dir():
                raise FileNotFoundError(f"inbox folder {feeds.inbox} does not exist or is not a folder")
            summaries = drain(self.engine, feeds, ZoneInfo(self.settings.timezone), self.settings.language)
        except OSError as error:
            self._record(feeds, error=error)
            raise SourceFailures(str(error)) from error
        added = sum(summary.added for summary in summaries)
        refused = sum(summary.status == "rejected" for summary in summaries)
        if added:
            reconcile(self.engine, self.settings)
        message = f"{len(summaries)} files: {added} entries added, {refused} files refused"
        self._record(feeds, message=message)
        return CollectorResult(added, message)

    def _record(self, feeds: FeedSettings, *, message: str | None = None, error: Exception | None = None) -> None:
        with session_scope(self.engine) as session:
            record_attempt(session, self.settings, BANK_INBOX, str(feeds.inbox), ok=error is None, error=error,
                           message=message, interval_s=feeds.interval_s)
