"""Shape (c) of docs/sources.md: a PostgreSQL billing service (its own schema in a database made by the test)
synced with the documented settings and mapping query: invoices with lines, payment codes per channel,
reversible payments and timestamptz times; a change two hours after the last one (inside the seven hours a
UTC session would shift the watermark by), a void, a reopening and an invoice without lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from shape_examples import bill_vas, build, documented_source, live_bills, run, stored
from sqlalchemy import text

from collectors.bills import sync_source
from collectors.bills.reader import source_engine
from pantau.models import Bill

pytestmark = pytest.mark.postgres  # the source is a PostgreSQL database (and the store is on both)
ZONE = "Asia/Jakarta"
T1, T2, T3 = (datetime(2026, 1, day, 12, 0, tzinfo=UTC) for day in (10, 11, 12))
R = Decimal
OLD, LATER = "2026-01-10 08:00+07", "2026-01-10 10:00+07"
INVOICE = ("INSERT INTO billing.invoices (id, number, customer_id, category, academic_term, due_at, status, "
           "updated_at) VALUES (:id, :no, :customer, :category, :term, :due, :status, :at)")
LINE = "INSERT INTO billing.invoice_lines (invoice_id, description, amount) VALUES (:id, :what, :amount)"
CODE = "INSERT INTO billing.payment_codes VALUES (:id, :channel, :code)"
PAYMENT = ("INSERT INTO billing.payments (invoice_id, amount, paid_at, recorded_at) VALUES "
           "(:id, :amount, :paid, :at)")


def billing_service(database):
    """The billing service of example (c), filled: a student and an applicant, three invoices and a draft."""
    build(database, "billing-schema")
    run(database, "INSERT INTO billing.customers VALUES (:id, :nim, :name, :program, :intake)",
        {"id": 1, "nim": "2301001", "name": "Rina Wulandari", "program": "TI-D4", "intake": 2023},
        {"id": 2, "nim": "PMB2026017", "name": "Dewi Lestari", "program": "KEP-D3", "intake": 2026})
    run(database, INVOICE,
        {"id": 1, "no": "BIL/2026/0001", "customer": 1, "category": "tuition", "term": "2025-2",
         "due": "2026-02-28 00:00+07", "status": "open", "at": OLD},
        {"id": 2, "no": "BIL/2026/0002", "customer": 2, "category": "admission_fee", "term": "2025-2",
         "due": "2026-03-31 00:00+07", "status": "paid", "at": OLD},
        {"id": 3, "no": "BIL/2025/0913", "customer": 1, "category": "registration", "term": "2025-1",
         "due": "2025-08-15 23:59:59+07", "status": "paid", "at": OLD},
        {"id": 4, "no": "BIL/2026/0004", "customer": 2, "category": "tuition", "term": "2025-2",
         "due": "2026-02-28 00:00+07", "status": "draft", "at": OLD})
    run(database, LINE, {"id": 1, "what": "UKT golongan 4", "amount": 4500000},
        {"id": 2, "what": "Biaya pendaftaran", "amount": 300000}, {"id": 3, "what": "Registrasi", "amount": 2000000},
        {"id": 3, "what": "Jas almamater", "amount": 350000}, {"id": 4, "what": "UKT", "amount": 1000000})
    run(database, CODE, {"id": 1, "channel": "bri_va", "code": "12345600001"},
        {"id": 1, "channel": "bni_va", "code": "988123010001"}, {"id": 2, "channel": "bni_va", "code": "988123010002"},
        {"id": 3, "channel": "qris", "code": "QR-3"}, {"id": 3, "channel": "bni_va", "code": "988123010003"})
    run(database, PAYMENT, {"id": 2, "amount": 300000, "paid": "2026-01-05 10:00+07", "at": "2026-01-05 10:01+07"},
        {"id": 3, "amount": 2350000, "paid": "2025-08-01 09:00+07", "at": "2025-08-01 09:01+07"})
    return database


def test_shape101_billing_service_invoices_land_with_campus_due_dates_and_follow_changes(pg_billing, store):
    app = billing_service(pg_billing)
    source = documented_source("billing-toml", app, max_bad_percent=50)  # a small data set: one bad row of three
    report = sync_source(store, source, ZONE, now=T1, quarantine=True)
    assert (report.written, report.quarantined) == (3, [])
    assert live_bills(store) == {
        "BIL/2026/0001": ("herregistrasi", "20252", 2023, "988123010001", date(2026, 2, 28), False, R(4500000), R(0)),
        "BIL/2026/0002": ("sipenmatu", "20252", 2026, "988123010002", date(2026, 3, 31), True, R(300000), R(300000)),
        "BIL/2025/0913": ("registrasi", "20251", 2023, "988123010003", date(2025, 8, 15), True, R(2350000),
                          R(2350000)),
    }
    assert stored(store, Bill.app_paid_at)["BIL/2026/0002"] == datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    vas = bill_vas(store)  # the BNI and BRI payment codes by bank; the QRIS code is no VA
    assert (vas["BIL/2026/0001"], vas["BIL/2025/0913"]) == ([("bni", "988123010001"), ("bri", "12345600001")],
                                                            [("bni", "988123010003")])

    run(app, PAYMENT, {"id": 1, "amount": 4500000, "paid": "2026-01-10 09:55+07", "at": LATER})
    run(app, "UPDATE billing.invoices SET status = 'paid', updated_at = :at WHERE id = 1", {"at": LATER})
    run(app, "UPDATE billing.payments SET reversed = true WHERE invoice_id = 3")
    run(app, "UPDATE billing.invoices SET status = 'open', updated_at = :at WHERE id = 3", {"at": LATER})
    run(app, "UPDATE billing.invoices SET status = 'void', updated_at = :at WHERE id = 2", {"at": LATER})
    run(app, INVOICE, {"id": 5, "no": "BIL/2026/0005", "customer": 1, "category": "tuition", "term": "2025-2",
                       "due": "2026-02-28 00:00+07", "status": "open", "at": LATER})
    run(app, CODE, {"id": 5, "channel": "bni_va", "code": "988123010005"})
    report = sync_source(store, source, ZONE, now=T2, quarantine=True)
    assert (report.written, report.deleted) == (2, 1)
    bills = live_bills(store)
    assert set(bills) == {"BIL/2026/0001", "BIL/2025/0913"}
    assert bills["BIL/2026/0001"][5:] == (True, R(4500000), R(4500000))
    assert bills["BIL/2025/0913"][5:] == (False, R(2350000), R(0))
    assert stored(store, Bill.app_paid_at)["BIL/2026/0001"] == datetime(2026, 1, 10, 2, 55, tzinfo=UTC)
    [bad] = report.quarantined
    assert (bad.key, bad.field, bad.reason) == ("BIL/2026/0005", "amount", "required value missing")

    run(app, "UPDATE billing.invoices SET status = 'paid', updated_at = '2026-01-10 11:00+07' WHERE id = 2")
    run(app, LINE, {"id": 5, "what": "UKT golongan 4", "amount": 4500000})  # the invoice's own time unchanged
    report = sync_source(store, source, ZONE, now=T3, quarantine=True)
    assert report.quarantined == [] and report.written == 2
    bills = live_bills(store)
    assert bills["BIL/2026/0002"][5:] == (True, R(300000), R(300000))
    assert bills["BIL/2026/0005"] == ("herregistrasi", "20252", 2023, "988123010005", date(2026, 2, 28), False,
                                      R(4500000), R(0))


def test_shape102_a_postgresql_source_session_is_read_only_in_the_source_zone_on_every_connection(pg_billing):
    source = documented_source("billing-toml", billing_service(pg_billing))
    database = source_engine(source, ZONE)
    try:
        for _ in range(3):  # the pool hands the same connection back: the settings must outlive a rollback
            with database.connect() as connection:
                assert connection.execute(text("SHOW TimeZone")).scalar() == ZONE
                assert connection.execute(text("SHOW transaction_read_only")).scalar() == "on"
    finally:
        database.dispose()
