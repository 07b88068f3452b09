"""Each of the five seed SOPs end to end: hand-written cases in, hand-computed due times and states out.

Working hours are the default government week: Monday–Thursday 07:30–12:00 and 13:00–16:00, Friday
07:30–11:30 and 13:00–16:30 (WIB). Every due time below is worked out by hand in its comment.
"""

from __future__ import annotations

from sla_helpers import case_row, feed, results, wib


def summary(steps: dict[str, dict]) -> dict[str, tuple]:
    return {key: (row["due_at"], row["state"]) for key, row in steps.items()}


def test_seed001_ktm_desk_minutes_and_three_working_days(store, ctx):
    feed(store, ctx, "KTM", [
        {"case": "KTM-1", "step": "sosialisasi", "started": "2026-04-06 08:00", "completed": "2026-04-06 08:08"},
        {"case": "KTM-1", "step": "pendaftaran", "completed": "2026-04-06 08:25"},
        {"case": "KTM-1", "step": "pembuatan_rekening", "started": "2026-04-06 11:30", "completed": "2026-04-06 13:25"},
        {"case": "KTM-1", "step": "pembuatan_ktm", "completed": "2026-04-06 13:29"},
        {"case": "KTM-1", "step": "distribusi", "completed": "2026-04-10 09:00", "performer": "Petugas Yandu A"},
    ])
    steps = results(store, "KTM", "KTM-1")
    assert summary(steps) == {
        # 10 working minutes from Monday 08:00.
        "sosialisasi": (wib(2026, 4, 6, 8, 10), "met"),
        # No start of its own: starts when sosialisasi completed, 08:08 + 10 min; done at 08:25.
        "pendaftaran": (wib(2026, 4, 6, 8, 18), "breached"),
        # 1 working hour from 11:30: 30 minutes before the 12:00 break, 30 after 13:00.
        "pembuatan_rekening": (wib(2026, 4, 6, 13, 30), "met"),
        "pembuatan_ktm": (wib(2026, 4, 6, 13, 30), "met"),
        # 3 working days from Monday 13:29: Tuesday, Wednesday, Thursday at 13:29; done Friday.
        "distribusi": (wib(2026, 4, 9, 13, 29), "breached"),
    }
    rekening = steps["pembuatan_rekening"]
    assert rekening["elapsed_s"] == 55 * 60, "11:30–12:00 and 13:00–13:25 in working time"
    assert rekening["risk_at"] == wib(2026, 4, 6, 13, 18), "48 of the 60 working minutes"
    assert steps["distribusi"]["performer"] == "Petugas Yandu A"
    case = case_row(store, "KTM", "KTM-1")
    assert (case["closed_at"], case["outcome"]) == (wib(2026, 4, 10, 9, 0), "completed")


def test_seed002_h2h_problem_payment_is_checked_within_24_wall_clock_hours(store, ctx):
    feed(store, ctx, "H2H", [
        {"case": "H2H-1", "step": "pembayaran", "started": "2026-03-13 14:00", "completed": "2026-03-13 14:30",
         "outcome": "YA"},
        {"case": "H2H-2", "step": "pembayaran", "started": "2026-03-13 14:00", "completed": "2026-03-13 14:10",
         "outcome": "tidak"},
        {"case": "H2H-MON", "step": "monitoring_server", "started": "2026-03-13 16:00",
         "completed": "2026-03-16 07:45"},
    ])
    problem = results(store, "H2H", "H2H-1")
    assert problem["pembayaran"]["state"] == "done", "the student's payment has no standard time"
    check = problem["pengecekan_pembayaran"]
    # "maksimal 1x24 jam" without "hari kerja": 24 hours on the wall clock, over the weekend too.
    assert (check["started_at"], check["due_at"], check["state"], check["implicit"]) == (
        wib(2026, 3, 13, 14, 30), wib(2026, 3, 14, 14, 30), "open", True)
    feed(store, ctx, "H2H", [{"case": "H2H-1", "step": 4, "completed": "2026-03-16 09:00", "performer": "Bendahara"}])
    check = results(store, "H2H", "H2H-1")["pengecekan_pembayaran"]
    assert (check["state"], check["implicit"], check["elapsed_s"]) == ("breached", False,
                                                                       (2 * 24 * 60 + 18 * 60 + 30) * 60)
    assert case_row(store, "H2H", "H2H-1")["outcome"] == "ya"
    no_problem = case_row(store, "H2H", "H2H-2")
    assert (no_problem["closed_at"], no_problem["outcome"]) == (wib(2026, 3, 13, 14, 10), "tidak")
    monitoring = results(store, "H2H", "H2H-MON")["monitoring_server"]
    # 1 working hour from Friday 16:00: 30 minutes to Friday's 16:30 closing, 30 from Monday 07:30.
    assert (monitoring["due_at"], monitoring["state"], monitoring["elapsed_s"]) == (
        wib(2026, 3, 16, 8, 0), "met", 45 * 60)


def test_seed003_kso_over_idul_fitri_with_the_kolegium_wait_apart(store, ctx):
    feed(store, ctx, "KSO", [
        {"case": "KSO-1", "step": "permohonan", "started": "2026-03-17 10:00", "completed": "2026-03-25 09:00"},
        {"case": "KSO-1", "step": "dokumen_kso", "completed": "2026-03-25 09:45"},
        {"case": "KSO-1", "step": "unggah_siaksi", "completed": "2026-03-25 10:30"},
        {"case": "KSO-1", "step": "verifikasi_skp", "completed": "2026-04-20 10:00", "performer": "Kolegium"},
        {"case": "KSO-1", "step": "informasi_hasil", "completed": "2026-04-21 09:00", "outcome": "Setuju"},
        {"case": "KSO-1", "step": "publikasi", "completed": "2026-05-25 10:00"},
        {"case": "KSO-1", "step": "pelaksanaan_kegiatan", "completed": "2026-06-10 15:50"},
        {"case": "KSO-1", "step": "invoice", "completed": "2026-06-11 07:35"},
        {"case": "KSO-1", "step": "pembayaran", "completed": "2026-06-11 14:00"},
        {"case": "KSO-1", "step": "surat_keterangan_pembayaran", "completed": "2026-06-11 14:20"},
        {"case": "KSO-2", "step": "informasi_hasil", "started": "2026-04-01 09:00", "completed": "2026-04-01 10:00",
         "outcome": "ditolak"},
    ])
    steps = results(store, "KSO", "KSO-1")
    assert summary(steps) == {
        # 1 working day from Tuesday 17 March 10:00: 18 (cuti bersama Nyepi), 19 (Nyepi), 20 (cuti Idul
        # Fitri), 21–22 (Idul Fitri, weekend), 23–24 (cuti bersama) are closed: Wednesday 25 March 10:00.
        "permohonan": (wib(2026, 3, 25, 10, 0), "met"),
        "dokumen_kso": (wib(2026, 3, 25, 9, 30), "breached"),
        "unggah_siaksi": (wib(2026, 3, 25, 10, 45), "met"),
        # One calendar month from 25 March 10:30.
        "verifikasi_skp": (wib(2026, 4, 25, 10, 30), "met"),
        "informasi_hasil": (None, "done"),
        "publikasi": (wib(2026, 5, 21, 9, 0), "breached"),
        "pelaksanaan_kegiatan": (None, "done"),
        # 15 working minutes from Wednesday 15:50: 10 to closing, 5 from Thursday 07:30; completed on the dot.
        "invoice": (wib(2026, 6, 11, 7, 35), "met"),
        "pembayaran": (wib(2026, 6, 11, 8, 35), "breached"),
        "surat_keterangan_pembayaran": (wib(2026, 6, 11, 14, 30), "met"),
    }
    assert steps["verifikasi_skp"]["outside_party"] and not steps["unggah_siaksi"]["outside_party"]
    # Tuesday 10:00–12:00 and 13:00–16:00, then Wednesday 25 March 07:30–09:00: 6.5 working hours.
    assert steps["permohonan"]["elapsed_s"] == (5 * 60 + 90) * 60
    assert case_row(store, "KSO", "KSO-1")["outcome"] == "setuju"
    assert case_row(store, "KSO", "KSO-2")["outcome"] == "ditolak"
    assert set(results(store, "KSO", "KSO-2")) == {"informasi_hasil"}, "a rejection ends the case"


def test_seed004_akun_two_flows_end_in_access_granted_or_rejected(store, ctx):
    feed(store, ctx, "AKUN", [
        {"case": "A-1", "step": "kirim_akun", "started": "2026-05-08 16:20", "completed": "2026-05-08 16:40"},
        {"case": "A-1", "step": "terima_akun", "completed": "2026-05-11 08:00"},
        {"case": "A-1", "step": "tanggapan_akun", "completed": "2026-05-11 08:20"},
        {"case": "A-1", "step": "catat_akun", "completed": "2026-05-11 08:30"},
        {"case": "B-1", "step": "kirim_permintaan", "started": "2026-05-12 09:00", "completed": "2026-05-12 09:05"},
        {"case": "B-1", "step": "pertimbangan_akses", "completed": "2026-05-12 10:00", "outcome": "ditolak"},
        {"case": "B-1", "step": "akses_ditolak", "completed": "2026-05-12 10:10"},
        {"case": "B-2", "step": "pertimbangan_akses", "started": "2026-05-12 11:50", "completed": "2026-05-12 13:00",
         "outcome": "Akses diberikan"},
    ])
    first = results(store, "AKUN", "A-1")
    assert summary(first) == {
        # Friday 16:20 + 15 working minutes: 10 before the 16:30 closing, 5 from Monday 07:30.
        "kirim_akun": (wib(2026, 5, 11, 7, 35), "met"),
        "terima_akun": (None, "done"),
        "tanggapan_akun": (wib(2026, 5, 11, 8, 15), "breached"),
        "catat_akun": (wib(2026, 5, 11, 8, 35), "met"),
    }
    assert first["kirim_akun"]["elapsed_s"] == 10 * 60, "only the ten minutes before closing were working time"
    assert case_row(store, "AKUN", "A-1")["flow"] == "pengelolaan_akun"
    rejected = results(store, "AKUN", "B-1")
    # Skipped step 2-4 events are not opened; the rejection leads to step 7, which ends the case.
    assert set(rejected) == {"kirim_permintaan", "pertimbangan_akses", "akses_ditolak"}
    assert case_row(store, "AKUN", "B-1")["outcome"] == "ditolak"
    granted = results(store, "AKUN", "B-2")
    # 15 working minutes from 11:50: 10 before the break, 5 after 13:00; decided at 13:00: met.
    assert granted["pertimbangan_akses"]["due_at"] == wib(2026, 5, 12, 13, 5)
    assert granted["pertimbangan_akses"]["state"] == "met"
    opened = granted["akses_diberikan"]
    assert (opened["implicit"], opened["started_at"], opened["due_at"]) == (True, wib(2026, 5, 12, 13, 0),
                                                                            wib(2026, 5, 12, 13, 15))


def test_seed005_webservice_one_x_24_jam_hari_kerja_over_the_weekend(store, ctx):
    feed(store, ctx, "WS", [
        {"case": "WS-1", "step": "surat_permohonan", "started": "2026-05-08 10:00", "completed": "2026-05-08 10:04"},
        {"case": "WS-1", "step": "agenda_disposisi", "completed": "2026-05-08 10:12"},
        {"case": "WS-1", "step": "buat_akun", "completed": "2026-05-11 10:00", "performer": "PSI"},
        {"case": "WS-1", "step": "konfirmasi_akun", "completed": "2026-05-11 10:05"},
        {"case": "WS-1", "step": "surat_balasan", "completed": "2026-05-12 16:00"},
    ])
    steps = results(store, "WS", "WS-1")
    assert summary(steps) == {
        "surat_permohonan": (wib(2026, 5, 8, 10, 5), "met"),
        "agenda_disposisi": (wib(2026, 5, 8, 10, 9), "breached"),
        # 1x24 jam hari kerja = one working day: Friday 10:12 is due Monday 10:12.
        "buat_akun": (wib(2026, 5, 11, 10, 12), "met"),
        # Completed exactly at its due time: "maksimal" is inclusive.
        "konfirmasi_akun": (wib(2026, 5, 11, 10, 5), "met"),
        "surat_balasan": (wib(2026, 5, 12, 10, 5), "breached"),
    }
    # Friday 10:12–11:30 and 13:00–16:30, Monday 07:30–10:00: 78 + 210 + 150 minutes of the 450 allowed.
    assert (steps["buat_akun"]["elapsed_s"], steps["buat_akun"]["allowed_s"]) == (438 * 60, 450 * 60)
    assert steps["buat_akun"]["performer_role"] == "kepala_it"
    assert case_row(store, "WS", "WS-1")["closed_at"] == wib(2026, 5, 12, 16, 0)
