"""Who the load test logs in as: one profile a role (two for operators, of different units), each with its
own users, created in the store under `load.` names with one password."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from pantau.accounts import create_user
from pantau.db import session_scope
from pantau.models import User

PASSWORD = "load-test-password-1"


@dataclass(frozen=True)
class Profile:
    key: str
    role: str
    unit: str | None = None
    weight: int = 1
    """How many of the simulated users take this profile, relative to the others."""


PROFILES = (
    Profile("direktur", "direktur", weight=2),
    Profile("kepala_it", "kepala_it", "UPT TIK"),
    Profile("bendahara", "bendahara", "Bendahara Penerima", weight=2),
    Profile("operator_akademik", "operator", "Sub Bagian Administrasi Akademik", weight=2),
    Profile("operator_sdmk", "operator", "UPK SDMK"),
    Profile("admin", "admin"),
)


def usernames(profile: Profile, count: int) -> list[str]:
    return [f"load.{profile.key}.{n}" for n in range(count)]


def ensure_users(engine: Engine, per_profile: int) -> dict[str, list[str]]:
    """`per_profile` active users of every profile with the load-test password; existing ones are kept."""
    made: dict[str, list[str]] = {}
    with session_scope(engine) as session:
        known = set(session.scalars(select(User.username).where(User.username.like("load.%"))))
        for profile in PROFILES:
            names = usernames(profile, per_profile)
            for name in names:
                if name not in known:
                    create_user(session, name, profile.role, password=PASSWORD, unit=profile.unit,
                                full_name=f"Load {profile.key}", actor="loadtest")
            made[profile.key] = names
        session.execute(update(User).where(User.username.like("load.%")).values(active=True))
    return made
