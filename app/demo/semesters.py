"""The academic calendar of the demo campus: semester codes, billing windows and due dates.

A semester code is the academic year's first calendar year and the term: "20251" is 2025/2026
Ganjil (billed from July, classes from September), "20252" is 2025/2026 Genap (billed from January).
"""

from __future__ import annotations

from datetime import date

import numpy as np


def academic_year(today: np.datetime64 | date) -> int:
    """The academic year running on `today`: it turns over on 1 July, when Ganjil billing opens."""
    day = np.datetime64(today, "D").astype(object)
    return day.year if day.month >= 7 else day.year - 1


def semester_code(year: int, term: int) -> str:
    return f"{year}{term}"


def next_semester(code: str) -> str:
    year, term = int(code[:4]), int(code[4])
    return semester_code(year, 2) if term == 1 else semester_code(year + 1, 1)


def billing_opens(code: str) -> np.datetime64:
    """The day bills of a semester are entered and VA numbers can be paid."""
    year, term = int(code[:4]), int(code[4])
    return np.datetime64(f"{year}-07-01") if term == 1 else np.datetime64(f"{year + 1}-01-05")


def due_date(code: str, kind: str) -> np.datetime64:
    """The last day to pay: registrasi of new students by the end of July, herregistrasi mid-August or
    early February; each year's date moves by a few days as the academic calendar does."""
    year, term = int(code[:4]), int(code[4])
    shift = np.timedelta64((year * 3) % 5 - 2, "D")
    if kind == "registrasi":
        return np.datetime64(f"{year}-07-31")
    if term == 1:
        return np.datetime64(f"{year}-08-14") + shift
    return np.datetime64(f"{year + 1}-02-07") + shift


def opened_semesters(today: np.datetime64, back_years: int = 5) -> list[str]:
    """Codes of the semesters whose billing has opened by `today`, oldest first."""
    start = academic_year(today) - back_years
    codes, code = [], semester_code(start, 1)
    while billing_opens(code) <= np.datetime64(today, "D"):
        codes.append(code)
        code = next_semester(code)
    return codes


def nth_semester(intake: int, index: int) -> str:
    """The code of a student's `index`-th semester (0 is the intake's Ganjil)."""
    code = semester_code(intake, 1)
    for _ in range(index):
        code = next_semester(code)
    return code
