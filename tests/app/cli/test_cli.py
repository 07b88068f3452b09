"""The `pantau` command as an administrator uses it."""

from __future__ import annotations

from sqlalchemy import select

from pantau.db import make_engine, session_scope
from pantau.models import ApiToken, User


def test_cli001_init_creates_then_reports_up_to_date(cli, tmp_path):
    first = cli("init")
    assert first.exit_code == 0 and "Basis data dibuat pada revisi" in first.output
    assert (tmp_path / "pantau.db").exists()
    again = cli("init")
    assert again.exit_code == 0 and "Basis data sudah mutakhir" in again.output


def test_cli002_users_add_then_list(cli, tmp_path):
    cli("init")
    added = cli("users", "add", "rina", "--role", "bendahara", "--full-name", "Rina Marlina")
    assert added.exit_code == 0 and "Pengguna rina (Bendahara Penerima) dibuat. Kata sandi:" in added.output
    listed = cli("users", "list")
    assert "rina" in listed.output and "Bendahara Penerima" in listed.output, "the role by its name"
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")) as session:
        assert session.scalars(select(User.role).where(User.username == "rina")).one() == "bendahara"


def test_cli003_bad_role_is_a_clear_error(cli):
    cli("init")
    result = cli("users", "add", "x", "--role", "rektor")
    assert result.exit_code == 2 and "peran 'rektor' tidak dikenal" in result.output


def test_cli004_tokens_are_shown_once_and_stored_as_digests(cli, tmp_path):
    cli("init")
    result = cli("tokens", "add", "siakad", "--purpose", "events")
    token = result.output.strip().rsplit(" ", 1)[-1]
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")) as session:
        stored = session.scalars(select(ApiToken.token_hash)).one()
    assert len(token) > 30 and token not in stored


def test_cli005_bad_configuration_names_the_problem(cli, tmp_path, monkeypatch):
    config = tmp_path / "bad.toml"
    config.write_text('timezone = "Mars/Olympus"\n')
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    result = cli("init")
    assert result.exit_code == 2 and "Mars/Olympus" in result.output


def test_cli006_demo_leaves_every_page_something_to_show(cli, tmp_path):
    from pantau.models import KtmPhotoCheck, ReconCase
    from pantau.models.bank import ReconSummary
    from pantau.models.workflow import StepResult

    result = cli("demo", "--scale", "small")

    assert result.exit_code == 0, result.output
    assert "cases measured" in result.output and "already resolved" in result.output
    assert "TLS certificates: 0 alert(s)." in result.output  # the small campus's one certificate has 47 days
    with session_scope(make_engine(f"sqlite:///{tmp_path / 'pantau.db'}")) as session:
        assert session.scalar(select(StepResult.id).limit(1)) is not None
        assert session.scalar(select(ReconSummary.items).limit(1)) is not None
        statuses = set(session.scalars(select(ReconCase.status)))
        photos = session.scalars(select(KtmPhotoCheck)).one()
    assert statuses == {"open", "resolved"}
    assert (photos.missing, photos.extra, photos.mismatched) == (1, 1, 3)
    assert photos.photo_dir == str(tmp_path / "demo-ktm-photos")
    assert (tmp_path / "demo-credentials.txt").exists()

    again = cli("demo", "--scale", "small", "--replace", "--seed", "7")

    assert again.exit_code == 0, again.output
    assert "1 extra" in again.output  # the first campus's photos are gone, not extras of the second
