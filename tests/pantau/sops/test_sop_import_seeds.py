"""The five seed documents round-trip: importing each gives the hand-encoded catalogue SOP's steps, executors
and times, except the differences listed here, each with the reason the hand encoding read the text otherwise
(docs/sops.md, "Where the hand encoding differs")."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.sops import Sop, load_catalogue
from pantau.sops.imports import differences, import_document

SEEDS = Path(__file__).parents[2] / "data" / "sops"
MARKS_LOST = "the seed's text lost the flowchart marks of the Pelaksana columns; the hand encoding read the executor " \
             "from the activity's meaning"


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Sop]:
    return load_catalogue()


def round_trip(catalogue: dict[str, Sop], name: str, code: str) -> dict[tuple[str, str], tuple]:
    draft = import_document(SEEDS / name, code=code, base=catalogue[code])
    assert [step.data["key"] for step in draft.steps] == [step.key for step in catalogue[code].steps]
    return {(d.step, d.field): (d.imported, d.catalogue) for d in differences(draft.as_catalogue(), catalogue[code])}


def only(expected: dict[tuple[str, str], tuple]) -> dict[tuple[str, str], tuple]:
    """The expected differences without their reasons."""
    return {where: values[:2] for where, values in expected.items()}


def test_soprt001_h2h_same_steps_and_times_but_the_decision_and_step_4_time(catalogue):
    expected = {
        ("1", "performer"): (None, "KA Unit IT", MARKS_LOST),
        ("2", "performer"): (None, "Bendahara Penerima", MARKS_LOST),
        ("3", "branches"): ((), ("YA", "TIDAK"), "the YA / TIDAK flowchart labels stand below the table; the "
                                                 "hand encoding placed them on step 3 from its wording "
                                                 "('apabila ada kendala')"),
        ("4", "performer"): (None, "Bendahara Penerima dan KA Unit IT", MARKS_LOST),
        ("4", "time"): ("none", "24 calendar_hours", "Waktu says '-'; the hand encoding took 'maksimal 1x24 jam' from "
                                                     "the Output column"),
    }
    assert round_trip(catalogue, "h2h_pembayaran.txt", "H2H") == only(expected)


def test_soprt002_ktm_same_steps_and_times_executors_read_from_section_7(catalogue):
    reason = MARKS_LOST + " and section 7 (Ketentuan Umum)"
    expected = {  # step 2, "Pendaftaran Pembuatan KTM", is the student's: registering is the asking party's
        ("1", "performer"): (None, "Petugas Yandu", reason),
        ("3", "performer"): (None, "Mahasiswa (membuka rekening di Bank)", reason),
        ("4", "performer"): (None, "Unit Terkait (Bank)", reason),
        ("5", "performer"): (None, "Petugas Yandu", reason),
    }
    assert round_trip(catalogue, "ktm_elektronik.txt", "KTM") == only(expected)


def test_soprt003_kso_same_ten_steps_times_decision_and_outside_wait(catalogue):
    misaligned = "the converter dropped a cell of this row, so its Pelaksana cells cannot be placed; " + MARKS_LOST
    expected = {
        ("2", "performer"): (None, "UPK SDMK", MARKS_LOST),
        ("3", "performer"): (None, "Tim IT UPK SDMK", "'Tim IT' is none of the Pelaksana columns; the hand "
                                                      "encoding placed the team in UPK SDMK"),
        ("4", "name"): ("Proses verifikasi dan persetujuan pengajuan SKP melalui aplikasi SIAKSI oleh kelegium",
                        "Proses verifikasi dan persetujuan pengajuan SKP melalui aplikasi SIAKSI oleh kolegium",
                        "the hand encoding corrected the seed's spelling 'kelegium'"),
        ("4", "performer"): ("Kelegium", "Kolegium (aplikasi SIAKSI)", "the outside party as the seed spells it "
                                                                       "('oleh kelegium'), corrected by hand"),
        ("5", "performer"): (None, "UPK SDMK", "the row's Pelaksana cells hold the branch labels Setuju / Ditolak"),
        ("6", "performer"): (None, "UPK SDMK", MARKS_LOST),
        ("7", "performer"): (None, "Pemohon dan UPK SDMK", misaligned),
        ("8", "performer"): (None, "Unit Bisnis", misaligned),
        ("10", "performer"): (None, "Unit Bisnis", misaligned),
    }
    # step 9, "Pembayaran sesuai invoice", is the applicant's: paying is the asking party's
    assert round_trip(catalogue, "kso_sdmk.txt", "KSO") == only(expected)


def test_soprt004_akun_two_flows_same_steps_and_times(catalogue):
    # two parties per table, the one who asks and the one who serves: the wording places ten of eleven rows
    # ("Mengirim pesan", "Mendapatkan pesan masuk", "... kepada pengirim", "Pengirim memberikan ...", "akses ditolak")
    expected = {("pengelolaan_akun:4", "performer"): (None, "Penanggung Jawab (Sub Bagian Administrasi Akademik)",
                                                      "'Penanggung Jawab' is none of the table's two columns (Pemohon, "
                                                      "Sub Bagian Administrasi Akademik); the hand encoding placed "
                                                      "the person in the Sub Bagian")}
    expected[("pemberian_akses:5", "branches")] = ((), ("Akses diberikan", "Akses ditolak"),
                                                   "the table has no branch labels; the hand encoding read the "
                                                   "decision from rows 6 and 7 ('akses diberikan' / 'akses ditolak')")
    assert round_trip(catalogue, "akun_digital.txt", "AKUN") == only(expected)


def test_soprt005_ws_same_steps_times_and_executors(catalogue):
    expected = {
        ("5", "name"): ("Sesuai arahan pimpinan, divisi administrasi/ hepldesk akan menyiapkan surat balasan ke unit "
                        "kerja terkait.",
                        "Sesuai arahan pimpinan, divisi administrasi/ helpdesk akan menyiapkan surat balasan ke unit "
                        "kerja terkait.", "the hand encoding corrected the seed's spelling 'hepldesk'"),
    }
    assert round_trip(catalogue, "webservice.txt", "WS") == only(expected)
