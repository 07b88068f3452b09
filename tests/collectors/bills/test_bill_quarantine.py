"""Row-level quarantine (issue 17, point 5) on real source databases: a bad row (missing amount, unknown kind,
unreadable date, a number given twice) is set aside with its reason, stored and listed, while the good rows
land; more bad rows than the source's max_bad_percent fail the sync; an unreachable source fails with one
line naming it and the others still sync (`pantau sync bills --json`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from tagihan_app import PG_QUERY, QUERY, TABLE
from typer.testing import CliRunner

from app.cli import app as pantau
from collectors.bills import BillSource, TooManyBadRows, sync_source
from pantau.models import Bill
from queries.bill_quarantine import quarantine_counts, quarantined

ZONE = "Asia/Jakarta"
T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INVOICE = "INSERT INTO invoice VALUES (:key, :kind, NULL, '20252', :total, '777', '2026-03-20', :paid, :on, :mod)"


def _billing(app, name: str = "billing", **extra) -> BillSource:
    return BillSource(name=name, url=app.url.render_as_string(hide_password=False), query=PG_QUERY,
                      updated_column="modified", **extra)


def _invoice(app, key: str, *, kind: str = "registrasi", total: str | None = "300000", paid: bool = False,
             on: str | None = None, modified: str = "2026-03-01 10:00:00") -> None:
    with app.begin() as connection:
        connection.execute(text(INVOICE), {"key": key, "kind": kind, "total": total, "paid": paid, "on": on,
                                           "mod": modified})


def _live(engine) -> dict[str, Decimal]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Bill.source_key, Bill.amount).where(Bill.deleted_at.is_(None))).all())


def test_bq001_bad_rows_are_set_aside_with_their_reason_and_the_good_rows_land(pg_billing, store):
    for number in range(1, 58):
        _invoice(pg_billing, f"INV-{number:04d}")
    _invoice(pg_billing, "INV-0901", total=None)
    _invoice(pg_billing, "INV-0902", kind="parkir")
    _invoice(pg_billing, "INV-0903", paid=True, on="kemarin")
    report = sync_source(store, _billing(pg_billing), ZONE, now=T1, quarantine=True)
    assert (report.read, report.written, len(report.quarantined)) == (60, 57, 3)
    assert len(_live(store)) == 57
    listed = quarantined(store).set_index("source_key")
    assert listed.loc["INV-0901", ["query", "row", "column", "reason"]].tolist() == [
        "mapping query", "bill 'INV-0901'", "amount", "required value missing"]
    assert listed.loc["INV-0902", "column"] == "kind" and "not a bill kind" in listed.loc["INV-0902", "reason"]
    assert listed.loc["INV-0903", "column"] == "paid_at" and listed.loc["INV-0903", "value"] == "kemarin"
    assert str(report.quarantined[0]) == ("bill source 'billing' mapping query, bill 'INV-0901', field amount: "
                                          "required value missing")
    with pg_billing.begin() as connection:  # fixed at the source without touching its change time
        connection.execute(text("UPDATE invoice SET total = 450000 WHERE invoice_no = 'INV-0901'"))
    report = sync_source(store, _billing(pg_billing), ZONE, now=T2, quarantine=True)
    assert (report.written, len(report.quarantined)) == (1, 2)
    assert _live(store)["INV-0901"] == Decimal("450000.00")
    assert quarantine_counts(store) == {"billing": 2}


def test_bq002_more_bad_rows_than_the_threshold_fail_the_whole_sync(pg_billing, engine):
    for number in range(1, 9):
        _invoice(pg_billing, f"INV-{number:04d}")
    _invoice(pg_billing, "INV-0901", total=None)
    _invoice(pg_billing, "INV-0902", kind="parkir")
    with pytest.raises(TooManyBadRows, match=r"^bill source 'billing' all rows, field amount: 2 of 10 rows are bad "
                                             r"\(20\.0 %\), more than max_bad_percent 5 %; nothing was synced"):
        sync_source(engine, _billing(pg_billing), ZONE, now=T1, quarantine=True)
    assert _live(engine) == {} and quarantine_counts(engine) == {"billing": 2}
    report = sync_source(engine, _billing(pg_billing, max_bad_percent=20), ZONE, now=T1, quarantine=True)
    assert report.written == 8


def test_bq003_a_number_given_twice_sets_both_rows_aside_naming_both(mariadb_app, engine):
    app = mariadb_app()
    with app.begin() as connection:
        connection.execute(text(TABLE.replace("CREATE TABLE tagihan", "CREATE TABLE tagihan_lama")))
        for table, key, nominal in (("tagihan", "TGH-0001", 1500000), ("tagihan_lama", "TGH-0001", 1400000),
                                    *(("tagihan", f"TGH-1{n:03d}", 1000000) for n in range(40))):
            connection.execute(text(f"INSERT INTO {table} (no_tagihan, jenis_tagihan, nama, kd_semester, nominal,"
                                    " no_va, tgl_jatuh_tempo, diubah) VALUES (:key, 'registrasi', 'A', '20252',"
                                    " :nominal, '1', '2026-03-15', '2026-03-01 10:00:00')"),
                               {"key": key, "nominal": nominal})
    source = BillSource(name="keuangan", url=app.url.render_as_string(hide_password=False),
                        query=QUERY + " UNION ALL " + QUERY.replace("FROM tagihan", "FROM tagihan_lama"),
                        updated_column="diubah")
    report = sync_source(engine, source, ZONE, now=T1, quarantine=True)
    assert report.written == 40 and "TGH-0001" not in _live(engine)
    reasons = {problem.row: problem.reason for problem in report.quarantined}
    assert reasons == dict.fromkeys(["bill 'TGH-0001' (amount 1500000.00)", "bill 'TGH-0001' (amount 1400000.00)"],
                                    "the same bill number twice in one sync: bill 'TGH-0001' (amount 1500000.00) "
                                    "and bill 'TGH-0001' (amount 1400000.00)")


def test_bq004_an_unreachable_source_fails_with_one_line_and_the_others_sync(payment_app, pg_billing, tmp_path,
                                                                            monkeypatch, unused_tcp_port):
    with payment_app.begin() as connection:
        connection.execute(text("INSERT INTO tagihan (no_tagihan, jenis_tagihan, nama, kd_semester, nominal, no_va,"
                                " tgl_jatuh_tempo, diubah) VALUES ('TGH-1', 'registrasi', 'A', '20252', 1000000,"
                                " '1', '2026-03-15', '2026-03-01 10:00:00')"))
    _invoice(pg_billing, "INV-0001")
    _invoice(pg_billing, "INV-0002", kind="parkir")
    config = tmp_path / "pantau.toml"
    config.write_text(f"""
[sources.bills.portal]
url = "{payment_app.url.render_as_string(hide_password=False)}"
query = '''{QUERY}'''
updated_column = "diubah"

[sources.bills.lama]
url = "mysql+pymysql://root@127.0.0.1:{unused_tcp_port}/keuangan"
query = "SELECT * FROM tagihan"

[sources.bills.billing]
url = "{pg_billing.url.render_as_string(hide_password=False)}"
query = '''{PG_QUERY}'''
updated_column = "modified"
max_bad_percent = 50
""", encoding="utf-8")
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(pantau, ["init"]).exit_code == 0
    result = runner.invoke(pantau, ["sync", "bills", "--json"])
    assert result.exit_code == 1
    outcomes = {item["source"]: item for item in json.loads(result.stdout)["sources"]}
    assert outcomes["portal"]["status"] == "synced" and outcomes["portal"]["written"] == 1
    failed = outcomes["lama"]
    assert failed["status"] == "failed" and failed["error"].startswith(
        "bill source 'lama' could not be reached (mapping query): (2003, \"Can't connect to MySQL server on")
    assert "\n" not in failed["error"] and "Traceback" not in failed["error"] and "[SQL" not in failed["error"]
    assert outcomes["billing"]["written"] == 1
    [problem] = outcomes["billing"]["quarantined"]
    reason = problem.pop("reason")
    assert problem == {"row": "bill 'INV-0002'", "source_key": "INV-0002", "query": "mapping query", "column": "kind",
                       "field": "kind", "value": "parkir"}
    assert reason.startswith("not a bill kind (or one switched off); expected one of asrama, denda, herregistrasi,")
    plain = runner.invoke(pantau, ["sync", "bills"])
    assert "portal: 1 baris dibaca, 0 baru atau berubah, 0 ditandai terhapus, 0 disisihkan." in plain.stdout
    said = "Disisihkan: kueri pemetaan, tagihan 'INV-0002', kolom kind, nilai 'parkir': bukan jenis tagihan"
    assert said in plain.stdout
