"""A KTM photo folder for the demo's newest intake, as the student affairs unit would hand it over: one
photo per NIM, with the slips a real folder has (a few photos missing, a file for a NIM not on the list,
a file not named by NIM, a PNG saved as `.jpg`, a student photographed twice), for the `ktm-photos`
collector to find."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import Engine, func, select

from pantau.models import Student

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
MISSING_SHARE = 0.01


def write_photo_folder(engine: Engine, folder: Path, *, seed: int = 42) -> int:
    """Fill ``folder`` (emptied first: it is the demo's own) with the newest intake's photos and a handful of
    slips; returns the files written."""
    with engine.connect() as connection:
        intake = connection.scalar(select(func.max(Student.angkatan)))
        nims = sorted(connection.scalars(select(Student.nim).where(Student.angkatan == intake)))
    if not nims:
        return 0
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for earlier in folder.iterdir():
        if earlier.is_file():
            earlier.unlink()
    missing = set(rng.sample(nims, max(1, round(len(nims) * MISSING_SHARE))))
    present = [nim for nim in nims if nim not in missing]
    files = {f"{nim}.jpg": JPEG for nim in present}
    files[f"{present[0]}.png"] = PNG
    files[f"{present[1]}.jpg"] = PNG
    files[f"P{intake % 100:02d}9999999{0:02d}.jpg"] = JPEG
    files["foto mahasiswa baru (1).jpg"] = JPEG
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return len(files)
