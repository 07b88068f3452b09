"""`pantau agent --push URL --token T`: send this server's psutil readings to the dashboard."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import typer

from collectors.probes import HostSnapshot, host_snapshot

from .common import console, errors

ENDPOINT = "/api/v1/agent/metrics"


def register(app: typer.Typer) -> None:
    app.command("agent")(agent)


def endpoint(url: str) -> str:
    """The push address: the dashboard's base URL with the agent endpoint, unless it is already there."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise typer.BadParameter(f"{url!r} is not an http:// or https:// address", param_hint="--push")
    return url if parts.path.rstrip("/").endswith(ENDPOINT) else url.rstrip("/") + ENDPOINT


def push(url: str, token: str, snapshot: HostSnapshot, timeout_s: float = 10.0) -> str:
    """POST one reading; return the server's answer, or raise RuntimeError saying why it was refused."""
    request = urllib.request.Request(
        url, data=json.dumps(snapshot.to_dict()).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "User-Agent": "Pantau-agent/1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", errors="replace")[:300]
        raise RuntimeError(f"{url} refused the reading: HTTP {error.code} {detail}".strip()) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RuntimeError(f"cannot reach {url}: {reason}") from None


def agent(
    push_url: str = typer.Option(..., "--push", help="the dashboard's address, e.g. https://pantau.kampus.ac.id"),
    token: str = typer.Option(..., "--token", envvar="PANTAU_AGENT_TOKEN",
                              help="a token of purpose 'agent' (pantau tokens add NAME --purpose agent)"),
    interval: float = typer.Option(60.0, "--interval", min=5.0, help="seconds between readings"),
    once: bool = typer.Option(False, "--once", help="push one reading and exit (1 if it was refused)"),
    process: list[str] = typer.Option(None, "--process", help="a process to watch (repeatable), e.g. php-fpm"),
    mount: list[str] = typer.Option(None, "--mount", help="a mount point to report (repeatable; default all)"),
) -> None:
    """Push CPU, load, memory, disk, network and process readings of this server every INTERVAL seconds."""
    url = endpoint(push_url)
    previous: HostSnapshot | None = None
    while True:
        snapshot = host_snapshot(mount or None, process or (), previous)
        previous = snapshot
        try:
            push(url, token, snapshot)
            console.print(f"pushed {snapshot.hostname} at {snapshot.taken_at:%Y-%m-%d %H:%M:%S} UTC: "
                          f"CPU {snapshot.cpu_percent:.0f}%, memory {snapshot.memory_percent:.0f}%", highlight=False)
        except RuntimeError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False)
            if once:
                raise typer.Exit(1) from None
        if once:
            return
        time.sleep(interval)
