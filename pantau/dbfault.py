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


def is_store_fault(error: BaseException) -> bool:
    """True for an error of the store itself (unreachable, refused, not set up), not of a query's values."""
    return isinstance(error, OperationalError | ProgrammingError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def describe(error: BaseException, url: str) -> str:
    """One line: the store's masked URL and what failed (the driver's first line, or that it is not set up)."""
    cause = getattr(error, "orig", None) or error
    first = next((line.strip() for line in str(cause).splitlines() if line.strip()), type(cause).__name__)
    if "no such table" in first or ("relation" in first and "does not exist" in first):
        return f"database {masked_url(url)}: the store is not set up ({first}); run `pantau init`"
    return f"database {masked_url(url)}: cannot be used ({first[:240]})"
