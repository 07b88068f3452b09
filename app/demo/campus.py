"""Study programmes under their jurusan, and four intakes of students with NIM and UKT."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo.context import DemoContext, person_names
from app.demo.semesters import academic_year, opened_semesters
from pantau.models import Prodi, Student

PRODI = (
    # code, NIM digits, name, jenjang, jurusan, size weight, UKT lowest and highest group, share of women
    ("D3-KEP", 1, "D3 Keperawatan", "D3", "Jurusan Keperawatan", 1.6, 2_500_000, 6_000_000, 0.70),
    ("D4-KEP", 2, "Sarjana Terapan Keperawatan", "D4", "Jurusan Keperawatan", 1.4, 3_500_000, 8_500_000, 0.72),
    ("D3-BID", 3, "D3 Kebidanan", "D3", "Jurusan Kebidanan", 1.2, 2_750_000, 6_250_000, 1.0),
    ("D4-BID", 4, "Sarjana Terapan Kebidanan", "D4", "Jurusan Kebidanan", 1.1, 3_500_000, 8_750_000, 1.0),
    ("D3-TLM", 5, "D3 Teknologi Laboratorium Medis", "D3", "Jurusan Teknologi Laboratorium Medis", 1.0,
     3_000_000, 7_000_000, 0.65),
    ("D4-TLM", 6, "Sarjana Terapan Teknologi Laboratorium Medis", "D4", "Jurusan Teknologi Laboratorium Medis",
     0.9, 4_000_000, 9_000_000, 0.62),
    ("D3-FT", 7, "D3 Fisioterapi", "D3", "Jurusan Fisioterapi", 0.8, 3_000_000, 6_750_000, 0.58),
    ("D4-FT", 8, "Sarjana Terapan Fisioterapi", "D4", "Jurusan Fisioterapi", 0.9, 4_000_000, 9_000_000, 0.60),
    ("D3-GZ", 9, "D3 Gizi", "D3", "Jurusan Gizi", 0.8, 2_500_000, 5_750_000, 0.80),
    ("D3-FAR", 10, "D3 Farmasi", "D3", "Jurusan Farmasi", 0.9, 2_750_000, 6_500_000, 0.75),
    ("D4-OT", 11, "Sarjana Terapan Okupasi Terapi", "D4", "Jurusan Okupasi Terapi", 0.6, 3_750_000, 8_000_000,
     0.68),
    ("D3-OP", 12, "D3 Ortotik Prostetik", "D3", "Jurusan Ortotik Prostetik", 0.5, 3_000_000, 6_500_000, 0.35),
)
SEMESTERS_OF = {"D3": 6, "D4": 8}
UKT_GROUP_SHARES = np.array([0.08, 0.17, 0.30, 0.27, 0.18])
INTAKES = 4
DROPOUT_SHARE = 0.03
NIM_PREFIX = "P27220"
BANKS = np.array(["bni", "briva", "snap"])
BANK_SHARES = np.array([0.5, 0.3, 0.2])


@dataclass
class Campus:
    """The generated programmes and students, as arrays the bill generator reads."""

    prodi_ids: np.ndarray
    prodi_female_share: np.ndarray
    student_id: np.ndarray
    nim: np.ndarray
    name: np.ndarray
    prodi: np.ndarray
    angkatan: np.ndarray
    ukt: np.ndarray
    bank: np.ndarray
    billed_semesters: np.ndarray
    dropout_at: np.ndarray
    academic_year: int

    def intake(self, year: int) -> np.ndarray:
        """Positions of the students of one intake."""
        return np.flatnonzero(self.angkatan == year)


def ukt_amounts(low: int, high: int) -> np.ndarray:
    """The five UKT groups of a programme, evenly spread between its lowest and highest, in Rp 50.000 steps."""
    return (np.round(np.linspace(low, high, len(UKT_GROUP_SHARES)) / 50_000) * 50_000).astype(np.int64)


def generate(ctx: DemoContext) -> Campus:
    """Write prodi and students; return them for the other subjects."""
    rng = ctx.rng("campus")
    prodi_ids = np.arange(1, len(PRODI) + 1)
    ctx.writer.insert(
        Prodi.__table__,
        {
            "id": prodi_ids,
            "code": [p[0] for p in PRODI],
            "name": [p[2] for p in PRODI],
            "jenjang": [p[3] for p in PRODI],
            "jurusan": [p[4] for p in PRODI],
        },
    )
    year = academic_year(ctx.today)
    opened = opened_semesters(ctx.today)
    intakes = np.arange(year - INTAKES + 1, year + 1)
    weights = np.array([p[5] for p in PRODI])
    weights = weights / weights.mean()
    growth = np.linspace(0.92, 1.08, INTAKES)
    jitter = rng.uniform(0.9, 1.1, (len(PRODI), INTAKES))
    sizes = np.maximum(1,
                       np.round(ctx.scale.students_per_cohort * weights[:, None] * growth[None,
                                                                                          :] * jitter)).astype(int)
    prodi = np.repeat(np.repeat(np.arange(len(PRODI)), INTAKES), sizes.ravel())
    angkatan = np.repeat(np.tile(intakes, len(PRODI)), sizes.ravel())
    seq = np.concatenate([np.arange(1, n + 1) for n in sizes.ravel()])
    width = max(3, len(str(sizes.max())))
    nim = np.array([
        f"{NIM_PREFIX}{a % 100:02d}{PRODI[p][1]:02d}{s:0{width}d}" for p, a, s in zip(prodi, angkatan, seq)
    ])
    count = len(nim)
    female_share = np.array([p[8] for p in PRODI])
    names = person_names(rng, count, female_share[prodi])
    group = rng.choice(len(UKT_GROUP_SHARES), size=count, p=UKT_GROUP_SHARES)
    ukt_table = np.stack([ukt_amounts(p[6], p[7]) for p in PRODI])
    ukt = ukt_table[prodi, group]
    length = np.array([SEMESTERS_OF[PRODI[p][3]] for p in range(len(PRODI))])[prodi]
    since_intake = np.array([sum(code >= f"{a}1" for code in opened) for a in intakes])
    billed = np.minimum(since_intake[angkatan - intakes[0]], length)
    dropout_at = np.full(count, -1)
    can_drop = billed >= 2
    drops = can_drop & (rng.random(count) < DROPOUT_SHARE)
    dropout_at[drops] = rng.integers(1, billed[drops])
    graduated = (billed == length) & (since_intake[angkatan - intakes[0]] > length)
    status = np.where(drops, "nonaktif", np.where(graduated, "lulus", "aktif"))
    student_id = np.arange(1, count + 1)
    ctx.writer.insert(
        Student.__table__,
        {
            "id": student_id,
            "nim": nim,
            "name": names,
            "prodi_id": prodi_ids[prodi],
            "angkatan": angkatan,
            "status": status,
            "email": [f"{n.lower()}@mhs.poltekkes-pantau.ac.id" for n in nim.tolist()],
        },
    )
    return Campus(
        prodi_ids=prodi_ids,
        prodi_female_share=female_share,
        student_id=student_id,
        nim=nim,
        name=names,
        prodi=prodi,
        angkatan=angkatan,
        ukt=ukt,
        bank=BANKS[rng.choice(len(BANKS), size=count, p=BANK_SHARES)],
        billed_semesters=billed,
        dropout_at=dropout_at,
        academic_year=year,
    )
