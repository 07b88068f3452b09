"""One demo log-in per role, with passwords generated on first run and kept in `var/demo-credentials.txt`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from pantau.accounts import create_user
from pantau.db import session_scope
from pantau.models import User

DEMO_USERS = (
    ("direktur", "direktur", "Dr. Sri Wahyuni, M.Kes", None),
    ("kepala.it", "kepala_it", "Agus Setiawan, S.Kom", "UPT TIK"),
    ("bendahara", "bendahara", "Rina Marlina, S.E.", "Bendahara Penerima"),
    ("operator", "operator", "Dewi Lestari, A.Md", "Sub Bagian Administrasi Akademik"),
    ("admin", "admin", "Administrator Pantau", None),
)
CREDENTIALS_FILE = "demo-credentials.txt"


def create_demo_users(engine: Engine, data_dir: Path) -> list[tuple[str, str, str]]:
    """Create the demo users when the store has none; returns (username, role, password) of those made."""
    with session_scope(engine) as session:
        if session.scalar(select(func.count()).select_from(User)):
            return []
        made = []
        for username, role, full_name, unit in DEMO_USERS:
            new = create_user(session, username, role, full_name=full_name, unit=unit, actor="demo")
            made.append((username, role, new.password))
    path = data_dir / CREDENTIALS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("".join(f"{role:<10} {username:<12} {password}\n" for username, role, password in made))
    return made


def read_credentials(data_dir: Path) -> str:
    path = data_dir / CREDENTIALS_FILE
    return path.read_text() if path.exists() else ""
