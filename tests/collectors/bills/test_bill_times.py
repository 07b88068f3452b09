"""Per-source time zones and date formats (issue 17, point 6) on real source databases: MariaDB TIMESTAMP values
(kept in UTC) read right whatever the server's zone, naive DATETIME values in the source's WIB, WITA, WIT or UTC,
and paid dates given as a date alone, as dd/mm/yyyy, or in the source's own format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from tagihan_app import PG_QUERY

from collectors.bills import BillSource, sync_source
from pantau.models import Bill

T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
STAMPED = """
CREATE TABLE tagihan (
  no_tagihan VARCHAR(30) PRIMARY KEY,
  nominal DECIMAL(14, 2) NOT NULL,
  tgl_bayar DATETIME NULL,
  dibayar TIMESTAMP NULL DEFAULT NULL,
  diubah TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)"""
STAMPED_QUERY = """SELECT no_tagihan AS source_key, 'registrasi' AS kind, nominal AS amount, '1' AS va_number,
'2026-03-15' AS due_date, '20252' AS semester, 1 AS paid, {paid} AS paid_at, diubah FROM tagihan"""


def _paid_at(engine) -> dict[str, datetime]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Bill.source_key, Bill.app_paid_at)).all())


@pytest.mark.parametrize("zone", ["WIB", "WIT", "UTC"])
def test_bt001_mariadb_timestamps_kept_in_utc_read_right_in_any_source_zone(mariadb_app, engine, zone):
    app = mariadb_app(STAMPED)
    with app.begin() as connection:
        connection.execute(text("SET time_zone = '+00:00'"))
        connection.execute(text("INSERT INTO tagihan VALUES ('TGH-1', 1000000, NULL, '2026-03-01 02:30:00',"
                                " '2026-03-01 02:31:00')"))
    url = app.url.render_as_string(hide_password=False)
    source = BillSource(name="portal", url=url, query=STAMPED_QUERY.format(paid="dibayar"), updated_column="diubah",
                        timezone=zone)
    sync_source(engine, source, "Asia/Jakarta", now=T1)
    with engine.connect() as connection:
        row = connection.execute(select(Bill.app_paid_at, Bill.source_updated_at)).one()
    assert tuple(row) == (datetime(2026, 3, 1, 2, 30, tzinfo=UTC), datetime(2026, 3, 1, 2, 31, tzinfo=UTC))
    assert sync_source(engine, source, "Asia/Jakarta", now=T1).written == 0, "the watermark compares in one zone"


@pytest.mark.parametrize(("zone", "wall", "utc_hour"), [("WIB", "09:30", 2), ("WITA", "10:30", 2), ("WIT", "11:30", 2),
                                                        ("UTC", "02:30", 2), ("Asia/Makassar", "10:30", 2)])
def test_bt002_naive_datetimes_are_in_the_sources_zone(mariadb_app, engine, zone, wall, utc_hour):
    app = mariadb_app(STAMPED)
    with app.begin() as connection:
        connection.execute(text(f"INSERT INTO tagihan VALUES ('TGH-1', 1000000, '2026-03-01 {wall}:00', NULL,"
                                " CURRENT_TIMESTAMP)"))
    source = BillSource(name="lama", url=app.url.render_as_string(hide_password=False),
                        query=STAMPED_QUERY.format(paid="tgl_bayar"), updated_column="diubah", timezone=zone)
    sync_source(engine, source, "Asia/Jakarta", now=T1)
    assert _paid_at(engine)["TGH-1"] == datetime(2026, 3, 1, utc_hour, 30, tzinfo=UTC)


def test_bt003_paid_dates_alone_in_dd_mm_yyyy_or_the_sources_format(pg_billing, engine):
    given = {"INV-1": "15/03/2026", "INV-2": "2026-03-15", "INV-3": "15/03/2026 09:30", "INV-4": "15-03-2026",
             "INV-5": "2026-03-15T09:30:00+08:00", "INV-6": "03.15.2026"}
    with pg_billing.begin() as connection:
        for key, paid_on in given.items():
            connection.execute(text("INSERT INTO invoice VALUES (:key, 'registrasi', NULL, '20252', 300000, '777',"
                                    " '2026-03-20', true, :on, '2026-03-01 10:00:00')"), {"key": key, "on": paid_on})
    source = BillSource(name="billing", url=pg_billing.url.render_as_string(hide_password=False), query=PG_QUERY,
                        updated_column="modified", timezone="WIB", date_formats=["%m.%d.%Y"])
    report = sync_source(engine, source, "UTC", now=T1, quarantine=True)
    assert report.quarantined == []
    midnight = datetime(2026, 3, 14, 17, 0, tzinfo=UTC)
    assert _paid_at(engine) == {"INV-1": midnight, "INV-2": midnight, "INV-3": datetime(2026, 3, 15, 2, 30, tzinfo=UTC),
                                "INV-4": midnight, "INV-5": datetime(2026, 3, 15, 1, 30, tzinfo=UTC),
                                "INV-6": midnight}


def test_bt004_a_zone_or_format_that_is_not_one_is_refused_naming_it():
    with pytest.raises(ValueError, match="timezone 'WIBB' is not WIB, WITA, WIT, UTC or an IANA zone"):
        BillSource(name="x", file="x.csv", timezone="WIBB")
    with pytest.raises(ValueError, match="date_formats 'dd/mm/yyyy' is not a strptime format"):
        BillSource(name="x", file="x.csv", date_formats=["dd/mm/yyyy"])
    assert BillSource(name="x", file="x.csv", timezone="wita").zone("Asia/Jakarta") == "Asia/Makassar"
