"""Payment tokens page on the demo campus: who may open it, the stock against demand with its forecast,
and the top-up and extension forms the bendahara uses and the server refuses to the director."""

from __future__ import annotations

import json
import shutil

import pytest
from demo_web import UPDATE, browser_log_in, demo_web, page, payload
from sqlalchemy import func, select

from pantau.db import session_scope
from pantau.models import AdmissionWave, AuditEntry, PaymentPeriodExtension, TokenMovement


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_web(tmp_path_factory.mktemp("tokens"))


def _wave(site) -> AdmissionWave:
    with session_scope(site.engine) as session:
        return session.scalars(select(AdmissionWave).join(TokenMovement, TokenMovement.wave_id == AdmissionWave.id)
                               .order_by(AdmissionWave.opens_on.desc())).first()


def refresh(wave_id: int) -> dict:
    return payload([("tokens-summary", "children"), ("tokens-chart", "children"), ("tokens-history", "children")],
                   [("tokens-wave", "value", wave_id), ("tokens-saved", "data", None)])


def record(wave_id: int, *, quantity=None, deadline=None, which: str = "topup") -> dict:
    return payload([("tokens-feedback", "children"), ("tokens-saved", "data")],
                   [(f"tokens-{which}-save", "n_clicks", 1),
                    ("tokens-extension-save" if which == "topup" else "tokens-topup-save", "n_clicks", None)],
                   [("tokens-wave", "value", wave_id), ("tokens-topup-channel", "value", "online"),
                    ("tokens-topup-quantity", "value", quantity), ("tokens-topup-note", "value", "Dari bank"),
                    ("tokens-extension-deadline", "date", deadline),
                    ("tokens-extension-note", "value", "Bank gangguan")])


def _topups(site) -> int:
    with site.engine.connect() as connection:
        return connection.scalar(select(func.count()).where(TokenMovement.kind == "topup",
                                                            TokenMovement.recorded_by == "user.bendahara"))


@pytest.mark.parametrize("role", ["kepala_it", "operator"])
def test_tokpage001_other_roles_get_nothing(site, role):
    client = site.client(role)
    wave = _wave(site)
    assert "Tidak berwenang" in client.post(UPDATE, json=page("/token")).text
    for request in (refresh(wave.id), record(wave.id, quantity=10)):
        assert client.post(UPDATE, json=request).status_code == 403


def test_tokpage002_stock_against_demand_with_the_forecast_and_the_method(site):
    client = site.client("direktur")
    shown = client.post(UPDATE, json=page("/token")).text
    assert "Cara prakiraan dihitung" in shown and "Sisa hari per gelombang yang dibuka" in shown
    parts = client.post(UPDATE, json=refresh(_wave(site).id)).json["response"]
    assert "Sisa hari token" in str(parts["tokens-summary"]["children"])
    figure = parts["tokens-chart"]["children"]["props"]["children"][0]["props"]["figure"]
    names = [trace.get("name") for trace in figure["data"]]
    assert "Permintaan (calon pendaftar per hari)" in names
    assert any(name and name.startswith("Stok ") for name in names)
    layout = figure["layout"]
    assert layout["yaxis"]["title"]["text"] == "Calon pendaftar per hari" and layout["yaxis"]["side"] == "right"
    assert layout["yaxis2"]["title"]["text"] == "Token dalam stok" and layout["yaxis2"]["side"] == "left"
    assert layout["separators"] == ",." and layout["yaxis"]["tickformat"] == ",d"
    # The stock axis's own ticks, not the demand axis's positions synced onto it (uneven counts such as 29, 58, 87).
    assert layout["yaxis2"]["tickmode"] == "auto" and layout["yaxis2"]["tickformat"] == ",d"
    # Plotly draws the overlaying axis's traces above the main one's: every line and marker over the bars.
    axes = {trace["type"]: set() for trace in figure["data"]}
    for trace in figure["data"]:
        axes[trace["type"]].add(trace.get("yaxis", "y"))
    assert axes == {"bar": {"y"}, "scatter": {"y2"}}


def test_tokpage003_the_director_sees_no_form_and_the_server_refuses_his_records(site):
    client = site.client("direktur")
    shown = client.post(UPDATE, json=page("/token")).text
    assert "tokens-topup-save" not in shown and "Hanya bendahara yang mencatat" in shown
    before = _topups(site)
    assert client.post(UPDATE, json=record(_wave(site).id, quantity=25)).status_code == 403
    assert _topups(site) == before


def test_tokpage004_the_bendahara_records_a_topup_and_an_extension(site):
    client = site.client("bendahara")
    wave = _wave(site)
    assert "tokens-topup-save" in client.post(UPDATE, json=page("/token")).text
    assert "Tidak dicatat" in client.post(UPDATE, json=record(wave.id, quantity=2.5)).text
    assert "Penambahan token dicatat." in client.post(UPDATE, json=record(wave.id, quantity=40)).text
    later = wave.payment_deadline.replace(day=min(wave.payment_deadline.day + 3, 28)).isoformat()
    assert "Perpanjangan dicatat." in client.post(UPDATE, json=record(wave.id, deadline=later, which="extension")).text
    with session_scope(site.engine) as session:
        movement = session.scalars(select(TokenMovement).where(TokenMovement.recorded_by == "user.bendahara")).one()
        assert (movement.kind, movement.quantity, movement.channel, movement.note) == ("topup", 40, "online",
                                                                                       "Dari bank")
        extension = session.scalars(select(PaymentPeriodExtension)
                                    .where(PaymentPeriodExtension.recorded_by == "user.bendahara")).one()
        assert extension.new_deadline.isoformat() == later
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "user.bendahara")))
        assert {"tokens.topup", "tokens.extension"} <= actions


@pytest.mark.parametrize(("lang", "quantity", "deadline", "earlier"), [
    ("id", "Tidak dicatat: Isi jumlah token bilangan bulat dari 1 sampai 100.000.",
     "Tidak dicatat: Pilih batas waktu yang baru.",
     "Tidak dicatat: batas waktu yang baru, {new}, tidak sesudah batas waktu sekarang, {current}"),
    ("en", "Not recorded: Enter a whole number of tokens from 1 to 100,000.",
     "Not recorded: Choose the new deadline.",
     "Not recorded: the new deadline {new} is not after the current one, {current}")])
def test_tokpage007_refusals_speak_the_readers_language(site, lang, quantity, deadline, earlier):
    """A refused top-up or extension is told in the page's language, dates and numbers in its format."""
    from pantau import formatting

    client = site.client("bendahara")
    client.set_cookie("pantau_lang", lang)
    wave = _wave(site)
    with session_scope(site.engine) as session:
        current = session.get(AdmissionWave, wave.id).payment_deadline
    sooner = current.replace(day=1) if current.day > 1 else current
    earlier = earlier.format(new=formatting.day(sooner, lang), current=formatting.day(current, lang))
    for request, expected in ((record(wave.id, quantity=2.5), quantity), (record(wave.id, which="extension"), deadline),
                              (record(wave.id, deadline=sooner.isoformat(), which="extension"), earlier)):
        answer = client.post(UPDATE, json=request)
        assert answer.status_code == 200, answer.text
        assert expected in json.dumps(answer.get_json(), ensure_ascii=False)


def test_tokpage006_the_history_lists_the_newest_change_first(site):
    """Found by the click-everything suite: the history was oldest first, ten to a page, so a top-up just
    recorded sat on the last page, out of sight."""
    client = site.client("admin")
    wave = _wave(site)
    assert "Penambahan token dicatat." in client.post(UPDATE, json=record(wave.id, quantity=7)).text
    history = client.post(UPDATE, json=refresh(wave.id)).json["response"]["tokens-history"]["children"]
    rows = history["props"]["children"][0]["props"]["data"]
    assert (rows[0]["what"], rows[0]["detail"], rows[0]["who"]) == ("Penambahan token", "Daring: +7", "user.admin")


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="browser tests need Debian's chromium and chromium-driver")
def test_tokpage005_in_chromium_the_chart_and_the_forms(dash_duo, site):
    dash_duo.start_server(site.app, navigate=False)
    browser_log_in(dash_duo, "bendahara")
    dash_duo.driver.get(f"{dash_duo.server.url}/token?wave={_wave(site).code}")
    dash_duo.wait_for_contains_text("#tokens-summary", "Sisa hari token", timeout=30)
    dash_duo.wait_for_element("#tokens-chart .js-plotly-plot", timeout=30)
    dash_duo.wait_for_element("#tokens-topup-save", timeout=30)
    ticks = {word for tick in dash_duo.driver.find_elements("css selector", "#tokens-chart .xtick text")
             for word in tick.text.split()}
    assert ticks & {"Mei", "Agu", "Okt", "Des"} and not ticks & {"May", "Aug", "Oct", "Dec"}, ticks  # Indonesian months
    browser_log_in(dash_duo, "direktur")
    dash_duo.driver.get(f"{dash_duo.server.url}/token?wave={_wave(site).code}")
    dash_duo.wait_for_element("#tokens-chart .js-plotly-plot", timeout=30)
    assert not dash_duo.driver.find_elements("css selector", "#tokens-topup-save")


def test_tokpage008_channels_are_shown_by_name_not_code(site):
    client = site.client("bendahara")
    wave = _wave(site)
    parts = json.dumps(client.post(UPDATE, json=refresh(wave.id)).json["response"], ensure_ascii=False)
    options = client.post(UPDATE, json=payload([("tokens-topup-channel", "options"), ("tokens-topup-channel", "value")],
                                               [("tokens-wave", "value", wave.id)])).json["response"]

    assert "Stok Bank BRI" in parts and "Bank BRI: +" in parts and "Bank BNI" in parts
    assert "bank-bri" not in parts and "bank-bni" not in parts
    assert {"label": "Bank BRI", "value": "bank-bri"} in options["tokens-topup-channel"]["options"]


def test_tokpage009_the_open_waves_table_names_each_wave_by_its_name(tmp_path):
    """Waves open today with a stock (on a copy of the demo, one added that opened yesterday) are listed by their
    names, not their codes."""
    from datetime import timedelta

    from pantau.models import utcnow

    own = demo_web(tmp_path)
    today = utcnow().date()
    with session_scope(own.engine) as session:
        wave = AdmissionWave(code="UJI-1", name="Gelombang Uji", year=today.year, opens_on=today - timedelta(days=1),
                             closes_on=today + timedelta(days=10), payment_deadline=today + timedelta(days=12))
        session.add(wave)
        session.flush()
        session.add(TokenMovement(wave_id=wave.id, channel="bank-bni", kind="initial", quantity=100,
                                  occurred_at=utcnow(), recorded_by="test"))

    def tables(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "tokens-open-table":
                yield node["props"]["data"]
            node = list(node.get("props", node).values())
        for item in node if isinstance(node, list) else []:
            yield from tables(item)

    [rows] = tables(own.client("bendahara").post(UPDATE, json=page("/token")).json)
    with session_scope(own.engine) as session:
        open_now = session.execute(select(AdmissionWave.code, AdmissionWave.name).join(
            TokenMovement, TokenMovement.wave_id == AdmissionWave.id).where(
            AdmissionWave.opens_on <= today, AdmissionWave.closes_on >= today).distinct()).all()
    shown = {row["wave"] for row in rows}
    assert "Gelombang Uji" in shown and shown == {name for _, name in open_now}
    assert not shown & {code for code, _ in open_now}
