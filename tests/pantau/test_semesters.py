"""Semester codes of the academic calendar and their words."""

from datetime import date

import pytest

from pantau import semesters


@pytest.mark.parametrize(("day", "code"), [
    (date(2026, 8, 1), "20261"), (date(2026, 12, 2), "20261"), (date(2027, 1, 31), "20261"),
    (date(2027, 2, 1), "20262"), (date(2027, 7, 31), "20262"), (date(2026, 7, 31), "20252"),
])
def test_sem001_the_academic_year_starts_in_august(day, code):
    assert semesters.code_of(day) == code


def test_sem002_codes_in_words_in_both_languages():
    assert semesters.label("20261") == "2026/2027 ganjil"
    assert semesters.label("20252", "en") == "2025/2026 even"
    assert (semesters.label("2026A"), semesters.label(None)) == ("2026A", "–")
