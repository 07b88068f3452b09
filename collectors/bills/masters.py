"""Master data of a bill source: study programmes (``prodi_query``) and students with their programme and
intake year (``student_query``), each an optional mapping query of the source; programmes its bill rows name
but nobody has described are created "from bills, name unknown" for the admin to name; and the filling in of
student, programme and intake year on bills stored before they were known."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, and_, exists, func, insert, select, text, update

from pantau.models import Bill, Prodi, Student

from .records import BillDataError

BATCH = 5_000
PRODI_FIELDS = {"code": 16, "name": 120, "jenjang": 8, "jurusan": 120, "fakultas": 120}
STUDENT_FIELDS = {"nim": 20, "name": 120, "prodi": 16, "angkatan": None}
PRODI_QUERY, STUDENT_QUERY = "prodi query", "student query"


def read_master(engine, query: str) -> pd.DataFrame:
    """Every row of a master-data mapping query (programmes or students are few: read whole each sync)."""
    with engine.connect() as connection:
        result = connection.execute(text(query))
        return pd.DataFrame(result.all(), columns=[str(c).lower() for c in result.keys()], dtype=object)


def master_records(frame: pd.DataFrame, source: str, query: str, fields: dict[str, int | None],
                   problems: list[BillDataError]) -> list[dict]:
    """The rows of a master query as dicts of ``fields`` (text trimmed, cut to the column's length); a row
    without its key (the first field) or with a bad intake year goes to ``problems``. A missing key column
    raises."""
    key = next(iter(fields))
    if key not in frame.columns:
        raise BillDataError(source, "header", key, None, "column missing; the source gives "
                            + (", ".join(map(str, frame.columns)) or "nothing"), query=query)
    records = []
    for number, row in enumerate(frame.to_dict("records"), start=1):
        record = {}
        for name, limit in fields.items():
            value = row.get(name)
            value = None if value is None or (isinstance(value, float) and value != value) else value
            if name == "angkatan" and value is not None:
                try:
                    value = int(str(value).strip().split(".")[0])
                except ValueError:
                    problems.append(BillDataError(source, f"row {number}", name, value, "not a year", query=query))
                    break
            elif value is not None:
                value = str(value).strip()[:limit] or None
            record[name] = value
        else:
            if record[key] is None:
                problems.append(BillDataError(source, f"row {number}", key, None, "required value missing",
                                              query=query))
            else:
                records.append(record)
    return records


def store_prodi(connection: Connection, records: list[dict], source: str) -> int:
    """Programmes from the source's ``prodi_query``: new ones added, known ones given the source's names
    (no longer "name unknown"). Returns how many were added or changed."""
    known = {row.code: row for row in connection.execute(select(Prodi))}
    written = 0
    for record in records:
        values = {"name": record["name"] or record["code"], "jenjang": record["jenjang"] or "",
                  "jurusan": record["jurusan"] or "", "fakultas": record["fakultas"],
                  "name_unknown": record["name"] is None}
        row = known.get(record["code"])
        if row is None:
            connection.execute(insert(Prodi).values(code=record["code"], source=source, **values))
            written += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            connection.execute(update(Prodi).where(Prodi.id == row.id).values(**values))
            written += 1
    return written


def store_students(connection: Connection, records: list[dict], source: str) -> int:
    """Students from the source's ``student_query`` (NIM, name, programme code, intake year): added or
    updated (a new student needs both programme and intake year); a programme code nobody described is
    created from them. Returns how many were written."""
    prodi = ensure_prodi(connection, [record["prodi"] for record in records], source)
    known = {row.nim: row for row in connection.execute(select(Student.id, Student.nim, Student.name,
                                                               Student.prodi_id, Student.angkatan))}
    new, written = [], 0
    for record in records:
        values = {"name": record["name"] or record["nim"], "prodi_id": prodi.get(record["prodi"]),
                  "angkatan": record["angkatan"]}
        row = known.get(record["nim"])
        if row is None:
            if values["prodi_id"] is not None and values["angkatan"] is not None:
                new.append({"nim": record["nim"], **values})
        else:
            values = {name: value for name, value in values.items() if value is not None}
            if any(getattr(row, name) != value for name, value in values.items()):
                connection.execute(update(Student).where(Student.id == row.id).values(**values))
                written += 1
    for first in range(0, len(new), BATCH):
        connection.execute(insert(Student), new[first:first + BATCH])
    return written + len(new)


def ensure_prodi(connection: Connection, codes, source: str) -> dict[str, int]:
    """The ids of the programme ``codes``; a code no programme has is added, flagged "created from bills,
    name unknown" (named by its code until the admin or a ``prodi_query`` names it)."""
    wanted = sorted({code for code in codes if code})
    found: dict[str, int] = {}
    for first in range(0, len(wanted), BATCH):
        found.update(connection.execute(select(Prodi.code, Prodi.id)
                                        .where(Prodi.code.in_(wanted[first:first + BATCH]))).all())
    missing = [code for code in wanted if code not in found]
    if missing:
        connection.execute(insert(Prodi), [{"code": code, "name": code, "jenjang": "", "jurusan": "",
                                            "name_unknown": True, "source": source} for code in missing])
        found.update(connection.execute(select(Prodi.code, Prodi.id).where(Prodi.code.in_(missing))).all())
    return found


def backfill(connection: Connection, source: str) -> int:
    """Fill in, on the source's live bills, the student (by the NIM the source gave), the programme (by the
    code it gave, else the student's) and the intake year (the student's) where they are still empty;
    returns how many values were filled in."""
    mine = and_(Bill.source == source, Bill.deleted_at.is_(None))
    by_nim = select(Student.id).where(Student.nim == Bill.nim).scalar_subquery()
    by_code = select(Prodi.id).where(Prodi.code == Bill.prodi_code).scalar_subquery()
    of_student = select(Student.prodi_id).where(Student.id == Bill.student_id).scalar_subquery()
    year = select(Student.angkatan).where(Student.id == Bill.student_id).scalar_subquery()
    changed = connection.execute(update(Bill).where(mine, Bill.student_id.is_(None), Bill.nim.is_not(None),
                                                    exists().where(Student.nim == Bill.nim))
                                 .values(student_id=by_nim)).rowcount
    coded = and_(Bill.prodi_code.is_not(None), Bill.prodi_code != "", exists().where(Prodi.code == Bill.prodi_code))
    changed += connection.execute(update(Bill).where(mine, Bill.prodi_id.is_(None), coded)
                                  .values(prodi_id=by_code)).rowcount
    changed += connection.execute(update(Bill).where(mine, Bill.prodi_id.is_(None), Bill.student_id.is_not(None))
                                  .values(prodi_id=func.coalesce(of_student, Bill.prodi_id))).rowcount
    changed += connection.execute(update(Bill).where(mine, Bill.angkatan.is_(None), Bill.student_id.is_not(None))
                                  .values(angkatan=func.coalesce(year, Bill.angkatan))).rowcount
    return changed


def unmapped_keys(connection: Connection, source: str) -> set[str]:
    """Numbers of the source's live bills stored before the sync kept the programme code it gave (migration
    0011): the next sync reads their rows again, whatever their change time, once."""
    return set(connection.scalars(select(Bill.source_key).where(Bill.source == source, Bill.deleted_at.is_(None),
                                                                Bill.prodi_code.is_(None))))
