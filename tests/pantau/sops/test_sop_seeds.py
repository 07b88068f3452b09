"""The five seed SOPs, hand-checked against the documents in /work/shared/seeds/ step by step."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pantau.sops import END, PerformerRole, Sop, load_catalogue
from pantau.workcalendar import TimeUnit, WorkingCalendar

WIB = ZoneInfo("Asia/Jakarta")
U = TimeUnit


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Sop]:
    return load_catalogue()


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def table(sop: Sop, flow: str | None = None) -> list[tuple]:
    return [(s.number, s.key, s.time.value, s.time.unit, s.time.written) for s in sop.flow_steps(flow)]


def test_seed001_all_five_documents_load(catalogue):
    documents = {code: (sop.institution, sop.document_number, sop.effective) for code, sop in catalogue.items()}
    assert documents == {
        "H2H": ("Poltekkes Kemenkes Surakarta", "PR.04/10.1/14.10.10/2017", date(2017, 1, 5)),
        "KTM": ("Poltekkes Kemenkes Jakarta III", "DI/ADUM/PR/046", date(2020, 1, 2)),
        "KSO": ("Poltekkes Kemenkes Surakarta", "OT.02.02/F.XXV/214/2025", date(2025, 1, 14)),
        "AKUN": ("Politeknik Ilmu Pemasyarakatan", "SDM.5.OT.02.02-5068", None),
        "WS": ("Universitas Syiah Kuala", "POB/04/PSI/TIK/2020", date(2020, 5, 12)),
    }
    step_counts = {code: len(sop.steps) for code, sop in catalogue.items()}
    assert step_counts == {"H2H": 4, "KTM": 5, "KSO": 10, "AKUN": 11, "WS": 5}


def test_seed002_h2h_pembayaran(catalogue):
    sop = catalogue["H2H"]
    assert sop.unit == "Bendahara Penerima"
    assert table(sop) == [
        (1, "monitoring_server", 1, U.WORKING_HOURS, "1 jam"),
        (2, "setting_tagihan", 14, U.CALENDAR_DAYS, "2 minggu"),
        (3, "pembayaran", None, U.NONE, "-"),
        (4, "pengecekan_pembayaran", 24, U.CALENDAR_HOURS, "maksimal 1x24 jam"),
    ]
    assert [s.performer_role for s in sop.steps] == [
        PerformerRole.KEPALA_IT, PerformerRole.BENDAHARA, PerformerRole.OPERATOR, PerformerRole.BENDAHARA,
    ]
    assert {b.label: b.target for b in sop.step("pembayaran").branches} == {"YA": "pengecekan_pembayaran", "TIDAK": END}
    assert sop.step("monitoring_server").output == "Server selalu on dan terjaga koneksi dengan bank"
    assert any("token pembayaran" in warning for warning in sop.warnings)


def test_seed003_ktm_elektronik(catalogue):
    sop = catalogue["KTM"]
    assert table(sop) == [
        (1, "sosialisasi", 10, U.WORKING_MINUTES, "10 menit"),
        (2, "pendaftaran", 10, U.WORKING_MINUTES, "10 menit"),
        (3, "pembuatan_rekening", 1, U.WORKING_HOURS, "1 Jam"),
        (4, "pembuatan_ktm", 5, U.WORKING_MINUTES, "5 menit"),
        (5, "distribusi", 3, U.WORKING_DAYS, "3 hari"),
    ]
    assert [s.name for s in sop.steps] == [
        "Sosialisasi Pembuatan KTM",
        "Pendaftaran Pembuatan KTM",
        "Pembuatan Rekening",
        "Pembuatan KTM",
        "Distribusi KTM",
    ]
    assert "Daftar NIM" in sop.step("pembuatan_ktm").notes


def test_seed004_kso_sdmk_with_the_kolegium_wait_and_its_verdict(catalogue):
    sop = catalogue["KSO"]
    assert table(sop) == [
        (1, "permohonan", 1, U.WORKING_DAYS, "1 hari"),
        (2, "dokumen_kso", 30, U.WORKING_MINUTES, "30 menit"),
        (3, "unggah_siaksi", 1, U.WORKING_HOURS, "1 jam"),
        (4, "verifikasi_skp", 1, U.CALENDAR_MONTHS, "1 bulan"),
        (5, "informasi_hasil", None, U.NONE, None),
        (6, "publikasi", 1, U.CALENDAR_MONTHS, "1 bulan"),
        (7, "pelaksanaan_kegiatan", None, U.AS_SCHEDULED, "Sesuai jadwal"),
        (8, "invoice", 15, U.WORKING_MINUTES, "15 menit"),
        (9, "pembayaran", 1, U.WORKING_HOURS, "1 jam"),
        (10, "surat_keterangan_pembayaran", 30, U.WORKING_MINUTES, "30 menit"),
    ]
    assert [s.key for s in sop.steps if s.outside_party] == ["verifikasi_skp"]
    assert "SIAKSI" in sop.step("verifikasi_skp").name
    assert {b.label: b.target for b in sop.step("informasi_hasil").branches} == {"Setuju": "publikasi", "Ditolak": END}
    assert {s.unit for s in sop.steps} == {"UPK SDMK", "Unit Bisnis"}


def test_seed005_akun_digital_has_two_flows_ending_in_access_granted_or_rejected(catalogue):
    sop = catalogue["AKUN"]
    assert [flow.key for flow in sop.flows] == ["pengelolaan_akun", "pemberian_akses"]
    assert table(sop, "pengelolaan_akun") == [
        (1, "kirim_akun", 15, U.WORKING_MINUTES, "15 menit"),
        (2, "terima_akun", None, U.NONE, None),
        (3, "tanggapan_akun", 15, U.WORKING_MINUTES, "15 menit"),
        (4, "catat_akun", 15, U.WORKING_MINUTES, "15 menit"),
    ]
    assert table(sop, "pemberian_akses") == [
        (1, "kirim_permintaan", 15, U.WORKING_MINUTES, "15 menit"),
        (2, "terima_permintaan", None, U.NONE, None),
        (3, "terima_tanggapan", 15, U.WORKING_MINUTES, "15 menit"),
        (4, "konfirmasi_pengirim", 15, U.WORKING_MINUTES, "15 menit"),
        (5, "pertimbangan_akses", 15, U.WORKING_MINUTES, "15 menit"),
        (6, "akses_diberikan", 15, U.WORKING_MINUTES, "15 menit"),
        (7, "akses_ditolak", 15, U.WORKING_MINUTES, "15 menit"),
    ]
    assert sop.successors("pertimbangan_akses") == ("akses_diberikan", "akses_ditolak")
    assert sop.successors("akses_diberikan") == (END,)
    assert sop.successors("akses_ditolak") == (END,)
    assert sop.successors("catat_akun") == (END,)


def test_seed006_webservice_uses_the_1x24_jam_hari_kerja_term(catalogue):
    sop = catalogue["WS"]
    assert table(sop) == [
        (1, "surat_permohonan", 5, U.WORKING_MINUTES, "5 menit"),
        (2, "agenda_disposisi", 5, U.WORKING_MINUTES, "5 menit"),
        (3, "buat_akun", 1, U.WORKING_DAYS, "1 x 24 jam hari kerja"),
        (4, "konfirmasi_akun", 5, U.WORKING_MINUTES, "5 menit"),
        (5, "surat_balasan", 1, U.WORKING_DAYS, "1 x 24 jam hari kerja"),
    ]
    assert sop.step("buat_akun").time.term == "1x24 jam hari kerja"
    validity = sop.step("buat_akun").access_valid_for
    assert (validity.value, validity.unit) == (12, U.CALENDAR_MONTHS)


def test_seed007_due_times_of_seed_steps_on_the_indonesian_calendar(catalogue):
    cal = WorkingCalendar()
    cases = [
        ("WS", "buat_akun", wib(2026, 3, 13, 14, 0), wib(2026, 3, 16, 14, 0)),
        ("KTM", "distribusi", wib(2026, 3, 17, 9, 0), wib(2026, 3, 27, 9, 0)),
        ("KSO", "verifikasi_skp", wib(2026, 1, 31, 9, 0), wib(2026, 2, 28, 9, 0)),
        ("H2H", "pengecekan_pembayaran", wib(2026, 3, 6, 15, 0), wib(2026, 3, 7, 15, 0)),
        ("AKUN", "tanggapan_akun", wib(2026, 3, 6, 16, 25), wib(2026, 3, 9, 7, 40)),
        ("KSO", "pelaksanaan_kegiatan", wib(2026, 3, 2, 9, 0), None),
    ]
    for code, key, start, expected in cases:
        assert cal.due_time(start, catalogue[code].step(key).time) == expected, (code, key)
