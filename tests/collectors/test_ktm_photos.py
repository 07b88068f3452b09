"""The NIM ↔ photo check: missing, extra and mismatched photos in a folder, the stored result, and the
operators' alert for a batch that missing photos hold back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from collectors.ktm_photos import check_photos, ktm_settings, read_nim_csv
from collectors.scheduler import run_once
from pantau.db import session_scope
from pantau.models import Alert, KtmPhotoCheck, Prodi, SopCase, Student
from pantau.models.workflow import StepResult
from pantau.settings import Settings

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
PATTERN = r"^P\d{11,12}$"


def _folder(tmp_path, files: dict[str, bytes]):
    folder = tmp_path / "foto"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def test_ktmphoto001_missing_extra_and_mismatched_files_are_told_apart(tmp_path):
    folder = _folder(tmp_path, {
        "P27220024001.jpg": JPEG, "P27220024002.PNG": PNG, "P27220024003.jpg": b"bukan foto",
        "P27220024004.jpg": JPEG, "P27220024004.png": PNG, "foto_mahasiswa.jpg": JPEG, "P27220029999.jpg": JPEG,
        "P27220024006.jpg": b"", "P27220024007.jpg": PNG, ".DS_Store": b"x",
    })
    (folder / "arsip").mkdir()
    nims = [f"P2722002400{n}" for n in range(1, 8)]

    check = check_photos(nims, folder, PATTERN)

    found = sorted((issue["problem"], issue["nim"] or "", issue["file"] or "") for issue in check.issues)
    assert found == [
        ("bad_name", "", "foto_mahasiswa.jpg"),
        ("duplicate", "P27220024004", "P27220024004.jpg, P27220024004.png"),
        ("extra", "P27220029999", "P27220029999.jpg"),
        ("missing", "P27220024005", ""),
        ("not_image", "P27220024003", "P27220024003.jpg"),
        ("not_image", "P27220024006", "P27220024006.jpg"),
        ("not_image", "P27220024007", "P27220024007.jpg"),
    ]
    assert (check.students, check.photos) == (7, 9)
    assert check.unusable == {"P27220024003", "P27220024005", "P27220024006", "P27220024007"}


def test_ktmphoto002_a_folder_that_is_not_there_is_named(tmp_path):
    with pytest.raises(ValueError, match="photo folder .*tidak-ada does not exist"):
        check_photos(["P27220024001"], tmp_path / "tidak-ada", PATTERN)


def test_ktmphoto003_nim_csv_reads_nims_and_batches_and_names_bad_lines(tmp_path):
    good = tmp_path / "nim.csv"
    good.write_text("NIM,Nama,Batch\np27220024001,Ani,1\nP27220024002,Budi,\n", encoding="utf-8")
    assert read_nim_csv(good) == [("P27220024001", 1), ("P27220024002", None)]

    no_column = tmp_path / "tanpa.csv"
    no_column.write_text("nama\nAni\n")
    with pytest.raises(ValueError, match=r"tanpa.csv: line 1: no `nim` column \(columns: nama\)"):
        read_nim_csv(no_column)
    empty = tmp_path / "kosong.csv"
    empty.write_text("nim,batch\nP27220024001,1\n,2\n")
    with pytest.raises(ValueError, match=r"kosong.csv: line 3: field nim is empty"):
        read_nim_csv(empty)
    bad_batch = tmp_path / "batch.csv"
    bad_batch.write_text("nim,batch\nP27220024001,satu\n")
    with pytest.raises(ValueError, match=r"batch.csv: line 2: field batch is not a whole number: 'satu'"):
        read_nim_csv(bad_batch)


def test_ktmphoto004_bad_settings_name_the_field(tmp_path):
    with pytest.raises(ValueError, match=r"\[ktm\] field nim_pattern: .*not a regular expression"):
        ktm_settings(Settings(data_dir=tmp_path, ktm={"nim_pattern": "P(\\d"}))
    with pytest.raises(ValueError, match=r"\[ktm\] field folder: Extra inputs"):
        ktm_settings(Settings(data_dir=tmp_path, ktm={"folder": "/srv"}))


def _intake(engine) -> None:
    """Intake 2026: batch 1 (P…01, P…02) already at the bank, batch 2 (P…03, P…04) not yet."""
    started = datetime(2026, 9, 1, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(Prodi(id=1, code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan"))
        session.flush()
        for number, batch in ((1, 1), (2, 1), (3, 2), (4, 2)):
            nim = f"P2722026010{number:02d}"
            session.add(Student(nim=nim, name=f"Mhs {number}", prodi_id=1, angkatan=2026))
            case = SopCase(sop_code="KTM", case_ref=nim, opened_at=started, unit="Layanan Terpadu",
                           attrs={"intake": 2026, "batch": batch, "nim": nim})
            session.add(case)
            session.flush()
            key, number_ = ("pembuatan_ktm", 4) if batch == 1 else ("pendaftaran", 2)
            session.add(StepResult(case_id=case.id, sop_code="KTM", step_key=key, step_number=number_,
                                   performer_role="operator", unit="Layanan Terpadu", started_at=started,
                                   state="open"))


def test_ktmphoto005_missing_photos_block_only_batches_not_yet_sent_and_clear_when_fixed(tmp_path, store):
    _intake(store)
    folder = _folder(tmp_path, {"P272202601001.jpg": JPEG, "P272202601003.jpg": JPEG,
                                "P272202601004.jpg": b"rusak"})
    settings = Settings(data_dir=tmp_path, ktm={"photo_dir": str(folder)})

    [outcome] = run_once(settings, store, names=["ktm-photos"])

    assert outcome.ok, outcome.message
    assert outcome.message == ("intake 2026: 4 students, 3 files; 1 missing, 0 extra, 1 mismatched; "
                               "1 batches blocked")
    with session_scope(store) as session:
        stored = session.scalars(select(KtmPhotoCheck)).one()
        assert (stored.intake, stored.students, stored.photos, stored.missing, stored.mismatched) == (2026, 4, 3, 1, 1)
        assert stored.blocked_batches == [2] and stored.nim_source == "students"
        alert = session.scalars(select(Alert)).one()
        assert (alert.role, alert.state, alert.link) == ("operator", "open", "/ktm?intake=2026&batch=2")
        assert alert.title == "KTM angkatan 2026, batch 2: 1 mahasiswa belum memiliki foto yang layak"
        assert "P272202601004" in alert.body and "P272202601002" not in alert.body

    (folder / "P272202601004.jpg").write_bytes(JPEG)
    [again] = run_once(settings, store, names=["ktm-photos"])

    assert again.ok and again.message.endswith("0 batches blocked")
    with session_scope(store) as session:
        assert session.scalars(select(KtmPhotoCheck)).one().blocked_batches == []
        assert session.scalars(select(Alert.state)).all() == ["resolved"]


def test_ktmphoto006_csv_list_and_no_folder_configured(tmp_path, engine):
    assert run_once(Settings(data_dir=tmp_path), engine, names=["ktm-photos"])[0].message == \
        "no photo folder configured ([ktm] photo_dir)"
    folder = _folder(tmp_path, {"P27220024001.jpg": JPEG})
    listing = tmp_path / "nim.csv"
    listing.write_text("nim,batch\nP27220024001,1\nP27220024002,1\n")
    settings = Settings(data_dir=tmp_path, ktm={"photo_dir": str(folder), "nim_csv": str(listing), "intake": 2024})

    [outcome] = run_once(settings, engine, names=["ktm-photos"])

    assert outcome.message.startswith("intake 2024: 2 students, 1 files; 1 missing")
    with session_scope(engine) as session:
        alert = session.scalars(select(Alert)).one()
        assert alert.dedup_key == "ktm-photos:2024:1" and "P27220024002" in alert.body
        assert session.scalars(select(KtmPhotoCheck.nim_source)).one() == str(listing)


def test_ktmphoto007_interval_comes_from_the_settings(tmp_path, engine):
    from collectors.registry import build

    [collector] = build(Settings(data_dir=tmp_path, ktm={"every_s": 600}), engine, names=["ktm-photos"])
    assert collector.interval_s == 600
