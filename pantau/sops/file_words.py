"""A catalogue file's problem in words (issue 19): what `pantau sop publish` says when the file cannot be read or
does not validate, in the configured language (`SopFileError` keeps the English for `--json` and logs)."""

from __future__ import annotations

from pathlib import Path

from pantau.i18n import translate
from pantau.phrases import Phrases

from .imports.words import field_words

MESSAGES = Phrases(
    "invalid TOML: {error}", "cannot read: {error}", "missing", "unknown field",
    "code {code} is also used by {file} in the same directory",
    "flow {flow} is not one of the SOP's flows {flows}", "flow {flow} given but the SOP declares no flows",
    "number {number} out of order: expected {expected}", "a step with branches takes no next",
    "a step has both a decision and branches, or neither", "a decision needs at least two branches",
    "duplicate branch key in {keys}", "duplicate flow key in {keys}",
    "target {target} is not a step key of this SOP (or {end})", "target {target} is in another flow",
    "Input should be a valid string", "Input should be a valid integer, unable to parse string as an integer",
    "Input should be a valid integer", "String should match pattern '{pattern}'",
    "String should have at least {count} character", "String should have at least {count} characters",
    "Input should be greater than {limit}", "Input should be greater than or equal to {limit}",
)
"""The problems `pantau.sops.catalogue` and the SOP model refuse a file with (pydantic's too)."""


def file_problem_words(path: Path, step: str | None, field: str | None, message: str, line: int | None,
                       lang: str) -> str:
    """One problem of a catalogue file: the file, the step, the field in words and the line, then what is wrong."""
    where = [path.name]
    if step is not None:
        where.append(translate("step {number}", lang, number=step))
    if field is not None:
        where.append(field_words(field, lang))
    if line:
        where.append(translate("line {number}", lang, number=line))
    return f"{', '.join(where)}: {MESSAGES.say(message, lang)}"
