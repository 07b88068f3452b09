"""A failure in plain words: what went wrong (a kind the page words in the reader's language) and the
detail the source gave, on one line, without a traceback, SQL text or links to documentation."""

from __future__ import annotations

import re
import socket

KINDS = ("unreachable", "login", "not_found", "permission", "data", "refused", "silent", "other")
WORDS = {
    "unreachable": "could not be reached",
    "login": "refused the log-in",
    "not_found": "was not found",
    "permission": "refused access",
    "data": "sent data that could not be read",
    "refused": "refused the file",
    "silent": "has sent nothing",
    "other": "failed",
}
"""English message ids of what failed, said of the source ("Bill source keuangan could not be reached"). A file
import's refusal ("refused") is never guessed from an error: its caller names it (`record_attempt(error_kind=)`)."""
REFUSED = "refused"

_PATTERNS = (
    ("login", re.compile(r"access denied for user|password authentication failed|authentication failed|"
                         r"login failed", re.I)),
    ("unreachable", re.compile(r"connection refused|can't connect|could not connect|cannot connect|timed? ?out|"
                               r"no route to host|name or service not known|temporary failure in name resolution|"
                               r"network is unreachable|connection reset|server has gone away|lost connection|"
                               r"unknown (mysql )?server host|could not translate host name", re.I)),
    ("not_found", re.compile(r"no such file or directory|does not exist|not found|unknown database", re.I)),
    ("permission", re.compile(r"permission denied|operation not permitted|read-only file system", re.I)),
)
_CLASSES = (
    ((ConnectionError, TimeoutError, socket.gaierror, socket.timeout), "unreachable"),
    ((FileNotFoundError, NotADirectoryError), "not_found"),
    ((PermissionError,), "permission"),
)
_NOISE = (re.compile(r"\[SQL:.*", re.S), re.compile(r"\[parameters:.*", re.S),
          re.compile(r"\(Background on this error at:[^)]*\)"), re.compile(r"^\([\w.]+\)\s*"))
MAX_DETAIL = 300


def describe_error(error: BaseException | str | None) -> tuple[str, str]:
    """`(kind, detail)` of a failure: `kind` one of `KINDS`, `detail` one plain line (at most 300 characters)."""
    if error is None:
        return "other", ""
    original = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's exception
    detail = _clean(str(original) if not isinstance(original, str) else original)
    if isinstance(original, BaseException) and not detail:
        detail = type(original).__name__
    for classes, kind in _CLASSES:
        if isinstance(original, classes):
            return kind, detail
    for kind, pattern in _PATTERNS:
        if pattern.search(detail):
            return kind, detail
    if isinstance(original, ValueError) or type(original).__name__.endswith(("DataError", "Problem")):
        return "data", detail
    return "other", detail


def _clean(text: str) -> str:
    for pattern in _NOISE:
        text = pattern.sub("", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith(("Traceback", 'File "'))]
    line = lines[0] if lines else ""
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"
