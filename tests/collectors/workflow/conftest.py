"""The SLA context the workflow tests validate against, and a clock fixed inside the test data's year."""

from __future__ import annotations

import pytest

from pantau.settings import Settings
from pantau.sla.context import SlaContext, sla_context


@pytest.fixture(scope="session")
def ctx() -> SlaContext:
    return sla_context(Settings())
