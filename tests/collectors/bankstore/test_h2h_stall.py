"""Business-level stalls: money reaches the bank while no H2H notification comes (H2H silent), and a working
day's statement that does not come while notifications do; alerts only in working time, cleared by themselves."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bank_files import Line, bni, mt940, write
from sqlalchemy import select, update

from collectors.bankstore import import_file
from collectors.bankstore.stall import check
from pantau.models import Alert, BankImport
from pantau.settings import Settings

WIB = ZoneInfo("Asia/Jakarta")
VAS = ("9880012300000101", "9880012300000102", "9880012300000103")


def _statement_seen(store, tmp_path, at: datetime) -> None:
    lines = [Line("261202", 25_000 * (n + 1), f"FT{n}", f"PEMBAYARAN VA {va}") for n, va in enumerate(VAS)]
    summary = import_file(store, write(tmp_path, "dec2.sta", mt940(20, 0, lines, opens="261201", closes="261202")))
    with store.begin() as connection:
        connection.execute(update(BankImport).where(BankImport.id == summary.import_id).values(imported_at=at))


def _alerts(store) -> list[tuple[str, str, str]]:
    with store.connect() as connection:
        return sorted(connection.execute(select(Alert.dedup_key, Alert.role, Alert.state)).all())


def test_stall001_credits_without_notifications_alert_it_and_bendahara_after_30_working_minutes(store, tmp_path):
    settings = Settings(data_dir=tmp_path)
    _statement_seen(store, tmp_path, datetime(2026, 12, 3, 8, 0, tzinfo=WIB))
    assert check(store, settings, now=datetime(2026, 12, 3, 8, 20, tzinfo=WIB)) == 0
    assert check(store, settings, now=datetime(2026, 12, 3, 8, 31, tzinfo=WIB)) == 2
    assert _alerts(store) == [("h2h-silent:0987654321:bendahara", "bendahara", "open"),
                              ("h2h-silent:0987654321:kepala_it", "kepala_it", "open")]
    with store.connect() as connection:
        body = connection.scalar(select(Alert.body).limit(1))
    assert all(va in body for va in VAS)


def test_stall002_not_outside_working_hours_and_cleared_when_the_notifications_arrive(store, tmp_path):
    settings = Settings(data_dir=tmp_path)
    _statement_seen(store, tmp_path, datetime(2026, 12, 4, 18, 0, tzinfo=WIB))
    assert check(store, settings, now=datetime(2026, 12, 5, 10, 0, tzinfo=WIB)) == 0  # Saturday
    assert check(store, settings, now=datetime(2026, 12, 7, 8, 0, tzinfo=WIB)) == 2  # Monday, 30 working minutes on
    log = [bni(f"50000{n}", va, 25_000 * (n + 1), "2026-12-02 10:00:00") for n, va in enumerate(VAS)]
    assert import_file(store, write(tmp_path, "late.jsonl", log)).linked == 3
    assert check(store, settings, now=datetime(2026, 12, 7, 9, 0, tzinfo=WIB)) == 0
    assert {state for _, _, state in _alerts(store)} == {"resolved"}


def test_stall003_a_statement_that_does_not_come_while_notifications_do(store, tmp_path):
    settings = Settings(data_dir=tmp_path)
    import_file(store, write(tmp_path, "dec1.sta", mt940(19, 0, [Line("261201", 1_000, "FT1")],
                                                         opens="261130", closes="261201")))
    import_file(store, write(tmp_path, "dec2.jsonl", [bni("600001", VAS[0], 10_000, "2026-12-02 09:00:00")]))
    assert check(store, settings, now=datetime(2026, 12, 3, 11, 0, tzinfo=WIB)) == 0
    assert check(store, settings, now=datetime(2026, 12, 3, 13, 0, tzinfo=WIB)) == 1
    assert _alerts(store) == [("statement-missing:0987654321", "bendahara", "open")]


def test_stall004_an_account_at_a_bank_without_h2h_never_falls_silent(store, tmp_path):
    """The same statement as stall001 on an account [banks] places at Bank Mandiri (no H2H notifications come
    from it): no alert. Placed at BNI, whose eCollection notifies, it alerts as an account not listed does."""
    _statement_seen(store, tmp_path, datetime(2026, 12, 3, 8, 0, tzinfo=WIB))
    at = datetime(2026, 12, 3, 8, 31, tzinfo=WIB)
    assert check(store, Settings(data_dir=tmp_path, banks={"accounts": {"0987654321": "mandiri"}}), now=at) == 0
    assert check(store, Settings(data_dir=tmp_path, banks={"accounts": {"0987654321": "bni"}}), now=at) == 2
