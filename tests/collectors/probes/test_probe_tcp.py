"""TCP probing against loopback listeners the tests open."""

from __future__ import annotations

import pytest

from collectors.probes import probe_tcp


def test_tc001_listening_port_is_up_with_its_connect_time(listening_port):
    result = probe_tcp("127.0.0.1", listening_port, timeout_s=2.0)

    assert result.ok
    assert result.message == f"connected to 127.0.0.1 port {listening_port}"
    assert 0 < result.latency_ms < 2000
    assert result.latency_min_ms == result.latency_ms == result.latency_max_ms
    assert result.loss == 0.0


def test_tc002_closed_port_is_down_and_says_refused(closed_port):
    result = probe_tcp("127.0.0.1", closed_port, timeout_s=2.0)

    assert not result.ok
    assert result.message == f"127.0.0.1 port {closed_port}: Connection refused"
    assert result.loss == 1.0
    assert result.latency_ms is None


def test_tc003_port_that_never_answers_times_out(unanswering_port):
    result = probe_tcp("127.0.0.1", unanswering_port, timeout_s=0.3)

    assert not result.ok
    assert result.message == f"127.0.0.1 port {unanswering_port}: timed out after 0.3 s"


@pytest.mark.parametrize(("port", "timeout_s", "field"), [(0, 1.0, "port"), (70000, 1.0, "port"), (80, 0, "timeout_s")])
def test_tc004_bad_arguments_name_the_field(port, timeout_s, field):
    with pytest.raises(ValueError, match=field):
        probe_tcp("127.0.0.1", port, timeout_s)
