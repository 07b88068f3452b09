"""`pantau agent --push URL --token T`: send this server's psutil readings to the dashboard.

A reading the dashboard could not take for a while (its store away: 503; a proxy's 502/504; 429; the address
not answering) is kept in memory, up to `--buffer` readings (the oldest go first when full), and pushed again
on the next tick, oldest first, before the new one; the dashboard stores each at the time it was taken, once
(`dashboard.api_agent`). A reading refused for good (401/403, 400/413/422...) is not pushed again.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import typer
from rich.markup import escape

from collectors.probes import HostSnapshot, host_snapshot
from pantau.i18n import DEFAULT_LANGUAGE, translate

from .common import console, errors, language

ENDPOINT = "/api/v1/agent/metrics"
TRANSIENT = frozenset({408, 429, 502, 503, 504})
# refusals of the token or of the address, not of the reading: the kept readings would be refused alike
NOT_THE_READING = frozenset({401, 403, 404, 405})
BUFFER_S = 86_400  # --buffer's default: a day of readings at the interval
LONGEST_WAIT_S = 3_600  # a Retry-After beyond this is taken as this


def register(app: typer.Typer) -> None:
    app.command("agent")(agent)


def endpoint(url: str) -> str:
    """The push address: the dashboard's base URL with the agent endpoint, unless it is already there."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise typer.BadParameter(f"{url!r} is not an http:// or https:// address", param_hint="--push")
    return url if parts.path.rstrip("/").endswith(ENDPOINT) else url.rstrip("/") + ENDPOINT


@dataclass(frozen=True)
class Answer:
    """How one push went. `status` is None when no HTTP answer came (refused, timed out, cut off)."""

    delivered: bool
    status: int | None = None
    reason: str = ""
    retry_after_s: float | None = None
    already_stored: bool = False

    @property
    def transient(self) -> bool:
        """Not delivered, but worth pushing again later."""
        return not self.delivered and (self.status is None or self.status in TRANSIENT)


def send(url: str, token: str, snapshot: HostSnapshot, timeout_s: float = 10.0) -> Answer:
    """POST one reading and say how it went; never raises for a network or HTTP failure."""
    request = urllib.request.Request(
        url, data=json.dumps(snapshot.to_dict()).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "User-Agent": "Pantau-agent/1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = _json(response.read())
            return Answer(True, response.status, already_stored=body.get("stored") == 0)
    except urllib.error.HTTPError as error:
        raw = error.read()
        body = _json(raw)
        reason = body.get("error") or body.get("message") or raw.decode("utf-8", errors="replace")
        return Answer(False, error.code, f"HTTP {error.code} {_one_line(str(reason))}".strip(),
                      retry_after(error.headers.get("Retry-After")))
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return Answer(False, None, _one_line(str(getattr(error, "reason", error) or type(error).__name__)))


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (a number of seconds or an HTTP date), at most an hour."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), LONGEST_WAIT_S)


class Pusher:
    """The agent's deliveries: each tick's reading joins the ones kept from earlier ticks, and they are pushed
    oldest first until one cannot be delivered now; its lines are in `lang`. `send` and `clock` (monotonic
    seconds) are for tests."""

    def __init__(self, url: str, token: str, capacity: int, *, interval_s: float | None = None,
                 send: Callable[[str, str, HostSnapshot], Answer] = send,
                 clock: Callable[[], float] = time.monotonic, lang: str = DEFAULT_LANGUAGE):
        self.url, self.token, self.capacity, self.interval_s = url, token, max(1, capacity), interval_s
        self.lang = lang
        self.kept: deque[HostSnapshot] = deque()
        self.dropped = 0  # kept readings dropped so far, the buffer being full
        self._send, self._clock = send, clock
        self._not_before: float | None = None  # the server's Retry-After, on the clock

    def tick(self, snapshot: HostSnapshot) -> bool:
        """Push the kept readings and then this one; True when this one was delivered."""
        self._keep(snapshot)
        if self._not_before is not None and self._clock() < self._not_before:
            self._say("[yellow]{label}[/]", "waiting:", self._t(
                "{url} asked to be called again in {seconds} s (Retry-After); kept the reading of {at}, {kept}",
                url=self.url, seconds=f"{self._not_before - self._clock():.0f}", at=_at(snapshot), kept=self._kept()))
            return False
        self._not_before = None
        delivered: list[HostSnapshot] = []
        again = 0
        while self.kept:
            reading = self.kept[0]
            answer = self._send(self.url, self.token, reading)
            if answer.delivered:
                delivered.append(self.kept.popleft())
                again += answer.already_stored
                continue
            self._report(delivered, again)
            delivered, again = [], 0
            if answer.transient:
                self._wait(answer, reading)
                break
            self.kept.popleft()
            self._refused(answer, reading)
            if answer.status in NOT_THE_READING:
                break
        self._report(delivered, again)
        return any(reading is snapshot for reading in delivered)

    def _keep(self, snapshot: HostSnapshot) -> None:
        overflow = 0
        while len(self.kept) >= self.capacity:
            self.kept.popleft()
            overflow += 1
        self.kept.append(snapshot)
        if overflow:
            self.dropped += overflow
            self._say("[yellow]{label}[/]", "warning:", self._t(
                "buffer full ({capacity} readings): dropped the oldest {readings} ({dropped} dropped since the agent "
                "started); keeping the readings from {at}", capacity=self.capacity, readings=self._readings(overflow),
                dropped=self.dropped, at=_at(self.kept[0])))

    def _report(self, delivered: list[HostSnapshot], again: int) -> None:
        """One line for the readings one tick delivered in a row: the newest's figures, how many came with it."""
        if not delivered:
            return
        last = delivered[-1]
        notes = [self._t("with {readings} kept since {at}", readings=self._readings(len(delivered) - 1),
                         at=_at(delivered[0]))] if len(delivered) > 1 else []
        if again:
            notes.append(self._t("{count} already stored", count=again))
        note = f" ({', '.join(notes)})" if notes else ""
        console.print(self._t("pushed {host} at {at}: CPU {cpu}%, memory {memory}%", host=last.hostname, at=_at(last),
                               cpu=f"{last.cpu_percent:.0f}", memory=f"{last.memory_percent:.0f}") + note,
                      markup=False, highlight=False, soft_wrap=True)

    def _wait(self, answer: Answer, reading: HostSnapshot) -> None:
        t = self._t
        what = (t("{url} did not take the reading of {at}: {reason}", url=self.url, at=_at(reading),
                  reason=answer.reason) if answer.status
                else t("cannot reach {url}: {reason}", url=self.url, reason=answer.reason))
        if self.interval_s is None:
            self._say("[bold red]{label}[/]", "error:", f"{what}; {t('not delivered')}")
            return
        if answer.retry_after_s:
            self._not_before = self._clock() + answer.retry_after_s
            then = t("pushing again at the first reading after {seconds} s (Retry-After)",
                     seconds=f"{answer.retry_after_s:.0f}")
        else:
            then = t("pushing again at the next reading")
        self._say("[bold red]{label}[/]", "error:", f"{what}; {self._kept()}, {then}")

    def _refused(self, answer: Answer, reading: HostSnapshot) -> None:
        t = self._t
        parts = [t("{url} refused the reading of {at}: {reason}", url=self.url, at=_at(reading), reason=answer.reason),
                 t("not pushed again")]
        if answer.status in (401, 403):
            parts.append(t("the token is refused (pantau tokens add NAME --purpose agent gives one)"))
            if self.interval_s:
                parts.append(t("still running, next reading in {seconds} s", seconds=f"{self.interval_s:.0f}"))
        elif answer.status in NOT_THE_READING:
            parts.append(t("is this the dashboard's address?"))
        self._say("[bold red]{label}[/]", "error:", "; ".join(parts))

    def _kept(self) -> str:
        return self._t("{readings} kept", readings=self._readings(len(self.kept))) if self.kept else self._t(
            "none kept")

    def _readings(self, count: int) -> str:
        return self._t("{count} reading" if count == 1 else "{count} readings", count=count)

    def _t(self, text: str, **values: object) -> str:
        return translate(text, self.lang, **values)

    def _say(self, style: str, label: str, text: str) -> None:
        """One line on stderr, opened by `label` in the agent's language; what the server or the network said is
        printed as it is, not read as markup."""
        errors.print(f"{style.format(label=escape(self._t(label)))} {escape(text)}", highlight=False)


def _at(snapshot: HostSnapshot) -> str:
    return f"{snapshot.taken_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def agent(
    push_url: str = typer.Option(..., "--push", help="the dashboard's address, e.g. https://pantau.kampus.ac.id"),
    token: str = typer.Option(..., "--token", envvar="PANTAU_AGENT_TOKEN",
                              help="a token of purpose 'agent' (pantau tokens add NAME --purpose agent)"),
    interval: float = typer.Option(60.0, "--interval", min=5.0, help="seconds between readings"),
    once: bool = typer.Option(False, "--once", help="push one reading and exit (1 if it was not delivered)"),
    buffer: int = typer.Option(None, "--buffer", min=1, show_default="a day of readings at the interval",
                               help="readings kept while the dashboard cannot take them, pushed when it can; "
                                    "the oldest go first when full"),
    process: list[str] = typer.Option(None, "--process", help="a process to watch (repeatable), e.g. php-fpm"),
    mount: list[str] = typer.Option(None, "--mount", help="a mount point to report (repeatable; default all)"),
) -> None:
    """Push CPU, load, memory, disk, network and process readings of this server every INTERVAL seconds."""
    url = endpoint(push_url)
    pusher = Pusher(url, token, buffer or math.ceil(BUFFER_S / interval), interval_s=None if once else interval,
                    lang=language())
    previous: HostSnapshot | None = None
    while True:
        started = time.monotonic()
        snapshot = host_snapshot(mount or None, process or (), previous)
        previous = snapshot
        delivered = pusher.tick(snapshot)
        if once:
            raise typer.Exit(0 if delivered else 1)
        time.sleep(max(0.0, started + interval - time.monotonic()))
