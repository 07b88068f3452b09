"""The sources page (/sumber) lists `pantau import …` as "Impor berkas" sources: the last success and a refused
file's error in plain words naming file, line and field, and no "check now" (the command pushes its data)."""

from __future__ import annotations

from app.cli.import_status import record_import

UPDATE = "/_dash-update-component"
REFRESH = {
    "output": "..sources-table.children...sources-process.children...sources-soon.disabled..",
    "outputs": [{"id": "sources-table", "property": "children"}, {"id": "sources-process", "property": "children"},
                {"id": "sources-soon", "property": "disabled"}],
    "inputs": [{"id": "sources-tick", "property": "n_intervals", "value": 1},
               {"id": "sources-asked", "property": "data", "value": None},
               {"id": "sources-soon", "property": "n_intervals", "value": None}],
    "changedPropIds": ["sources-tick.n_intervals"], "state": [],
}


def test_srcimp001_file_imports_show_their_outcome_in_words_without_a_check_now_button(web):
    record_import(web.settings, web.engine, "bank", ok=True, message="mutasi.sta (MT940): 12 lines read")
    record_import(web.settings, web.engine, "bills", ok=True, message="tagihan.csv: 2 bills read")
    record_import(web.settings, web.engine, "bills", ok=False, refused="bill source 'export' tagihan-2.csv line 4, "
                  "field amount, value 'dua juta': not a number. Nothing was imported.")
    client = web.client("admin")

    table = str(client.post(UPDATE, json=REFRESH).json["response"]["sources-table"]["children"])

    assert "sources-row-file_import-pantau import bank" in table
    assert "sources-row-file_import-pantau import bills" in table
    assert ("Impor berkas pantau import bills menolak berkas: bill source 'export' tagihan-2.csv line 4, field "
            "amount, value 'dua juta': not a number. Nothing was imported.") in table
    assert "Impor berkas" in table and "mengirim datanya sendiri" in table and "Traceback" not in table
    assert "1 percobaan berturut-turut, sejak" in table
    assert "file_import/" not in table, "a file import has no check-now button"
    assert "Periksa sekarang" not in table


def test_srcimp002_in_english_the_kind_is_file_import(web):
    record_import(web.settings, web.engine, "events", ok=False, refused="bad.csv line 2, field step, value 'kirim': "
                  "SOP KSO has no such step. Nothing was imported.")
    client = web.client("kepala_it")
    client.set_cookie("pantau_lang", "en")

    table = str(client.post(UPDATE, json=REFRESH).json["response"]["sources-table"]["children"])

    assert "File import pantau import events refused the file: bad.csv line 2, field step, value 'kirim'" in table
    assert "Check now" not in table
