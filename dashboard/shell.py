"""The frame around every page: header with user, language and data freshness; navigation by subject.

The shell's callbacks are Dash hooks (`dash.hooks.callback`): registered once, when this module is imported,
and bound by Dash to every app it builds. Page callbacks go through Dash's global list instead, which
`create_app` empties before Dash executes the pages anew for the app.
"""

from __future__ import annotations

from collections import defaultdict

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from pantau import formatting
from pantau.roles import ROLE_NAMES
from queries.freshness import last_update
from queries.sources import heartbeat

from . import a11y, access, auth, context, ids

GROUP_ORDER = ("Overview", "Operations", "Finance", "Services & SOPs", "Administration")


def layout() -> html.Div:
    """The shell; a function so every page load reads the user and the freshness anew."""
    user = context.user()
    if not getattr(user, "is_authenticated", False):
        return html.Div(dcc.Location(id=ids.SHELL_LOCATION, href="/login", refresh=True))
    return html.Div(
        [
            a11y.skip_link(),
            dcc.Location(id=ids.SHELL_LOCATION),
            dcc.Interval(id=ids.SHELL_TICK, interval=tick_ms()),
            a11y.words(),
            _header(user),
            html.Div(
                [
                    dbc.Collapse(_navigation(user), id=ids.SHELL_NAV, className="shell-nav d-md-block"),
                    html.Main([html.Div(id=ids.SHELL_BANNER, role="status"), dash.page_container],
                              className="shell-main", id=a11y.MAIN_ID, tabIndex=-1),
                ],
                className="shell-body",
            ),
        ],
        className="shell",
    )


def _header(user) -> dbc.Navbar:
    t = context.t
    lang = context.lang()
    switch = html.Div(
        [
            html.A("ID", href="/lang/id?next=/", className="lang-link" + (" active" if lang == "id" else ""),
                   title="Bahasa Indonesia", id="shell-lang-id"),
            html.A("EN", href="/lang/en?next=/", className="lang-link" + (" active" if lang == "en" else ""),
                   title="English", id="shell-lang-en"),
        ],
        className="lang-switch",
        role="group",
        **{"aria-label": t("Language")},
    )
    return dbc.Navbar(
        dbc.Container(
            [
                html.Button(html.I(className="bi bi-list"), id=ids.SHELL_NAV_TOGGLE, type="button",
                            className="btn btn-link text-white d-md-none",
                            **{"aria-label": t("Menu"), "aria-controls": ids.SHELL_NAV, "aria-expanded": "false"}),
                dbc.NavbarBrand(
                    [html.Img(src="/assets/logo.svg", height="28", alt=""), html.Span("Pantau", className="ms-2")],
                    href="/",
                ),
                html.Span(context.settings().institution, className="navbar-text institution d-none d-lg-inline"),
                html.Div(
                    [
                        html.Span(id=ids.SHELL_FRESHNESS, className="freshness d-none d-sm-inline"),
                        switch,
                        html.Span(
                            [html.I(className="bi bi-person-circle me-1"), user.display_name,
                             html.Small(f" · {t(ROLE_NAMES.get(user.role, user.role))}", className="opacity-75")],
                            className="user-name", id="shell-user",
                        ),
                        html.Form(
                            [dcc.Input(type="hidden", name="csrf", value=auth.csrf_token(), id="shell-logout-csrf"),
                             html.Button([html.I(className="bi bi-box-arrow-right me-1"), t("Log out")],
                                         type="submit", className="btn btn-sm btn-outline-light", id="shell-logout")],
                            method="post", action="/logout", className="d-inline m-0", id="shell-logout-form",
                        ),
                    ],
                    className="header-tools",
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="shell-header",
    )


def _navigation(user) -> html.Nav:
    t = context.t
    groups: dict[str, list] = defaultdict(list)
    for spec in access.visible_pages(user):
        groups[spec.group].append(
            dbc.NavLink([html.I(className=f"bi bi-{spec.icon} me-2"), t(spec.title)], href=spec.path,
                        active="partial", id=f"shell-nav-{spec.key}")
        )
    sections = []
    for group in sorted(groups, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else 99):
        sections.append(html.Div(t(group), className="nav-group"))
        sections.append(dbc.Nav(groups[group], vertical=True, pills=True))
    return html.Nav(sections, **{"aria-label": t("Pages")})


def freshness_text() -> str:
    latest = last_update(context.engine())
    if latest is None:
        return context.t("No data collected yet")
    when = formatting.moment(latest, context.lang(), context.tz())
    return context.t("Data last updated {when}", when=when)


def tick_ms() -> int:
    """How often the header and the banner refresh: every heartbeat of the collector, between 5 s and 1 min."""
    return int(min(max(context.settings().collector.heartbeat_s, 5.0), 60.0) * 1000)


def banner() -> dbc.Alert | None:
    """On every page, while the collector process has not reported within two of its heartbeats: since when
    nothing has been collected, so no figure is taken for current."""
    beat = heartbeat(context.engine())
    if not beat.silent:
        return None
    t, lang, tz = context.t, context.lang(), context.tz()
    if beat.last_seen is None:
        text = t("The collector has never reported: no figure is being refreshed. Start `pantau collect`.")
    elif beat.stopped_at is not None:
        text = t("The collector was stopped at {when}: figures have not been refreshed since.",
                 when=formatting.moment(beat.stopped_at, lang, tz))
    else:
        text = t("The collector has not reported since {when}: figures on this page may be out of date.",
                 when=formatting.moment(beat.last_seen, lang, tz))
    more = (dcc.Link(t("Data sources"), href="/sumber", className="alert-link ms-2")
            if access.may_see(context.user(), "sources") else None)
    return dbc.Alert([html.I(className="bi bi-plug me-2", **{"aria-hidden": "true"}), text, more],
                     color="secondary", className="py-2 mb-3 collector-banner", id="shell-collector-banner")


@dash.hooks.callback(Output(ids.SHELL_FRESHNESS, "children"), Output(ids.SHELL_BANNER, "children"),
                     Input(ids.SHELL_TICK, "n_intervals"))
def _refresh_freshness(_n):
    """Fill the header's freshness and the collector banner on load and every heartbeat after."""
    return freshness_text(), banner()


# The menu button opens and closes the navigation on narrow screens; following a link closes it again.
dash.hooks.clientside_callback(
    """function (clicks, pathname, isOpen) {
        const pressed = dash_clientside.callback_context.triggered.some(t => t.prop_id.startsWith("%s."));
        const open = pressed ? !isOpen : false;
        return [open, open ? "true" : "false"];
    }""" % ids.SHELL_NAV_TOGGLE,  # noqa: UP031  (the JavaScript's own braces stay plain)
    Output(ids.SHELL_NAV, "is_open"),
    Output(ids.SHELL_NAV_TOGGLE, "aria-expanded"),
    Input(ids.SHELL_NAV_TOGGLE, "n_clicks"),
    Input(ids.SHELL_LOCATION, "pathname"),
    State(ids.SHELL_NAV, "is_open"),
    prevent_initial_call=True,
)
