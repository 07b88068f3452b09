"""How old a figure's data is, said the same way on every card: "checked 14.05 WIB (2 minutes ago)", or, once
its source has had nothing for two of its intervals, "No recent data since 03.59 WIB" in a neutral colour."""

from __future__ import annotations

from datetime import datetime

import flask
import pandas as pd
from dash import html

from pantau import formatting
from pantau.models import utcnow
from queries.sources import Freshness

from .. import context


def _aware(at) -> datetime | None:
    if at is None or pd.isna(at):
        return None
    moment = pd.Timestamp(at)
    return (moment.tz_localize("UTC") if moment.tzinfo is None else moment).to_pydatetime()


def when_text(at, now: datetime | None = None) -> str:
    """The time alone on the reader's day (`03.59 WIB`), with the date on another day (`20 Nov 2026 09.59 WIB`)."""
    return formatting.when(_aware(at), context.lang(), context.tz(), now or utcnow())


def ago_text(at, now: datetime | None = None) -> str:
    """`14.05 WIB (2 menit lalu)`."""
    at, now = _aware(at), now or utcnow()
    if at is None:
        return "–"
    return context.t("{when} ({duration} ago)", when=when_text(at, now),
                     duration=formatting.duration(max(now - at, now - now), context.lang()))


def stale_text(at, now: datetime | None = None) -> str:
    """`No recent data since 03.59 WIB`, or `No data yet` when nothing ever came."""
    if _aware(at) is None:
        return context.t("No data yet")
    return context.t("No recent data since {when}", when=when_text(at, now))


AGE = "data-age"
"""The class every age line carries (fresh, stale or unknown), whatever else its place gives it."""


def _classes(kwargs: dict, default: str, form: str) -> dict:
    kwargs.setdefault("className", default)
    kwargs["className"] = f"{kwargs['className']} {AGE} {AGE}-{form}"
    return kwargs


def line(freshness: Freshness | None, now: datetime | None = None, *, label: str = "Data as of {when}",
         **kwargs) -> html.Div | None:
    """A small line under a card or chart: its data's age, that it has no recent data (neutral, with an icon,
    never a status colour), or that its age is unknown (no source nor collector has said). None without a
    `freshness`."""
    if freshness is None:
        return None
    if freshness.stale:
        return stale_line(freshness.since, now, **kwargs)
    if freshness.at is None:
        kwargs = _classes(kwargs, "small text-body-secondary freshness-unknown", "unknown")
        return html.Div([html.I(className="bi bi-question-circle me-1", **{"aria-hidden": "true"}),
                         context.t("Age of the data unknown")], **kwargs)
    kwargs = _classes(kwargs, "small text-body-secondary freshness-line", "fresh")
    return html.Div([html.I(className="bi bi-clock me-1", **{"aria-hidden": "true"}),
                     context.t(label, when=ago_text(freshness.at, now))], **kwargs)


def stale_line(since, now: datetime | None = None, **kwargs) -> html.Div:
    """`No recent data since 03.59 WIB`, neutral, with a clock icon."""
    kwargs = _classes(kwargs, "small fw-semibold text-secondary-emphasis freshness-stale", "stale")
    return html.Div([html.I(className="bi bi-clock-history me-1", **{"aria-hidden": "true"}),
                     stale_text(since, now)], **kwargs)


def known_statuses() -> pd.DataFrame | None:
    """Every source's status, read once a request (a page says the age of several feeds); None outside one."""
    from queries.sources import statuses

    if not flask.has_request_context():
        return None
    environ = flask.request.environ
    if _STATUSES not in environ:
        environ[_STATUSES] = statuses(context.engine())
    return environ[_STATUSES]


_STATUSES = "pantau.source_statuses"


def feeds(*names: str, now: datetime | None = None) -> dict[str, Freshness]:
    """How old the data of each named feed is (`queries.sources.FEEDS`), read once for a callback's figures."""
    from queries.sources import feed_freshness

    now, known = now or utcnow(), known_statuses()
    return {name: feed_freshness(context.engine(), name, now, known=known) for name in dict.fromkeys(names)}


def feed(name: str, now: datetime | None = None) -> Freshness:
    """How old the data of one feed is."""
    return feeds(name, now=now)[name]


def aged(body, fresh: Freshness | None, now: datetime | None = None, **kwargs) -> html.Div:
    """A chart, table or empty state with its data's age on a line under it."""
    kwargs.setdefault("className", "small text-body-secondary mt-1 figure-age")
    return html.Div([body, line(fresh, now, **kwargs)])


def subject_line(subject: str, now: datetime | None = None) -> html.Div | None:
    """Under a page's title: how old the data of its subject is (`queries.sources.freshness`), or since when
    it has had no recent data."""
    from queries.sources import freshness

    now = now or utcnow()
    return line(freshness(context.engine(), subject, now, known=known_statuses()), now, id=f"{subject}-freshness",
                className="small text-body-secondary page-freshness")
