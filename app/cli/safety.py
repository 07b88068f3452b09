"""Every command's last line of defence: a failure is one line on stderr (JSON with --json), never a traceback.

A store that cannot be reached or is not set up names its URL (password hidden) and what failed; anything
else names the error. The traceback goes to the log at debug level for whoever runs with logging on.
"""

from __future__ import annotations

import json
import logging
import sys

import click
import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from pantau import dbfault

log = logging.getLogger("pantau.cli")
STORE_FAULT = 3
"""Exit code of a command that found the store unreachable or not set up; other failures exit 1."""


class SafeGroup(TyperGroup):
    """The root command group: runs the chosen command and turns an unexpected failure into one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["pantau.json"] = "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException, click.exceptions.Exit, click.ClickException,
                click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the one place that keeps a traceback from the operator
            log.debug("command failed", exc_info=error)
            code, message = _describe(error)
            if ctx.meta.get("pantau.json"):
                click.echo(json.dumps({"ok": False, "error": message}))
            else:
                click.echo(f"{_failed()} {message}", err=True)
            sys.exit(code)


def _describe(error: Exception) -> tuple[int, str]:
    if dbfault.is_store_fault(error):
        return STORE_FAULT, dbfault.describe(error, _store_url())
    text = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return 1, f"{type(error).__name__}: {text[:300]}" if text else type(error).__name__


def _failed() -> str:
    from pantau.i18n import translate

    from .common import language

    return translate("error:", language())


def _store_url() -> str:
    try:
        from pantau.settings import load_settings

        return load_settings().resolved_database_url
    except Exception:  # noqa: BLE001 - the configuration's own error is reported by the command
        return "(configured store)"
