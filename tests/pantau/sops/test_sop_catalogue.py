"""Loading SOP files: errors that name the file, step and field, and an institution's own directory."""

from pathlib import Path

import pytest

from pantau.sops import BUILTIN_DIR, SopFileError, load_catalogue, load_sop_file
from pantau.workcalendar import TimeUnit

WEBSERVICE = (BUILTIN_DIR / "webservice.toml").read_text(encoding="utf-8")
STEP_3_TIME = 'time = { term = "1x24 jam hari kerja", written = "1 x 24 jam hari kerja" }'


def variant(directory: Path, old: str, new: str, name: str = "webservice.toml") -> Path:
    """Write the built-in webservice SOP with the first `old` replaced by `new`."""
    assert WEBSERVICE.count(old) >= 1, old
    path = directory / name
    path.write_text(WEBSERVICE.replace(old, new, 1), encoding="utf-8")
    return path


def lines_of(path: Path, text: str) -> list[int]:
    return [number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line]


def test_sop001_unknown_unit_names_file_step_field_and_line(tmp_path):
    path = variant(tmp_path, STEP_3_TIME, 'time = { value = 1, unit = "jam kerja" }')
    with pytest.raises(SopFileError) as error:
        load_sop_file(path)
    assert str(error.value).startswith("webservice.toml step 3 field time: unknown unit 'jam kerja'; known units:")
    assert (error.value.step, error.value.field) == ("3", "time")
    assert [error.value.line] == lines_of(path, 'unit = "jam kerja"')
    assert error.value.path == path


def test_sop002_missing_field_is_named(tmp_path):
    path = variant(tmp_path, 'performer_role = "kepala_it"\nunit = "UPT TIK"\ntime', 'unit = "UPT TIK"\ntime')
    expected = r"^webservice.toml step 3 field performer_role: missing \(step key buat_akun\)"
    with pytest.raises(SopFileError, match=expected):
        load_sop_file(path)


def test_sop003_duplicate_step_key_is_named(tmp_path):
    path = variant(tmp_path, 'key = "konfirmasi_akun"', 'key = "buat_akun"')
    with pytest.raises(SopFileError) as error:
        load_sop_file(path)
    assert str(error.value).startswith("webservice.toml step 4 field key: duplicate step key 'buat_akun'")
    assert error.value.line == lines_of(path, 'key = "buat_akun"')[1]


def test_sop004_branch_target_must_be_a_step(tmp_path):
    kso = (BUILTIN_DIR / "kso_sdmk.toml").read_text(encoding="utf-8")
    path = tmp_path / "kso_sdmk.toml"
    path.write_text(kso.replace('target = "publikasi"', 'target = "publikasi_flyer"'), encoding="utf-8")
    with pytest.raises(SopFileError) as error:
        load_sop_file(path)
    assert str(error.value).startswith(
        "kso_sdmk.toml step 5 field branches: target 'publikasi_flyer' is not a step key of this SOP"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('performer_role = "kepala_it"', 'performer_role = "kepala"', "step 3 field performer_role: unknown role"),
        (STEP_3_TIME, 'time = { term = "2x24 jam" }', "step 3 field time: unknown term '2x24 jam'"),
        (STEP_3_TIME, 'time = { term = "1x24 jam", value = 1 }', "step 3 field time: give either term or"),
        (STEP_3_TIME, 'time = { value = 0, unit = "working_days" }', "field time: unit 'working_days' needs"),
        (STEP_3_TIME, 'time = { value = 1, unit = "none" }', "step 3 field time: unit 'none' takes no value"),
        ('number = 4', 'number = 5', "step 5 field number: number 5 out of order: expected 4"),
        ('output = "Softcopy"\n\n[[steps]]\nkey = "buat_akun"', 'outptu = "Softcopy"\n\n[[steps]]\nkey = "buat_akun"',
         "step 2 field outptu: unknown field"),
        ('key = "buat_akun"', 'key = "Buat Akun"', "step 3 field key: String should match pattern"),
        ('output = "Softcopy"\n', 'output = "Softcopy"\nnext = "selesai"\n', "step 2 field next: target 'selesai'"),
        ('document_number = "POB/04/PSI/TIK/2020"\n', "", "webservice.toml field document_number: missing"),
        ('code = "WS"', 'code = WS', "webservice.toml: invalid TOML: Invalid value (at line"),
    ],
)
def test_sop005_bad_files_say_what_is_wrong(tmp_path, old, new, message):
    with pytest.raises(SopFileError) as error:
        load_sop_file(variant(tmp_path, old, new))
    assert message in str(error.value)


def test_sop006_every_problem_in_a_file_is_listed(tmp_path):
    path = variant(tmp_path, 'performer_role = "kepala_it"', 'performer_role = "pimpinan"')
    path.write_text(path.read_text().replace('unit = "working_minutes"', 'unit = "menit"'))
    with pytest.raises(SopFileError) as error:
        load_sop_file(path)
    lines = str(error.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "webservice.toml step 1 field time",
        "webservice.toml step 2 field time",
        "webservice.toml step 3 field performer_role",
        "webservice.toml step 4 field time",
    ]


def test_sop007_extra_directory_overrides_by_code_and_adds_sops(tmp_path):
    variant(tmp_path, STEP_3_TIME, 'time = { value = 2, unit = "working_days" }')
    variant(tmp_path, 'code = "WS"', 'code = "WS2"', name="webservice_fakultas.toml")
    catalogue = load_catalogue([tmp_path])
    assert catalogue["WS"].step("buat_akun").time.value == 2
    assert catalogue["WS"].step("buat_akun").time.unit is TimeUnit.WORKING_DAYS
    assert catalogue["WS2"].step("buat_akun").time.value == 1
    assert set(catalogue) == {"H2H", "KTM", "KSO", "AKUN", "WS", "WS2"}
    assert load_catalogue()["WS"].step("buat_akun").time.value == 1


def test_sop008_one_code_twice_in_a_directory_is_an_error(tmp_path):
    variant(tmp_path, "Pengelolaan Webservice", "Webservice A", name="a.toml")
    variant(tmp_path, "Pengelolaan Webservice", "Webservice B", name="b.toml")
    expected = r"^b.toml field code: code 'WS' is also used by a.toml in the same directory"
    with pytest.raises(SopFileError, match=expected):
        load_catalogue([tmp_path])


def test_sop009_invalid_toml_gives_its_line(tmp_path):
    path = variant(tmp_path, 'unit = "UPT TIK"\nwarnings', 'unit = UPT TIK\nwarnings')
    with pytest.raises(SopFileError, match=r"^webservice.toml: invalid TOML: ") as error:
        load_sop_file(path)
    assert [error.value.line] == lines_of(path, "unit = UPT TIK")


def test_sop010_missing_directory_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="SOP directory .*nowhere does not exist"):
        load_catalogue([tmp_path / "nowhere"])
