"""Paths through the catalogue's SOPs and the vocabulary of the demo's workflow cases."""

from __future__ import annotations

import numpy as np

Path = list[tuple[str, str | None]]

KTM_PATH = ("sosialisasi", "pendaftaran", "pembuatan_rekening", "pembuatan_ktm", "distribusi")
WS_PATH = ("surat_permohonan", "agenda_disposisi", "buat_akun", "konfirmasi_akun", "surat_balasan")

_KSO_REQUEST: Path = [("permohonan", None), ("dokumen_kso", None), ("unggah_siaksi", None), ("verifikasi_skp", None)]
KSO_APPROVED: Path = _KSO_REQUEST + [
    ("informasi_hasil", "setuju"), ("publikasi", None), ("pelaksanaan_kegiatan", None), ("invoice", None),
    ("pembayaran", None), ("surat_keterangan_pembayaran", None),
]
KSO_REJECTED: Path = _KSO_REQUEST + [("informasi_hasil", "ditolak")]

_ACCESS: Path = [("kirim_permintaan", None), ("terima_permintaan", None), ("terima_tanggapan", None),
                 ("konfirmasi_pengirim", None)]
AKUN_PATHS: tuple[tuple[str, Path, str], ...] = (
    ("pengelolaan_akun", [("kirim_akun", None), ("terima_akun", None), ("tanggapan_akun", None), ("catat_akun", None)],
     "tercatat"),
    ("pemberian_akses", _ACCESS + [("pertimbangan_akses", "diberikan"), ("akses_diberikan", None)], "diberikan"),
    ("pemberian_akses", _ACCESS + [("pertimbangan_akses", "ditolak"), ("akses_ditolak", None)], "ditolak"),
)

H2H_SETUP: Path = [("monitoring_server", None), ("setting_tagihan", None), ("pembayaran", "tidak")]
H2H_PROBLEM: Path = [("pembayaran", "ya"), ("pengecekan_pembayaran", None)]

TRAININGS = (
    "Pelatihan Basic Life Support", "Pelatihan Pencegahan dan Pengendalian Infeksi", "Workshop Manajemen Laktasi",
    "Pelatihan Asuhan Persalinan Normal", "Pelatihan Pemeriksaan Laboratorium Hematologi",
    "Pelatihan Fisioterapi Pediatri", "Pelatihan Konseling Gizi", "Pelatihan Pelayanan Kefarmasian di Puskesmas",
    "Workshop Penulisan Karya Ilmiah Keperawatan", "Pelatihan Manajemen Nyeri", "Pelatihan Kegawatdaruratan Maternal",
    "Pelatihan Okupasi Terapi bagi Anak Berkebutuhan Khusus",
)
AUDIENCES = ("Perawat", "Bidan", "Ahli Teknologi Laboratorium Medik", "Fisioterapis", "Nutrisionis",
             "Tenaga Kefarmasian", "Tenaga Kesehatan Puskesmas", "Dosen Kesehatan")
ORGANISERS = ("RSUD {city}", "Dinas Kesehatan Kota {city}", "Puskesmas {city}", "DPW PPNI {city}",
              "IBI Cabang {city}", "RS Swasta {city}", "Klinik Pratama {city}")
SERVICES = (
    "Google Workspace for Education", "Zoom Pro", "Microsoft 365 A1", "PDDikti Neo Feeder", "SISTER",
    "SIAKAD (akun admin)", "E-Learning Moodle", "Instagram resmi kampus", "Kanal YouTube kampus",
    "Canva for Education", "Turnitin", "Portal PMB", "Email institusi",
)
WS_UNITS = (
    "Jurusan Keperawatan", "Jurusan Kebidanan", "Jurusan Teknologi Laboratorium Medis", "Jurusan Fisioterapi",
    "Jurusan Gizi", "Jurusan Farmasi", "Perpustakaan", "Pusat Penjaminan Mutu",
    "Sub Bagian Administrasi Akademik", "Sub Bagian Kepegawaian dan Umum", "Pusat Penelitian dan Pengabdian Masyarakat",
    "Unit Pengelola Usaha", "Sub Bagian Keuangan dan BMN",
)
WS_SCOPES = (
    "Data mahasiswa aktif (NIM, nama, prodi)", "Data nilai dan KHS", "Data tagihan dan pembayaran UKT",
    "Data dosen dan tenaga kependidikan", "Data alumni dan tracer study", "Data jadwal kuliah",
    "Data kehadiran pegawai", "Data peminjaman perpustakaan",
)
DOMAIN = "poltekkes-pantau.ac.id"


def akun_subject(flow: str, service: str, person: str) -> str:
    if flow == "pengelolaan_akun":
        return f"Pencatatan akun {service} dari {person}"
    return f"Permintaan akses {service} oleh {person}"


def account_name(service: str, number: int) -> str:
    """An account's login in the register, e.g. "akademik03@poltekkes-pantau.ac.id"."""
    slug = "".join(ch for ch in service.lower().split(" (")[0] if ch.isalnum())[:12]
    return f"{slug}{number % 100:02d}@{DOMAIN}"


def nip(rng: np.random.Generator) -> str:
    """An 18-digit NIP: birth date, appointment month, sex digit, sequence."""
    born = f"{rng.integers(1968, 1998)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
    appointed = f"{int(born[:4]) + rng.integers(22, 30)}{rng.integers(1, 13):02d}"
    return f"{born}{appointed}{rng.integers(1, 3)}{rng.integers(1, 1000):03d}"


def email_of(name: str, number: int) -> str:
    local = ".".join(name.lower().split()[:2])
    return f"{local}{number % 100}@{DOMAIN}"
