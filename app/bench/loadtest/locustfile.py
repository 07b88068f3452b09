"""Locust users of every role: each logs in through the real form (with its CSRF token), then opens pages as
the browser did when the recording was made: the page, Dash's layout and dependencies, then the page's
callbacks in order. Read by `locust -f` (see `app.bench.loadtest.run`); configured by environment:
LOADTEST_RECORDING (the recording's JSON), LOADTEST_USERS (profile -> user names), LOADTEST_PASSWORD."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

from app.bench.loadtest.profiles import PROFILES
from app.bench.loadtest.recorder import CALLBACK, Recording, first_output

CSRF = re.compile(r'name="csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf"')
RECORDING = Recording.load(Path(os.environ["LOADTEST_RECORDING"]))
USERS = json.loads(os.environ["LOADTEST_USERS"])
PASSWORD = os.environ["LOADTEST_PASSWORD"]
THINK_S = tuple(float(x) for x in os.environ.get("LOADTEST_THINK_S", "3,10").split(","))
RELOAD_SHARE = float(os.environ.get("LOADTEST_RELOAD_SHARE", "0.2"))
"""Share of page opens that load the whole app (a new tab, a reload); the others follow a link in the app,
which the browser serves with the page's callbacks only."""


class PantauUser(HttpUser):
    """A logged-in user of one profile opening that profile's pages in random order."""

    abstract = True
    profile = ""
    wait_time = between(*THINK_S)

    def on_start(self) -> None:
        self.loaded = False
        names = type(self).names
        self.username = next(names)
        form = self.client.get("/login", name="GET /login")
        token = next((a or b for a, b in CSRF.findall(form.text)), "")
        with self.client.post("/login", name="POST /login", catch_response=True, allow_redirects=True,
                              data={"username": self.username, "password": PASSWORD, "csrf": token}) as answer:
            if answer.status_code != 200 or "/login" in answer.url:
                answer.failure(f"log-in of {self.username} refused ({answer.status_code})")

    @task
    def open_page(self) -> None:
        visit = random.choice(RECORDING.visits[self.profile])
        if not self.loaded or random.random() < RELOAD_SHARE:
            self.client.get(visit.path, name=f"page {visit.path}")
            self.client.get("/_dash-layout", name="GET /_dash-layout")
            self.client.get("/_dash-dependencies", name="GET /_dash-dependencies")
            self.loaded = True
        for body in visit.callbacks:
            name = "cb " + first_output(body)
            with self.client.post(CALLBACK, json=body, name=name, catch_response=True) as answer:
                if answer.status_code not in (200, 204):
                    answer.failure(f"{answer.status_code} {answer.text[:120]}")


def _user_class(profile) -> type[PantauUser]:
    names = itertools.cycle(USERS[profile.key])
    return type(f"User_{profile.key}", (PantauUser,), {"profile": profile.key, "weight": profile.weight,
                                                       "names": names, "abstract": False})


for _profile in PROFILES:
    if _profile.key in USERS and RECORDING.visits.get(_profile.key):
        globals()[f"User_{_profile.key}"] = _user_class(_profile)
