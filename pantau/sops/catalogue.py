"""Loading the SOP catalogue: the built-in SOP files, plus an institution's own directories.

One TOML file holds one SOP. A bad file raises `SopFileError` naming the file, the step and the
field, for example ``webservice.toml step 3 field time: unknown unit 'jam kerja'``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pantau.sops.models import Sop, StepProblem

BUILTIN_DIR = Path(__file__).resolve().parent
"""The directory of the SOP files shipped with Pantau."""

__all__ = ["BUILTIN_DIR", "SopFileError", "load_catalogue", "load_sop_file"]

_PLAIN_MESSAGES = {"missing": "missing", "extra_forbidden": "unknown field"}


class SopFileError(ValueError):
    """An SOP file that cannot be read or does not validate.

    `path`, `step` (the step's number as written, or None outside the steps), `field` (a dotted
    path such as "time" or "branches.1.target") and `line` locate the first problem; the message
    lists every problem, one a line; `problems` holds each as (step, field, message, line).
    """

    def __init__(
        self,
        path: Path,
        problems: list[tuple[str | None, str | None, str, int | None]],
    ) -> None:
        self.path, self.problems = path, problems
        self.step, self.field, _, self.line = problems[0]
        super().__init__("\n".join(_describe(path, *problem) for problem in problems))


def _describe(path: Path, step: str | None, field: str | None, message: str, line: int | None) -> str:
    where = path.name
    if step is not None:
        where += f" step {step}"
    if field is not None:
        where += f" field {field}"
    return f"{where}: {message}" + (f" (line {line})" if line else "")


def load_sop_file(path: Path) -> Sop:
    """Read and validate one SOP file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        raise SopFileError(path, [(None, None, f"invalid TOML: {error}", int(line[1]) if line else None)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SopFileError(path, [(None, None, f"cannot read: {error}", None)]) from None
    try:
        return Sop.model_validate(data)
    except ValidationError as error:
        raise SopFileError(path, [_locate(text, data, detail) for detail in error.errors()]) from None


def load_catalogue(dirs: Iterable[Path] | None = None) -> dict[str, Sop]:
    """Load the built-in SOPs, then each directory in `dirs` in turn, keyed by SOP code.

    A file in a later directory replaces the SOP with the same code; two files with one code in
    the same directory are an error.
    """
    catalogue: dict[str, Sop] = {}
    for directory in [BUILTIN_DIR, *(Path(d) for d in dirs or ())]:
        if not directory.is_dir():
            raise FileNotFoundError(f"SOP directory {directory} does not exist")
        origin: dict[str, Path] = {}
        for path in sorted(directory.glob("*.toml")):
            sop = load_sop_file(path)
            if sop.code in origin:
                message = f"code {sop.code!r} is also used by {origin[sop.code].name} in the same directory"
                raise SopFileError(path, [(None, "code", message, _field_line(path.read_text(), None, "code"))])
            origin[sop.code] = path
            catalogue[sop.code] = sop
    return catalogue


def _locate(text: str, data: dict[str, Any], detail: Any) -> tuple[str | None, str | None, str, int | None]:
    """Turn one pydantic error into (step, field, message, line)."""
    loc = tuple(detail["loc"])
    problem = (detail.get("ctx") or {}).get("error")
    message = _PLAIN_MESSAGES.get(detail["type"]) or re.sub(r"^(Value|Assertion) error, ", "", detail["msg"])
    if isinstance(problem, StepProblem):
        loc, message = ("steps", problem.index, problem.field), problem.message
    if len(loc) < 2 or not isinstance(loc[1], int) or loc[0] not in ("steps", "flows"):
        top_field = str(loc[0]) if loc else None
        return None, ".".join(map(str, loc)) or None, message, _field_line(text, None, top_field)
    table, index = str(loc[0]), loc[1]
    line = _field_line(text, (table, index), str(loc[2]) if len(loc) > 2 else None)
    if table == "flows":
        return None, ".".join(map(str, loc)), message, line
    raw = data.get("steps")
    item = raw[index] if isinstance(raw, list) and index < len(raw) and isinstance(raw[index], dict) else {}
    number = item.get("number")
    label = str(number if isinstance(number, int) and not isinstance(number, bool) else index + 1)
    if isinstance(item.get("key"), str):
        message += f" (step key {item['key']})"
    return label, ".".join(map(str, loc[2:])) or None, message, line


def _field_line(text: str, table: tuple[str, int] | None, field: str | None) -> int | None:
    """The 1-based line where `field` is set: in the file's top table, or in the n-th [[table]]."""
    lines = text.splitlines()
    if table is None:
        start, prefix = 0, ""
        stop = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    else:
        headers = [i for i, line in enumerate(lines) if line.strip() == f"[[{table[0]}]]"]
        if table[1] >= len(headers):
            return None
        start, prefix = headers[table[1]], f"{table[0]}."
        stop = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[[")), len(lines))
    if field is not None:
        assignment = re.compile(rf"^\s*{re.escape(field)}\s*=")
        subtable = f"[{prefix}{field}]"
        for i in range(start, stop):
            if assignment.match(lines[i]) or lines[i].strip() == subtable:
                return i + 1
    return start + 1 if table is not None else None
