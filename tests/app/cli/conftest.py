"""The `pantau` command run as an administrator would, against a fresh data directory."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli import app


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run `pantau ARGS…` with `tmp_path` as the data directory and no configuration file."""
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))
