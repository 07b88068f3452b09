"""HTTP(S) probing against a loopback server the tests start."""

from __future__ import annotations

import pytest

from collectors.probes import probe_http


def test_ht001_expected_page_with_keyword_is_up(http_base):
    result = probe_http(f"{http_base}/ok", timeout_s=5, expect_keyword="sehat")

    assert result.ok
    assert result.status_code == 200
    assert result.message == "HTTP 200 OK, keyword 'sehat' found"
    assert result.latency_ms > 0
    assert result.cert_days_left is None


def test_ht002_server_error_is_down_with_its_status(http_base):
    result = probe_http(f"{http_base}/error", timeout_s=5)

    assert not result.ok
    assert result.status_code == 500
    assert result.message == "HTTP 500 Internal Server Error, not an expected status"
    assert result.loss == 0.0


def test_ht003_missing_keyword_is_down(http_base):
    result = probe_http(f"{http_base}/error", timeout_s=5, expect_keyword="sehat", expect_status={500})

    assert not result.ok
    assert result.status_code == 500
    assert result.message == "HTTP 500 Internal Server Error, keyword 'sehat' not found"


def test_ht004_chosen_statuses_are_accepted(http_base):
    assert probe_http(f"{http_base}/error", timeout_s=5, expect_status={500}).ok
    assert probe_http(f"{http_base}/moved", timeout_s=5).status_code == 302
    assert probe_http(f"{http_base}/moved", timeout_s=5).ok
    assert not probe_http(f"{http_base}/moved", timeout_s=5, expect_status={200}).ok


def test_ht005_self_signed_certificate_reports_days_left_when_not_verified(https_server):
    result = probe_http(f"{https_server.url}/ok", timeout_s=5, expect_keyword="sehat", verify_tls=False)

    assert result.ok
    assert result.cert_days_left == pytest.approx(https_server.cert_valid_days, abs=0.01)


def test_ht006_self_signed_certificate_is_rejected_when_verified(https_server):
    result = probe_http(f"{https_server.url}/ok", timeout_s=5)

    assert not result.ok
    assert "TLS certificate rejected" in result.message
    assert "self-signed" in result.message


def test_ht007_body_that_never_finishes_times_out(http_base):
    result = probe_http(f"{http_base}/stall", timeout_s=0.5)

    assert not result.ok
    assert result.message == f"{http_base}/stall: timed out after 0.5 s"


def test_ht008_refused_connection_is_down(closed_port):
    result = probe_http(f"http://127.0.0.1:{closed_port}/", timeout_s=2)

    assert not result.ok
    assert result.status_code is None
    assert result.message == f"http://127.0.0.1:{closed_port}/: Connection refused"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "127.0.0.1/ok", "http:///ok"])
def test_ht009_url_that_is_not_http_is_refused_by_name(url):
    with pytest.raises(ValueError, match=url):
        probe_http(url)
