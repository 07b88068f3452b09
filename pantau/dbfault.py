"""A store that cannot be reached or is not set up, said in one line: which URL (password hidden), what failed."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError


def masked_url(url: str) -> str:
    """The URL with its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable database URL)"


_FAULT_WORDS = ("connect", "connection", "unable to open database", "no such table", "does not exist",
                "database is locked", "disk i/o error", "readonly database", "timeout", "timed out",
                "the database system is", "authentication failed", "server closed", "terminating")
"""What the drivers say when the store itself fails (SQLite, psycopg), as opposed to a query's values (a NUL
character, a number too large, a type mismatch), which are the request's fault, not the store's."""


def is_store_fault(error: BaseException) -> bool:
    """True for an error of the store itself (unreachable, refused, locked, not set up), not of a query's values."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | ProgrammingError):
        return False
    said = str(getattr(error, "orig", None) or error).lower()
    return any(words in said for words in _FAULT_WORDS)


def describe(error: BaseException, url: str) -> str:
    """One line: the store's masked URL and what failed (the driver's first line, or that it is not set up)."""
    cause = getattr(error, "orig", None) or error
    first = next((line.strip() for line in str(cause).splitlines() if line.strip()), type(cause).__name__)
    if "no such table" in first or ("relation" in first and "does not exist" in first):
        return f"database {masked_url(url)}: the store is not set up ({first}); run `pantau init`"
    return f"database {masked_url(url)}: cannot be used ({first[:240]})"
