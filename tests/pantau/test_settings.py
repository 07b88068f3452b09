"""Settings come from defaults, a TOML file named by PANTAU_CONFIG, the environment and arguments, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from collectors.monthly_report import report_settings
from pantau.ktm import ktm_settings
from pantau.recon import bank_settings
from pantau.settings import load_settings
from pantau.ws_accounts import AccountSettings

EXAMPLE = Path(__file__).parents[2] / "pantau.example.toml"


def test_set001_defaults_give_sqlite_under_var_and_jakarta_time(monkeypatch, tmp_path):
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'pantau.db'}"
    assert settings.timezone == "Asia/Jakarta" and settings.language == "id"
    assert settings.web.workers == 2


def test_set002_toml_file_then_environment_then_arguments(monkeypatch, tmp_path):
    config = tmp_path / "pantau.toml"
    config.write_text('timezone = "Asia/Makassar"\ninstitution = "Poltekkes A"\n[web]\nport = 9000\n')
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    monkeypatch.setenv("PANTAU_INSTITUTION", "Poltekkes B")
    settings = load_settings()
    assert settings.timezone == "Asia/Makassar"
    assert settings.web.port == 9000
    assert settings.institution == "Poltekkes B"
    assert load_settings(institution="Poltekkes C").institution == "Poltekkes C"


def test_set003_nested_environment_keys(monkeypatch):
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.setenv("PANTAU_WEB__WORKERS", "4")
    assert load_settings().web.workers == 4


def test_set004_unknown_zone_is_refused_by_name(monkeypatch):
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    with pytest.raises(ValidationError, match="unknown time zone 'Asia/Atlantis'"):
        load_settings(timezone="Asia/Atlantis")


def test_set005_missing_config_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(FileNotFoundError, match="absent.toml"):
        load_settings()


def test_set006_the_example_config_in_the_repo_loads(monkeypatch):
    monkeypatch.setenv("PANTAU_CONFIG", str(EXAMPLE))
    settings = load_settings()
    assert settings.alerts.channels and settings.thresholds["availability_30d"].good == 0.995
    assert settings.sops.verdict_thresholds == {"KSO": 0.85}
    assert settings.calendar.closures[1].end.isoformat() == "2026-12-30"
    assert ktm_settings(settings).intake == 2026
    assert report_settings(settings).roles == ["direktur"]
    assert AccountSettings.model_validate(settings.accounts).expiry_warning_days == 30
    banks = bank_settings(settings)
    assert banks.account_bank("1230007654321") == "mandiri" and banks.snap_partners == {"8808315": "bsi"}


def test_set007_secret_key_is_generated_once_and_private(tmp_path):
    settings = load_settings(data_dir=tmp_path, secret_key="")
    first = settings.resolved_secret_key()
    assert first == settings.resolved_secret_key() and len(first) >= 32
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0
    assert load_settings(secret_key="from-the-environment").resolved_secret_key() == "from-the-environment"
