"""Reading an SOP document: the Waktu words, the table of a .docx and of an HTML page, the marked Pelaksana
column, decisions and outside waits, and errors that name file, row and field."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pantau.sops.imports import SopDocumentError, import_document, parse_time
from pantau.workcalendar import TimeUnit as U

HEADER = (("No", "Kegiatan", "Pelaksana", "", "", "Mutu Baku", "", "", "Keterangan"),
          ("", "", "Pemohon", "Sub Bagian Akademik", "Bendahara", "Kelengkapan", "Waktu", "Output", ""))


@pytest.mark.parametrize("written, value, unit, sure", [
    ("10 menit", 10, U.WORKING_MINUTES, True),
    ("1 Jam", 1, U.WORKING_HOURS, True),
    ("1,5 jam", 90, U.WORKING_MINUTES, True),
    ("1 x 24 jam", 24, U.CALENDAR_HOURS, False),
    ("1 x 24 jam hari kerja", 1, U.WORKING_DAYS, True),
    ("maksimal 2x24 jam hari kerja", 2, U.WORKING_DAYS, True),
    ("3 hari kerja", 3, U.WORKING_DAYS, True),
    ("3 hari", 3, U.WORKING_DAYS, False),
    ("7 hari kalender", 7, U.CALENDAR_DAYS, True),
    ("1 Minggu", 7, U.CALENDAR_DAYS, True),
    ("1 bulan", 1, U.CALENDAR_MONTHS, True),
    ("1 tahun", 12, U.CALENDAR_MONTHS, True),
    ("1-3 hari kerja", 3, U.WORKING_DAYS, False),
    ("Sesuai jadwal", None, U.AS_SCHEDULED, True),
    ("-", None, U.NONE, True),
    ("", None, U.NONE, True),
])
def test_sopimp001_waktu_words_give_value_unit_and_whether_a_person_should_look(written, value, unit, sure):
    parsed = parse_time(written)
    assert (parsed.value, parsed.unit, parsed.uncertain is None, parsed.understood) == (value, unit, sure, True)
    assert parsed.written == written.strip()


def test_sopimp002_words_that_are_no_time_are_not_understood_and_say_so():
    parsed = parse_time("secepatnya")
    assert (parsed.value, parsed.unit, parsed.understood) == (None, U.NONE, False)
    assert "not understood" in parsed.uncertain


def write_docx(path: Path, rows: list[tuple], *, shape_in: tuple[int, int] | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("POLITEKNIK NEGERI CONTOH")
    document.add_paragraph("Nama SOP : Legalisir Ijazah")
    table = document.add_table(rows=len(HEADER) + len(rows), cols=len(HEADER[0]))
    for r, values in enumerate((*HEADER, *rows)):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if shape_in:
        run = table.cell(*shape_in).paragraphs[0].add_run()
        run._r.append(run._r.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing", {}))
    document.save(path)
    return path


ROWS = [
    ("1", "Pemohon mengajukan permohonan legalisir", "", "", "", "Formulir", "10 menit", "Permohonan", ""),
    ("2", "Memeriksa berkas permohonan", "", "√", "", "Ijazah asli", "1 hari kerja", "Berkas", ""),
    ("3", "Menyampaikan hasil pemeriksaan", "Lengkap", "Tidak lengkap", "", "", "5 menit", "", ""),
    ("4", "Membayar biaya legalisir", "", "", "", "Kuitansi", "Sesuai jadwal", "", ""),
    ("5", "Legalisir ditandatangani oleh Direktur", "", "√", "", "", "1 Minggu", "Ijazah terlegalisir", ""),
]


def test_sopimp003_a_docx_table_gives_steps_executors_times_and_a_decision(tmp_path):
    path = write_docx(tmp_path / "legalisir.docx", ROWS, shape_in=(len(HEADER) + 3, 4))
    draft = import_document(path, code="LEG", unit="Sub Bagian Akademik")
    steps = draft.as_catalogue()["steps"]
    assert [(s["number"], s["performer"], s["time"].get("value"), s["time"]["unit"]) for s in steps] == [
        (1, "Pemohon", 10, "working_minutes"),
        (2, "Sub Bagian Akademik", 1, "working_days"),
        (3, "", 5, "working_minutes"),
        (4, "Bendahara", None, "as_scheduled"),
        (5, "Sub Bagian Akademik", 7, "calendar_days"),
    ]
    assert [(b["label"], b["target"]) for b in steps[2]["branches"]] == [("Lengkap", steps[3]["key"]),
                                                                        ("Tidak lengkap", "end")]
    assert draft.particulars["name"] == "Legalisir Ijazah"
    assert draft.steps[3].row.source.where == "table 1 row 6"
    assert steps[4].get("outside_party") is None, "the Direktur is no outside party when a column is marked"
    assert [(where, field) for where, field, _ in draft.problems()][0] == ("table 1 row 5", "Pelaksana")
    assert ("", "document_number") in [(where, field) for where, field, _ in draft.problems()]
    chosen = draft.with_executors({2: "Sub Bagian Akademik"}).with_particulars(document_number="SOP/LEG/01")
    assert chosen.problems() == [] and chosen.sop().steps[2].performer == "Sub Bagian Akademik"


def test_sopimp004_an_html_table_with_spans_and_an_outside_wait(tmp_path):
    page = """<html><body><h2>SOP Penerbitan SKP</h2><p>Nomor SOP: 12/SKP/2026</p>
    <table><tr><th rowspan="2">No</th><th rowspan="2">Kegiatan</th><th colspan="2">Pelaksana</th>
    <th colspan="3">Mutu Baku</th><th rowspan="2">Ket</th></tr>
    <tr><th>Pemohon</th><th>UPK SDMK</th><th>Kelengkapan</th><th>Waktu</th><th>Output</th></tr>
    <tr><td>1.</td><td>Pemohon mengirim <i>surat</i> permohonan .</td><td>v</td><td></td><td>Surat</td>
    <td>1 hari</td><td>Surat masuk</td><td></td></tr>
    <tr><td>2.</td><td>Verifikasi SKP oleh kolegium</td><td></td><td></td><td>SIAKSI</td><td>1 bulan</td>
    <td>SKP</td><td></td></tr></table></body></html>"""
    path = tmp_path / "skp.html"
    path.write_text(page, encoding="utf-8")
    draft = import_document(path, code="SKP", unit="UPK SDMK")
    first, second = draft.as_catalogue()["steps"]
    assert (first["name"], first["performer"], first["time"]) == (
        "Pemohon mengirim surat permohonan.", "Pemohon", {"value": 1, "unit": "working_days", "written": "1 hari"})
    assert (second["performer"], second["outside_party"]) == ("Kolegium", True)
    assert draft.particulars["document_number"] == "12/SKP/2026"
    assert draft.steps[0].uncertain("time") and draft.steps[1].uncertain("outside_party")


def test_sopimp005_errors_name_the_file_the_row_and_the_field(tmp_path):
    text = tmp_path / "rusak.txt"
    text.write_text("Nama SOP\tContoh\n\nNo\tKegiatan\tPelaksana\t\tMutu Baku\n\t\tA\tB\tKelengkapan\n", "utf-8")
    with pytest.raises(SopDocumentError, match=r"^rusak\.txt, line 3, field Waktu: the SOP table's header has no"):
        import_document(text)
    empty = tmp_path / "kosong.txt"
    empty.write_text("No\tKegiatan\tPelaksana\t\tWaktu\n\t\tA\tB\t\n1\t\t\t\t5 menit\n", "utf-8")
    with pytest.raises(SopDocumentError, match=r"^kosong\.txt, line 3, field Kegiatan: the row has no activity"):
        import_document(empty)
    broken = tmp_path / "bukan.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(SopDocumentError, match=r"^bukan\.docx: not a \.docx document"):
        import_document(broken)
    with pytest.raises(SopDocumentError, match=r"field Pelaksana: no SOP table found"):
        import_document(tmp_path / "rusak.txt", data=b"Hanya teks biasa\n")


def as_docx_and_html(seed: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The seed's lines as a .docx and an HTML page: lines of many cells as one table each, others as paragraphs."""
    lines = [line.split("\t") for line in seed.read_text(encoding="utf-8").splitlines()]
    document, page = docx.Document(), ["<html><body>"]
    index = 0
    while index < len(lines):
        if len(lines[index]) < 5:
            text = " ".join(lines[index]).strip()
            if text:
                document.add_paragraph(text)
                page.append(f"<p>{text}</p>")
            index += 1
            continue
        block = []
        while index < len(lines) and len(lines[index]) >= 5:
            block.append(lines[index])
            index += 1
        width = max(map(len, block))
        table = document.add_table(rows=len(block), cols=width)
        page.append("<table>")
        for r, cells in enumerate(block):
            for c, text in enumerate(cells):
                table.cell(r, c).text = text
            page.append("<tr>" + "".join(f"<td>{text}</td>" for text in cells + [""] * (width - len(cells)))
                        + "</tr>")
        page.append("</table>")
    document.save(tmp_path / "seed.docx")
    (tmp_path / "seed.html").write_text("".join(page) + "</body></html>", encoding="utf-8")
    return tmp_path / "seed.docx", tmp_path / "seed.html"


@pytest.mark.parametrize("seed", ["webservice.txt", "akun_digital.txt", "h2h_pembayaran.txt"])
def test_sopimp006_the_same_table_as_docx_or_html_gives_the_same_draft_as_the_text(tmp_path, seed):
    text = Path(__file__).parents[2] / "data" / "sops" / seed
    as_docx, as_html = as_docx_and_html(text, tmp_path)
    steps = [import_document(path, code="X", unit="U").as_catalogue()["steps"] for path in (text, as_docx, as_html)]
    assert steps[0] and steps[1] == steps[0] and steps[2] == steps[0]


@pytest.mark.parametrize(("activity", "columns", "executor"), [
    ("Sesuai arahan pimpinan, divisi administrasi/ helpdesk akan menyiapkan surat balasan", ["Unit Kerja", "ADM",
                                                                                            "Pimpinan UPT TIK"], "ADM"),
    ("Mengirim pesan melalui <i>Whatsapp</i>", ["Pengguna", "Penanggung Jawab"], "Pengguna"),
    ("Menerima tanggapan dan pertanyaan kepada pengirim.", ["Pengguna", "Penanggung Jawab"], "Pengguna"),
    ("Mendapatkan pesan masuk melalui e-mail", ["PEMOHON", "SUB BAGIAN ADMINISTRASI AKADEMIK"],
     "SUB BAGIAN ADMINISTRASI AKADEMIK"),
    ("Memberikan tanggapan kepada pengirim.", ["PEMOHON", "SUB BAGIAN ADMINISTRASI AKADEMIK"],
     "SUB BAGIAN ADMINISTRASI AKADEMIK"),
    ("Pengirim memberikan jawaban kepada Penanggung Jawab.", ["Pengguna", "Penanggung Jawab"], "Pengguna"),
    ("Jawaban Pengirim diterima dan akses diberikan.", ["Pengguna", "Penanggung Jawab"], "Penanggung Jawab"),
    ("Pembayaran sesuai invoice", ["Pemohon", "UPK SDMK", "Unit Bisnis"], "Pemohon"),
    ("Menginformasikan hasil kepada Pemohon", ["Pemohon", "UPK SDMK", "Unit Bisnis"], None),
    ("Identifikasi kinerja server", ["KA Unit IT", "Bendahara Penerima"], None),
])
def test_sopimp007_without_marks_the_executor_comes_from_the_subject_or_who_asks_and_who_serves(tmp_path, activity,
                                                                                                columns, executor):
    header = "No\tKegiatan\tPelaksana" + "\t" * len(columns) + "Mutu Baku\t\t\tKeterangan"
    names = "\t\t" + "\t".join(columns) + "\tKelengkapan\tWaktu\tOutput\t"
    row = f"1\t{activity}" + "\t" * (len(columns) + 1) + "Formulir\t10 menit\t\t"
    path = tmp_path / "sop.txt"
    path.write_text("\n".join([header, names, row]) + "\n", encoding="utf-8")
    [step] = import_document(path, code="X").steps
    assert (step.data["performer"] or None) == executor
