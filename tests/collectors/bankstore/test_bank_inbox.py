"""The watched inbox: files imported once and archived, refused files set aside with the reason and an
alert, partial downloads left alone, and reconciliation after anything new."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from collectors.bankstore import BankInboxCollector, FeedSettings, drain, feed_settings
from collectors.bankstore.inbox import ready_files
from pantau.db import session_scope
from pantau.models import Alert, BankImport
from pantau.models.bank import ReconSummary
from pantau.settings import Settings

DATA = Path(__file__).resolve().parents[2] / "data" / "bank"
ZONE = ZoneInfo("Asia/Jakarta")


def _drop(inbox: Path, name: str, as_name: str | None = None, age_s: float = 60) -> Path:
    target = inbox / (as_name or name)
    shutil.copy(DATA / name, target)
    past = time.time() - age_s
    os.utime(target, (past, past))
    return target


def test_bi001_files_are_imported_then_archived(engine, tmp_path):
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    _drop(inbox, "bni_ecollection.jsonl")
    _drop(inbox, "mandiri_envelope.sta")
    summaries = drain(engine, FeedSettings(inbox=inbox), ZONE)
    assert [s.status for s in summaries] == ["imported", "imported"]
    assert sorted(p.name for p in (inbox / "arsip").iterdir()) == ["bni_ecollection.jsonl", "mandiri_envelope.sta"]
    assert [p.name for p in inbox.iterdir()] == ["arsip"]


def test_bi002_a_file_dropped_again_adds_nothing_and_is_archived_beside_the_first(engine, tmp_path):
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    _drop(inbox, "briva.jsonl")
    drain(engine, FeedSettings(inbox=inbox), ZONE)
    _drop(inbox, "briva.jsonl")
    [again] = drain(engine, FeedSettings(inbox=inbox), ZONE)
    assert (again.status, again.added) == ("already_imported", 0)
    assert len(list((inbox / "arsip").iterdir())) == 2
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(BankImport)) == 1


def test_bi003_a_refused_file_goes_aside_with_its_reason_and_alerts_the_bendahara(engine, tmp_path):
    inbox, rejected = tmp_path / "masuk", tmp_path / "ditolak"
    inbox.mkdir()
    _drop(inbox, "truncated.sta", "mt940-bni-20260301.sta")
    [summary] = drain(engine, FeedSettings(inbox=inbox, rejected=rejected), ZONE)
    assert summary.status == "rejected"
    reason = (rejected / "mt940-bni-20260301.sta.error.txt").read_text()
    assert reason == ("mt940-bni-20260301.sta (MT940) baris 8, kolom :62F:: "
                      "saldo akhir tidak ada (apakah file terpotong?)\n")
    with session_scope(engine) as session:
        alert = session.scalars(select(Alert)).one()
        assert (alert.role, alert.source, alert.link) == ("bendahara", "bank-inbox", "/pembayaran")
        assert "mt940-bni-20260301.sta" in alert.title


def test_bi004_hidden_partial_and_fresh_files_wait(tmp_path):
    for name in (".tersembunyi.sta", "unduhan.sta.part", "baru.sta", "siap.sta"):
        (tmp_path / name).write_text("x")
    past = time.time() - 60
    for name in (".tersembunyi.sta", "unduhan.sta.part", "siap.sta"):
        os.utime(tmp_path / name, (past, past))
    assert [p.name for p in ready_files(tmp_path, settle_s=10)] == ["siap.sta"]


def test_bi005_the_collector_reads_its_mapping_by_file_name_and_reconciles(engine, tmp_path):
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    _drop(inbox, "mandiri_mutasi.csv", "mutasi-mandiri-0301.csv")
    settings = Settings(data_dir=tmp_path, feeds={
        "inbox": str(inbox), "settle_s": 0,
        "mappings": {"mandiri": {"files": ["mutasi-mandiri-*.csv"], "columns": {
            "date": "Tanggal", "amount": "Jumlah", "direction": "D/K", "reference": "No. Referensi", "va": "No. VA",
            "name": "Nama Penyetor", "description": "Keterangan", "date_format": "%d/%m/%Y %H:%M:%S",
            "skip_rows": 2}}},
    })
    result = BankInboxCollector(settings, engine).run()
    assert result.items == 3 and "0 files refused" in result.message
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReconSummary)) > 0


def test_bi006_a_wrong_feeds_section_names_the_item_and_field(tmp_path):
    settings = Settings(data_dir=tmp_path, feeds={"mappings": {"mandiri": {"columns": {"amount": "Jumlah"}}}})
    try:
        feed_settings(settings)
    except ValueError as error:
        assert str(error).startswith("feeds.mappings.mandiri.columns.date: Field required")
    else:
        raise AssertionError("a mapping without a date column was accepted")
