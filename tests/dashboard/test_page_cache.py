"""The heavy pages read through the result cache shared by the web workers (Redis on 127.0.0.1:6379): the
monthly report and the SLA page answer the same as without a cache, read the store once until a write to
their subject commits, and then read it again."""

from __future__ import annotations

import json
import re
import uuid
from contextlib import contextmanager

import pytest
import redis
from demo_web import UPDATE, demo_web, page, payload
from sqlalchemy import text

from dashboard.context import EXTENSION
from pantau.cache import ResultCache
from queries import monthly_report
from queries import sla as sla_queries

REDIS_URL = "redis://127.0.0.1:6379/0"
MONTH = "2026-10"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The small demo campus behind an app with the shared cache."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"pantau-test-{uuid.uuid4().hex[:12]}:"
    yield demo_web(tmp_path_factory.mktemp("pcache"), redis_url=REDIS_URL, cache={"prefix": prefix})
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)


class Counting:
    """Wraps a function and counts its calls."""

    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@contextmanager
def uncached(site):
    """The same app reading the store on every request, as a deployment without Redis does."""
    context = site.app.server.extensions[EXTENSION]
    shared = context.cache
    object.__setattr__(context, "cache", ResultCache())
    try:
        yield
    finally:
        object.__setattr__(context, "cache", shared)


def report(client, month: str = MONTH) -> dict:
    return client.post(UPDATE, json=payload([("report-body", "children")], [("report-month", "value", month)])).json


def sla_refresh(client, period: str = "2026-H1") -> dict:
    outputs = [("sla-summary", "children"), ("sla-sops", "children"), ("sla-heatmap", "children"),
               ("sla-steps", "children"), ("sla-open", "children"), ("sla-waiting", "children")]
    body = payload(outputs, [("sla-sop", "value", "__all__"), ("sla-period", "value", period),
                             ("sla-tick", "n_intervals", None), ("sla-saved", "data", None)])
    return client.post(UPDATE, json=body).json


def test_pcache001_the_report_is_read_once_answers_as_without_cache_and_again_after_a_write(site, monkeypatch):
    build = Counting(monthly_report.build)
    monkeypatch.setattr(monthly_report, "build", build)
    client = site.client("direktur")
    first, second = report(client), report(client)
    assert build.calls == 1
    with uncached(site):
        assert first == second == report(client)
    assert "Laporan bulanan Okt 2026" in json.dumps(first)

    with site.engine.begin() as connection:
        connection.execute(text("UPDATE bills SET amount = amount WHERE id = (SELECT min(id) FROM bills)"))
    report(client)
    assert build.calls == 3  # read again after the write (the uncached read above was the second)


def test_pcache002_the_sla_page_is_read_once_answers_as_without_cache_and_again_after_a_write(site, monkeypatch):
    opened = Counting(sla_queries.open_steps)
    monkeypatch.setattr(sla_queries, "open_steps", opened)
    client = site.client("direktur")
    first, second = sla_refresh(client), sla_refresh(client)
    assert opened.calls == 2  # the late and the waiting steps, once
    with uncached(site):
        assert first == second == sla_refresh(client)

    with site.engine.begin() as connection:
        connection.execute(text("UPDATE sop_cases SET unit = unit WHERE id = (SELECT min(id) FROM sop_cases)"))
    sla_refresh(client)
    assert opened.calls == 6


def test_pcache003_each_reader_scope_has_its_own_sla_figures(site):
    director, operator = site.client("direktur"), site.client("ops.kso")
    shown = sla_refresh(operator)
    with uncached(site):
        assert shown == sla_refresh(operator)
    assert shown != sla_refresh(director)


def server_overview(client) -> dict:
    body = payload([("server-tiles", "children"), ("server-uptime", "children")],
                   [("server-tick", "n_intervals", None)])
    return client.post(UPDATE, json=body).json


def test_pcache004_the_server_overview_is_read_once_until_a_check_is_written(site, monkeypatch):
    import queries.servers as servers

    monitors = Counting(servers.monitors)
    monkeypatch.setattr(servers, "monitors", monitors)
    client = site.client("kepala_it")
    first, second = server_overview(client), server_overview(client)
    assert monitors.calls == 1
    with uncached(site):
        assert first == second == server_overview(client)

    with site.engine.begin() as connection:
        connection.execute(text("UPDATE monitors SET name = name WHERE id = (SELECT min(id) FROM monitors)"))
    server_overview(client)
    assert monitors.calls == 3


def component(tree, component_id: str):
    """The component of this id in a callback's answer (its props), None when absent."""
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict) and props.get("id") == component_id:
            return props
        found = (component(value, component_id) for value in tree.values())
    elif isinstance(tree, list):
        found = (component(value, component_id) for value in tree)
    else:
        return None
    return next((hit for hit in found if hit is not None), None)


def viewed(tree) -> str:
    """A layout's part as JSON without the page view's persistence token (new at each rendering)."""
    return re.sub(r'"persistence": "[^"]*"', '"persistence": ""', json.dumps(tree, sort_keys=True))


def test_pcache005_the_payments_bank_feed_is_read_once_answers_as_without_cache_and_again_after_a_write(
        site, monkeypatch):
    from queries import bankfeed

    totals = Counting(bankfeed.feed_totals)
    monkeypatch.setattr(bankfeed, "feed_totals", totals)
    client = site.client("bendahara")
    feed = lambda: component(client.post(UPDATE, json=page("/pembayaran")).json, "payments-bank-feed")  # noqa: E731
    first, second = feed(), feed()
    assert totals.calls == 1
    with uncached(site):
        assert viewed(first) == viewed(second) == viewed(feed())
    assert "payments-chain-table" in viewed(first)

    with site.engine.begin() as connection:
        connection.execute(text("UPDATE bank_transactions SET amount = amount "
                                "WHERE id = (SELECT min(id) FROM bank_transactions)"))
    feed()
    assert totals.calls == 3


def test_pcache006_the_admin_programme_list_counts_bills_once_until_a_programme_or_bill_is_written(
        site, monkeypatch):
    from dashboard.pages import admin_masters

    table = Counting(admin_masters.prodi_table)
    monkeypatch.setattr(admin_masters, "prodi_table", table)
    client = site.client("admin")
    options = lambda: component(client.post(UPDATE, json=page("/pengguna")).json, "admin-prodi")["options"]  # noqa: E731
    first, second = options(), options()
    assert table.calls == 1
    with uncached(site):
        assert first == second == options()
    assert first and all("(" in option["label"] for option in first)

    with site.engine.begin() as connection:
        connection.execute(text("UPDATE prodi SET name = name WHERE id = (SELECT min(id) FROM prodi)"))
    options()
    assert table.calls == 3
