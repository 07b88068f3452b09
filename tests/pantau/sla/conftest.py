"""The SLA context every SLA test measures with: the built-in catalogue and the default calendar."""

from __future__ import annotations

import pytest

from pantau.settings import Settings
from pantau.sla.context import SlaContext, sla_context


@pytest.fixture(scope="session")
def ctx() -> SlaContext:
    return sla_context(Settings())
