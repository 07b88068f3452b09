"""Which role may open which page, enforced on the server for layouts and callbacks alike.

Each page module ends with `access.register_page(__name__, key=..., ...)`. Component ids of a page start with its
key (`ids.make(key, name)`), which is how a callback request is traced back to the page that owns it.
Anything not traced to a page the user may see is refused: deny by default.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from . import context

SHELL_PREFIXES = ("shell", "_pages")

LANDING = {
    "direktur": ("overview", "sla", "payments", "alerts"),
    "kepala_it": ("server", "overview", "alerts"),
    "bendahara": ("payments", "overview", "tokens", "alerts"),
    "operator": ("sla", "alerts"),
    "admin": ("overview", "admin", "alerts"),
}


@dataclass(frozen=True)
class PageSpec:
    key: str
    path: str
    title: str
    group: str
    icon: str
    roles: frozenset[str]
    order: int
    sops: tuple[str, ...] = ()
    """The SOPs the page is about: an operator sees it only when one of them is assigned to their unit."""


PAGES: dict[str, PageSpec] = {}


def register_page(
    module: str,
    *,
    key: str,
    path: str,
    title: str,
    group: str,
    icon: str,
    roles: tuple[str, ...],
    order: int,
    layout: Callable[..., Any],
    sops: tuple[str, ...] = (),
) -> None:
    """Register a Dash page whose layout only renders for `roles`, and for an operator only with one of `sops`
    assigned to their unit (others get "Tidak berwenang"); its browser tab reads its title in the reader's language."""
    spec = PageSpec(key, path, title, group, icon, frozenset(roles), order, tuple(sops))
    PAGES[key] = spec

    def guarded_layout(keep: str | None = None, **kwargs):
        if not may_see(context.user(), key):
            return not_authorised()
        return keep_filters(layout(**kwargs), keep)

    def tab_title(**_path_variables) -> str:
        shown = title if may_see(context.user(), key) else "Not authorised"
        return f"{context.t(shown)} · Pantau"

    dash.register_page(module, path=path, name=title, title=tab_title, order=order, layout=guarded_layout)


VIEW_ATTRIBUTE = "data-view"
VIEW_RESTORED = "shell-view-restored"
"""A store on every page: true when its filters are brought back (`keep_filters`), which a page whose layout
draws its figures for the default filters reads to draw them again for the filters brought back."""
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{6,32}$")


def keep_filters(page, keep: str | None = None) -> html.Div:
    """The page with its pickers, inputs and tables remembered for this view of it (Dash persistence in the
    session, keyed by a token of this view, which the wrapper carries in `data-view`). The language switch
    reloads the page with `?keep=<token>` (assets/20-language-switch.js), so the reader's filters come back;
    any other visit gets a new token and the page's own defaults. Password fields are never remembered."""
    restored = bool(keep and _TOKEN.match(keep))
    token = keep if restored else secrets.token_urlsafe(9)
    for component in [page, *(page._traverse() if hasattr(page, "_traverse") else ())]:
        if ("persistence" in getattr(component, "_prop_names", ()) and getattr(component, "id", None)
                and getattr(component, "type", None) != "password" and not getattr(component, "persistence", None)):
            component.persistence, component.persistence_type = token, "session"
    return html.Div([page, dcc.Store(id=VIEW_RESTORED, data=restored)], className="page-view",
                    **{VIEW_ATTRIBUTE: token})


def redraw_when_restored(picker: str) -> None:
    """For a page whose layout draws its figures for the filters it sets, and whose figures' callbacks therefore
    skip their first call: where the language switch brings the reader's filters back, `picker` (a filter those
    callbacks read) is set again to its value in the browser, which runs them for the filters brought back."""
    dash.clientside_callback("(restored, value) => restored ? value : window.dash_clientside.no_update",
                             Output(picker, "value"), Input(VIEW_RESTORED, "data"), State(picker, "value"))


def may_see(user, key: str) -> bool:
    """Whether `user` may open page `key` and run its callbacks: by role, and for an SOP's page by unit."""
    spec = PAGES.get(key)
    if not (spec and getattr(user, "is_authenticated", False) and user.role in spec.roles):
        return False
    return not spec.sops or bool(assigned_sops(user, spec.sops))


def visible_pages(user) -> list[PageSpec]:
    return sorted((p for p in PAGES.values() if may_see(user, p.key)), key=lambda p: p.order)


def assigned_sops(user, codes: tuple[str, ...]) -> list[str]:
    """Which of these SOPs `user` may see by unit (`pantau.sla.scope.assigned_sops`, the rule alerts follow too):
    an operator only those assigned to their unit; other roles are not limited by unit."""
    role = getattr(user, "role", None)
    if role != "operator":
        return list(codes)
    from pantau.sla.scope import assigned_sops as assigned

    catalogue = context.sla().catalogue
    return assigned(catalogue, role, getattr(user, "unit", None), codes)


def alert_audience(user):
    """Whom the alerts page shows `user` as: their role, and for SOP alerts the SOPs and steps their pages
    offer them (`pantau.alerts.audience`, the rule the notifier routes by too)."""
    from pantau.alerts.audience import audience

    return audience(context.sla().catalogue, user.role, getattr(user, "unit", None))


def landing_path(user) -> str | None:
    """The page a role opens first: its preferred one if installed, else the first it may see."""
    for key in LANDING.get(user.role, ()):
        if may_see(user, key):
            return PAGES[key].path
    pages = visible_pages(user)
    return pages[0].path if pages else None


def owner_of(component_id: Any) -> str:
    """The page key (or shell prefix) a component id belongs to."""
    if isinstance(component_id, dict):
        component_id = component_id.get("type", "")
    component_id = str(component_id)
    if component_id.startswith("_pages"):
        return "_pages"
    return component_id.split("-", 1)[0]


def may_call(user, component_ids: list[Any]) -> bool:
    """May this user run a callback that writes these components?"""
    if not getattr(user, "is_authenticated", False) or not component_ids:
        return False
    for component_id in component_ids:
        owner = owner_of(component_id)
        if owner in SHELL_PREFIXES:
            continue
        if not may_see(user, owner):
            return False
    return True


def not_authorised() -> html.Div:
    return html.Div(
        [
            html.I(className="bi bi-shield-lock display-4 text-body-secondary"),
            html.H2(context.t("Not authorised"), className="h4 mt-3"),
            html.P(context.t("Your role may not open this page. Ask an administrator if you need it.")),
        ],
        className="text-center py-5",
        id="shell-not-authorised",
    )
