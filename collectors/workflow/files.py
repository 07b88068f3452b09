"""Step events from a CSV or XLSX file: all rows or none, errors with file, line and field.

The first non-empty row names the columns (see `records.FIELDS` for the accepted names, English or
Indonesian). CSV files may use commas or semicolons and UTF-8 or Windows-1252; XLSX files are read
from their first sheet, dates as Excel dates or text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import Engine

from pantau import audit
from pantau.db import session_scope
from pantau.settings import Settings
from pantau.sla.context import SlaContext, sla_context
from pantau.workflow.records import FIELDS, EventProblem, EventRecord, normalise_keys, parse_event
from pantau.workflow.store import EventConflict, IngestReport, store_events

MAX_PROBLEMS = 20
_REQUIRED = ("case_ref", "step")


class EventFileError(ValueError):
    """A file that cannot be imported. `problems` holds (line, field, value, reason) for each problem
    found, up to `MAX_PROBLEMS`; the message lists them one a line, each naming the file."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str | None, object, str]]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(_describe(self.path, *problem) for problem in problems))

    def as_dicts(self) -> list[dict[str, object]]:
        """The problems as plain data for `--json` output."""
        return [{"file": str(self.path), "line": line, "field": field, "value": None if value is None else str(value),
                 "reason": reason} for line, field, value, reason in self.problems]


def _describe(path: Path, line: int | None, field: str | None, value: object, reason: str) -> str:
    where = path.name + (f" line {line}" if line is not None else "")
    if field:
        where += f", field {field}"
    if value is not None:
        where += f", value {str(value)[:80]!r}"
    return f"{where}: {reason}"


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | EventProblem]]:
    """(line number, {column: value}) for each non-empty data row of a CSV or XLSX file; a row that cannot
    be read as one (more cells than the header) comes as its `EventProblem`, so later rows are still read."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        yield from _csv_rows(path)
    else:
        raise EventFileError(path,
                             [(None, None, None, f"unknown file type {path.suffix!r}; give a .csv or .xlsx file")])


def parse_file(path: Path, sop_code: str, ctx: SlaContext, *, now: datetime | None = None) -> tuple[list[EventRecord],
                                                                                                    list[int]]:
    """Every event of the file with its line number; `EventFileError` listing the problems otherwise."""
    path = Path(path)
    if sop_code.upper() not in ctx.catalogue:
        raise EventFileError(path, [(None, "sop", sop_code, f"unknown SOP; known: {', '.join(ctx.catalogue)}")])
    records, lines, problems, checked = [], [], [], False
    for line, row in read_rows(path):
        try:
            if isinstance(row, EventProblem):
                raise row
            if not checked:
                checked = True
                _check_columns(row)
            records.append(parse_event(row, ctx.catalogue, ctx.calendar.zone, sop=sop_code, now=now))
            lines.append(line)
        except EventProblem as problem:
            problems.append((line, problem.field or None, problem.value, problem.reason))
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise EventFileError(path, problems)
    if not records:
        raise EventFileError(path, [(None, None, None, "no events: the file has a header row but no data rows")])
    return records, lines


def import_file(
    engine: Engine, path: Path, sop_code: str, settings: Settings | SlaContext, *, actor: str = "cli",
    ip: str | None = None,
) -> IngestReport:
    """Import a file of step events for one SOP in one transaction, audit-logged; `EventFileError` if
    any row is bad or contradicts what is stored, in which case nothing is stored."""
    path = Path(path)
    ctx = settings if isinstance(settings, SlaContext) else sla_context(settings)
    records, lines = parse_file(path, sop_code, ctx)
    try:
        with session_scope(engine) as session:
            report = store_events(session, records, ctx, prefix=f"file:{sop_code.upper()}", recorded_by=actor)
            audit.record(session, actor, "events.import", path.name, {"sop": sop_code.upper(), **report.as_dict()}, ip)
    except EventConflict as conflict:
        field = conflict.field or "event_id"
        value = _raw_value(records[conflict.index], field) if conflict.field else None
        raise EventFileError(path, [(lines[conflict.index], field, value, str(conflict))]) from None
    return report


def _raw_value(record: EventRecord, field: str) -> str | None:
    moment = getattr(record, field, None)
    return None if moment is None else moment.isoformat(timespec="minutes")


def _check_columns(row: dict[str, Any]) -> None:
    fields = normalise_keys(row, strict=False)
    for field in _REQUIRED:
        if field not in fields:
            names = " or ".join(repr(name) for name in FIELDS[field][:3])
            raise EventProblem(field, None, f"no column for {field}: add one named {names}")


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | EventProblem]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
            yield reader.line_num, EventProblem("", None, f"{len(cells)} cells, but the header has {len(header)}")
            continue
        yield reader.line_num, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}
    if header is None:
        raise EventFileError(path, [(None, None, None, "the file is empty")])


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError) as error:
        raise EventFileError(path, [(None, None, None, f"not a readable XLSX workbook: {error}")]) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(cell not in (None, "") for cell in cells):
                continue
            if header is None:
                header = ["" if cell is None else str(cell).strip() for cell in cells]
                continue
            yield number, {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
        if header is None:
            raise EventFileError(path, [(None, None, None, "the first sheet is empty")])
    finally:
        workbook.close()
