"""What every command shares: settings, the store, the console and error reporting."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from rich.console import Console
from sqlalchemy import Engine

from pantau.db import engine_for
from pantau.i18n import normalise, translate
from pantau.settings import Settings, load_settings

console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    try:
        return load_settings()
    except Exception as error:  # noqa: BLE001 - a bad config must read as one clear line
        fail(f"configuration: {error}")


def engine(config: Settings | None = None) -> Engine:
    return engine_for(config or settings())


def words(config: Settings | None = None) -> Callable[..., str]:
    """A command's human output in the configured language (`t("...", **values)`); `--json` keeps codes."""
    lang = (config or settings()).language
    return lambda text, **values: translate(text, lang, **values)


def language() -> str:
    """The configured language, also when the configuration cannot be read (then PANTAU_LANGUAGE, else the
    default): a refusal of the configuration itself is said in it too."""
    try:
        return load_settings().language
    except Exception:  # noqa: BLE001 - the configuration's own error is reported by the caller
        return normalise(os.environ.get("PANTAU_LANGUAGE"))


def failed(lang: str | None = None) -> str:
    """The word that opens a refusal on stderr ('gagal:', 'error:'), as rich markup."""
    return f"[bold red]{translate('error:', lang or language())}[/]"


def fail(message: str, code: int = 2):
    errors.print(f"{failed()} {message}", highlight=False)
    sys.exit(code)
