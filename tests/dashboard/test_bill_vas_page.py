"""The payments page's bill drill-down on the demo campus says how each bill is paid: its VAs by bank name (never
the bank's code), "Tanpa VA (loket/transfer)" for a bill without VA, and for a bill without due date that its
age counts from its issue date. Through the callback and in Chromium."""

from __future__ import annotations

import shutil

import pytest
from demo_web import NOW, UPDATE, browser_log_in, demo_web, payload
from selenium.webdriver.common.keys import Keys
from sqlalchemy import func, select

from pantau.db import session_scope
from pantau.models import Bill, BillVa
from pantau.recon import reconcile

FILTERS = [("payments-semester", "value", "all"), ("payments-kinds", "value", None),
           ("payments-prodi", "value", None), ("payments-angkatan", "value", None)]


def drill(search: str) -> dict:
    return payload([("payments-bills", "children")],
                   [*FILTERS, ("payments-state", "value", None), ("payments-search", "value", search)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    web = demo_web(tmp_path_factory.mktemp("billvas"))
    reconcile(web.engine, web.settings, now=NOW)
    return web


def _bill_with_vas(site, count: int) -> str:
    with session_scope(site.engine) as session:
        return session.scalars(select(Bill.source_key).join(BillVa, BillVa.bill_id == Bill.id).group_by(Bill.id)
                               .having(func.count() == count).order_by(Bill.id)).first()


def _counter_bill(site) -> str:
    with session_scope(site.engine) as session:
        return session.scalars(select(Bill.source_key).where(Bill.va_number.is_(None), Bill.due_date.is_(None))
                               .order_by(Bill.id)).first()


def _rows(site, search: str) -> list[dict]:
    table = site.client("bendahara").post(UPDATE, json=drill(search)).json["response"]["payments-bills"]["children"]
    return table["props"]["children"][0]["props"]["data"]


def test_bvp001_the_drill_down_names_a_bills_vas_by_bank_and_says_when_it_has_none(site):
    three = _bill_with_vas(site, 3)
    [row] = _rows(site, three)
    banks = [part.rsplit(" ", 1)[0] for part in row["va_number"].split("; ")]
    assert len(banks) == 3 and set(banks) <= {"BNI", "BRI", "BSI", "Bank Mandiri"}, row["va_number"]
    counter = _counter_bill(site)
    [row] = _rows(site, counter)
    assert row["va_number"] == "Tanpa VA (loket/transfer)"
    assert row["due_date"].startswith("Tidak ada: umur dihitung dari tanggal terbit, ")


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_bvp002_in_chromium_the_drill_down_shows_the_vas_by_bank_name(dash_duo, site):
    three = _bill_with_vas(site, 3)
    dash_duo.start_server(site.app, navigate=False)
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/pembayaran?semester=all")
    box = dash_duo.wait_for_element("#payments-search", timeout=30)
    box.send_keys(three, Keys.ENTER)
    dash_duo.wait_for_contains_text("#payments-bills", three, timeout=30)
    text = dash_duo.find_element("#payments-bills").text
    assert "BNI " in text or "BRI " in text
    assert "Bank Mandiri " in text or "BSI " in text
    counter = _counter_bill(site)
    box.clear()
    box.send_keys(counter, Keys.ENTER)
    dash_duo.wait_for_contains_text("#payments-bills", "Tanpa VA (loket/transfer)", timeout=30)
    assert "umur dihitung dari tanggal terbit" in dash_duo.find_element("#payments-bills").text
