"""Component ids: every id starts with the key of the page (or `shell`) that owns it.

`dashboard.access` traces callback requests to pages by this prefix, so always build ids here.
"""

from __future__ import annotations


def make(owner: str, name: str) -> str:
    return f"{owner}-{name}"


def matching(owner: str, name: str, index) -> dict:
    """A pattern-matching id (`{"type": "<owner>-<name>", "index": ...}`)."""
    return {"type": make(owner, name), "index": index}


SHELL_LOCATION = make("shell", "location")
SHELL_FRESHNESS = make("shell", "freshness")
SHELL_BANNER = make("shell", "banner")
SHELL_TICK = make("shell", "tick")
SHELL_NAV_TOGGLE = make("shell", "nav-toggle")
SHELL_NAV = make("shell", "nav")
