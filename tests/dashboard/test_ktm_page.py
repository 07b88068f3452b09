"""KTM page: directors, administrators and the operators of a KTM unit see the pipeline; everybody else is
refused the page and its callbacks."""

from __future__ import annotations

import re
import shutil

import pytest
from demo_web import UPDATE, browser_log_in, demo_web, page, payload

REFRESH = payload([("ktm-summary", "children"), ("ktm-funnel", "children"), ("ktm-stage-chart", "children"),
                   ("ktm-stages", "children"), ("ktm-batches", "children"), ("ktm-photos", "children"),
                   ("ktm-stuck", "children")],
                  [("ktm-intake", "value", 2026), ("ktm-batch", "value", 0)])
BATCHES = payload([("ktm-batch", "options")], [("ktm-intake", "value", 2026)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("ktm"))


def _table_rows(node):
    """The rows of the first table in a callback's answer."""
    if isinstance(node, dict):
        if node.get("type") == "DataTable":
            return node["props"]["data"]
        node = list(node.values())
    for item in node if isinstance(node, list) else ():
        found = _table_rows(item)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("who", ["kepala_it", "bendahara", "operator"])
def test_ktmpage001_roles_and_other_units_get_neither_page_nor_callbacks(site, who):
    client = site.client(who)
    shown = client.post(UPDATE, json=page("/ktm")).text
    assert "Tidak berwenang" in shown and "ktm-funnel" not in shown
    assert client.post(UPDATE, json=REFRESH).status_code == 403
    assert client.post(UPDATE, json=BATCHES).status_code == 403


@pytest.mark.parametrize("who", ["direktur", "admin", "ops.ktm"])
def test_ktmpage002_allowed_users_get_the_pipeline(site, who):
    client = site.client(who)
    assert "ktm-funnel" in client.post(UPDATE, json=page("/ktm", "?intake=2026&batch=2")).text
    response = client.post(UPDATE, json=REFRESH)
    assert response.status_code == 200
    parts = response.json["response"]
    summary = str(parts["ktm-summary"]["children"])
    assert "KTM selesai" in summary and "72 dari 78 mahasiswa angkatan 2026 sudah menerima KTM" in summary
    assert "Mahasiswa dalam proses" in summary, "the demo's live cases: six cards still to be handed out"
    funnel = parts["ktm-funnel"]["children"]["props"]["children"][0]["props"]["figure"]
    assert funnel["layout"]["title"]["text"] == "Mahasiswa yang menyelesaikan tiap tahap, angkatan 2026"
    assert funnel["data"][0]["x"][0] == 78 and funnel["data"][0]["y"][1] == "1. Sosialisasi Pembuatan KTM"
    assert "Foto angkatan ini belum diperiksa." in str(parts["ktm-photos"]["children"])
    assert [o["label"] for o in client.post(UPDATE, json=BATCHES).json["response"]["ktm-batch"]["options"]] == \
        ["Semua batch", "Batch 1", "Batch 2"]


def test_ktmpage003_an_empty_store_says_where_ktm_data_comes_from(web):
    shown = web.client("direktur").post(UPDATE, json=page("/ktm")).text
    assert "Belum ada data KTM." in shown and "pantau import events" in shown


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_ktmpage004_roles_in_chromium(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    for who in ("direktur", "ops.ktm"):
        browser_log_in(dash_duo, who)
        dash_duo.driver.get(f"{dash_duo.server.url}/ktm")
        dash_duo.wait_for_contains_text("#ktm-summary", "KTM selesai", timeout=30)
        dash_duo.wait_for_element("#ktm-funnel .js-plotly-plot", timeout=30)
        dash_duo.wait_for_contains_text("#ktm-batches", "Dikirim ke bank", timeout=30)
    for who in ("kepala_it", "bendahara", "operator"):
        browser_log_in(dash_duo, who)
        dash_duo.driver.get(f"{dash_duo.server.url}/ktm")
        dash_duo.wait_for_text_to_equal("#shell-not-authorised h2", "Tidak berwenang", timeout=30)
        assert not dash_duo.driver.find_elements("css selector", "#ktm-summary")


@pytest.mark.parametrize(("who", "offered"), [("ops.ktm", True), ("operator", False), ("direktur", True),
                                              ("bendahara", False)])
def test_ktmpage005_the_menu_offers_the_page_only_to_who_may_open_it(site, who, offered):
    shell = site.client(who).get("/_dash-layout").text
    assert ("shell-nav-ktm" in shell) is offered


def test_ktmpage006_stage_times_read_in_working_time_with_the_share_on_the_same_clock(site):
    """Every KTM standard is working time: the median and P90 are written in working days and hours of the
    calendar (never 24-hour days) and their share is the time used over the standard, both on that clock."""
    from queries import ktm
    parts = site.client("direktur").post(UPDATE, json=REFRESH).json["response"]
    rows = _table_rows(parts["ktm-stages"])
    times = ktm.stage_times(site.engine, 2026).set_index("step_key")
    order = ["sosialisasi", "pendaftaran", "pembuatan_rekening", "pembuatan_ktm", "distribusi"]
    assert len(rows) == len(times) == len(order)
    for row, (_, stage) in zip(rows, times.loc[order].iterrows()):
        for field in ("median", "p90"):
            shown, share = row[field].rsplit(" (", 1)
            assert "kerja" in shown and not re.search(r"\d hari(?! kerja)", shown), row
            assert share == f"{round(100 * stage[f'{field}_s'] / stage['allowed_s'])}%)", row
    distribution = rows[-1]["p90"]
    assert "hari kerja" in distribution, "the three-working-day stage's P90 in working days"


def test_ktmpage007_the_photo_card_counts_every_problem_the_list_shows(site):
    """Missing photos, photos of a NIM not on the list and mismatched files: the card's figure is the number
    of rows listed below it."""
    from pantau.db import session_scope
    from pantau.models import KtmPhotoCheck
    issues = ([{"problem": "missing", "nim": f"N{n}", "file": None} for n in range(2)]
              + [{"problem": "extra", "nim": "X1", "file": "X1.jpg"}]
              + [{"problem": "not_image", "nim": f"M{n}", "file": f"M{n}.jpg"} for n in range(3)])
    with session_scope(site.engine) as session:
        session.add(KtmPhotoCheck(intake=1999, nim_source="store", photo_dir="/tmp", students=9, photos=7, missing=2,
                                  extra=1, mismatched=3, blocked_batches=[], issues=issues))
    try:
        body = payload([("ktm-summary", "children"), ("ktm-funnel", "children"), ("ktm-stage-chart", "children"),
                        ("ktm-stages", "children"), ("ktm-batches", "children"), ("ktm-photos", "children"),
                        ("ktm-stuck", "children")], [("ktm-intake", "value", 1999), ("ktm-batch", "value", 0)])
        parts = site.client("direktur").post(UPDATE, json=body).json["response"]
        listed = re.findall(r"'problem': ", str(parts["ktm-photos"]["children"]))
        card = str(parts["ktm-summary"]["children"])
        assert len(listed) == len(issues)
        assert re.search(r"Pemeriksaan foto'.*?'children': '" + str(len(issues)) + "'", card), card
    finally:
        with session_scope(site.engine) as session:
            session.query(KtmPhotoCheck).filter_by(intake=1999).delete()


@pytest.mark.parametrize(("lang", "standard"), [("id", "3 hari kerja"), ("en", "3 working days")])
def test_ktmpage008_the_standard_time_is_written_in_its_own_unit(site, lang, standard):
    """The stage table's standard reads on the clock its median and P90 are measured on: distribution's
    "3 hari kerja" (the SOP writes "3 hari"), in either language."""
    client = site.client("direktur")
    client.set_cookie("pantau_lang", lang)
    rows = [row["standard"] for row in _table_rows(client.post(UPDATE, json=REFRESH).json["response"]["ktm-stages"])]
    assert len(rows) == 5 and rows[-1] == standard, rows[-1]
    assert all(("kerja" if lang == "id" else "working") in row for row in rows), rows
