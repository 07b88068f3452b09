"""Fixtures for the monitor tests: the probe tests' loopback servers and namespace hosts, and settings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pantau.settings import Settings

_PROBE_FIXTURES = Path(__file__).parents[1] / "probes" / "conftest.py"
_spec = importlib.util.spec_from_file_location("probe_fixtures", _PROBE_FIXTURES)
probe_fixtures = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(probe_fixtures)

listening_port = probe_fixtures.listening_port
closed_port = probe_fixtures.closed_port
unanswering_port = probe_fixtures.unanswering_port
http_base = probe_fixtures.http_base
https_server = probe_fixtures.https_server
test_network = probe_fixtures.test_network


@pytest.fixture
def make_settings(tmp_path):
    """Build Settings around the test's store with the given monitors and [monitoring] options."""

    def build(engine, monitors: list[dict] = (), **monitoring) -> Settings:
        return Settings(data_dir=tmp_path, database_url=engine.url.render_as_string(hide_password=False),
                        monitors=list(monitors), monitoring=monitoring, language="en")

    return build
