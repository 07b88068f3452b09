"""Events read from a source system's own MariaDB tables through the campus's mapping query.

Each test gets a throwaway database on the MariaDB at 127.0.0.1:3306 (root, no password), shaped
like a PHP application's: requests in one table, a processing log in another, naive local times.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from collectors.workflow.collectors import WorkflowSourcesCollector
from collectors.workflow.source_db import read_source, since
from pantau.models import SopCase, StepEvent
from pantau.models.workflow import StepResult
from pantau.settings import Settings
from pantau.sla.config import WorkflowSource

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=WIB)
SERVER = "mysql+pymysql://root@127.0.0.1:3306/"
MAPPING = """
SELECT CONCAT('log-', l.id) AS event_id, p.no_surat AS case_ref, l.tahap AS step,
       l.mulai AS started_at, l.selesai AS completed_at, l.petugas AS performer,
       p.unit_kerja AS unit, p.perihal AS subject
FROM log_proses l JOIN permohonan_ws p ON p.id = l.permohonan_id
WHERE COALESCE(l.selesai, l.mulai) >= :since
ORDER BY l.id
"""


@pytest.fixture
def source_url():
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"pantau_wf_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as error:
        pytest.skip(f"needs MariaDB at 127.0.0.1:3306: {error.orig}")
    url = f"{SERVER}{name}"
    source = create_engine(url)
    with source.begin() as connection:
        connection.execute(text(
            "CREATE TABLE permohonan_ws (id INT PRIMARY KEY, no_surat VARCHAR(40), unit_kerja VARCHAR(80),"
            " perihal VARCHAR(160))"))
        connection.execute(text(
            "CREATE TABLE log_proses (id INT AUTO_INCREMENT PRIMARY KEY, permohonan_id INT, tahap VARCHAR(40),"
            " mulai DATETIME NULL, selesai DATETIME NULL, petugas VARCHAR(80))"))
        connection.execute(text(
            "INSERT INTO permohonan_ws VALUES (1, 'B-101/UN11/2026', 'Fakultas Teknik', 'Data mahasiswa'),"
            " (2, 'B-102/UN11/2026', 'Biro Keuangan', 'Data UKT')"))
        connection.execute(text(
            "INSERT INTO log_proses (permohonan_id, tahap, mulai, selesai, petugas) VALUES"
            " (1, 'surat_permohonan', '2026-05-08 10:00:00', '2026-05-08 10:04:00', 'Helpdesk'),"
            " (1, 'agenda_disposisi', '2026-05-08 10:04:00', NULL, 'Helpdesk'),"
            " (2, 'surat_permohonan', '2026-05-11 09:00:00', '2026-05-11 09:03:00', 'Helpdesk')"))
    source.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


def execute(url: str, statement: str) -> None:
    source = create_engine(url)
    with source.begin() as connection:
        connection.execute(text(statement))
    source.dispose()


def states(engine) -> dict[tuple[str, str], str]:
    with engine.connect() as connection:
        rows = connection.execute(select(SopCase.case_ref, StepResult.step_key, StepResult.state)
                                  .join(SopCase, SopCase.id == StepResult.case_id)).all()
    return {(case, step): state for case, step, state in rows}


def test_src001_mapping_query_rows_become_cases_and_measured_steps(store, ctx, source_url):
    source = WorkflowSource(name="simpeg", url=source_url, query=MAPPING, sop="WS")
    read = read_source(store, source, ctx, now=NOW)
    assert (read.report.received, read.report.stored, read.skipped) == (3, 3, [])
    assert states(store) == {
        ("B-101/UN11/2026", "surat_permohonan"): "met", ("B-101/UN11/2026", "agenda_disposisi"): "open",
        ("B-102/UN11/2026", "surat_permohonan"): "met", ("B-102/UN11/2026", "agenda_disposisi"): "open",
    }
    with store.connect() as connection:
        case = connection.execute(select(SopCase.unit, SopCase.subject, SopCase.source)
                                  .where(SopCase.case_ref == "B-101/UN11/2026")).one()
    assert tuple(case) == ("Fakultas Teknik", "Data mahasiswa", "simpeg")


def test_src002_a_row_completed_later_is_read_again_and_rereading_is_harmless(store, ctx, source_url):
    source = WorkflowSource(name="simpeg", url=source_url, query=MAPPING, sop="WS")
    read_source(store, source, ctx, now=NOW)
    # The newest time read is 11 May 09:03 WIB; with 48 hours of overlap the next read starts 9 May 09:03.
    assert since(store, source).astimezone(WIB) == datetime(2026, 5, 9, 9, 3, tzinfo=WIB)
    execute(source_url, "UPDATE log_proses SET selesai = '2026-05-11 09:20:00' WHERE id = 2")
    again = read_source(store, source, ctx, now=NOW)
    assert (again.report.received, again.report.stored) == (2, 1), "row 1 is older than the window"
    assert states(store)[("B-101/UN11/2026", "agenda_disposisi")] == "breached"
    assert read_source(store, source, ctx, now=NOW).report.stored == 0
    with store.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(StepEvent)) == 4


def test_src003_rows_that_do_not_validate_are_skipped_and_named(store, ctx, source_url):
    execute(source_url, "INSERT INTO log_proses (permohonan_id, tahap, mulai, selesai) VALUES"
                        " (2, 'arsip', '2026-05-11 10:00:00', NULL)")
    source = WorkflowSource(name="simpeg", url=source_url, query=MAPPING, sop="WS")
    read = read_source(store, source, ctx, now=NOW)
    assert read.report.stored == 3
    assert read.skipped == ["row 4 field step, value 'arsip': SOP WS has no such step; keys: surat_permohonan, "
                            "agenda_disposisi, buat_akun, konfirmasi_akun, surat_balasan"]


def test_src004_collector_reads_every_source_and_reports_one_that_is_down(store, source_url, unused_tcp_port):
    good = {"name": "simpeg", "url": source_url, "query": MAPPING, "sop": "WS"}
    settings = Settings(sops={"sources": [good]})
    result = WorkflowSourcesCollector(settings, store).run()
    assert result.items == 3 and result.message == "simpeg: 3 new events of 3"
    down = {"name": "siakad", "url": f"mysql+pymysql://root@127.0.0.1:{unused_tcp_port}/x", "query": "SELECT 1"}
    collector = WorkflowSourcesCollector(Settings(sops={"sources": [good, down]}), store)
    # The second read of simpeg asks only for rows since its newest event less the overlap: one row.
    with pytest.raises(RuntimeError, match=r"^siakad: .*Can't connect[^\n]*; simpeg: 0 new events of 1$"):
        collector.run()
