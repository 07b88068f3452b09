"""Collection by kind group and bill kind on the payments page, the overview and the monthly report (issue 17,
point 1): every role that may see a page gets the breakdown by name in its language, with the figures of
queries.kind_breakdown and the age of the bills behind them; a role that may not see it gets none, and the
server refuses its callbacks."""

from __future__ import annotations

from datetime import date

import pytest
from clicker import FaultLog
from demo_web import NOW, UPDATE, demo_web, payload

from pantau import formatting
from pantau.models import utcnow
from pantau.recon import reconcile
from queries import kind_breakdown
from queries.payments import BillFilter

ZONE = "Asia/Jakarta"
KINDS = payload([("payments-kind-breakdown", "children")],
                [("payments-semester", "value", "all"), ("payments-kinds", "value", None),
                 ("payments-prodi", "value", None), ("payments-angkatan", "value", None),
                 ("payments-tick", "n_intervals", None)])
PAYMENT_ROLES = ("bendahara", "direktur", "admin")
DEMO_NAMES = {"id": ("Biaya pendidikan", "Herregistrasi", "Penerimaan mahasiswa baru", "Registrasi",
                     "Pendaftaran (Sipenmatu)", "Semua jenis tagihan"),
              "en": ("Tuition and study fees", "Re-registration", "Admission", "Registration",
                     "Application fee (Sipenmatu)", "All bill kinds")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = demo_web(tmp_path_factory.mktemp("kinds"))
    reconcile(site.engine, site.settings, now=NOW)
    site.faults = FaultLog().install(site.app.server)
    return site


def _today() -> date:
    return formatting.local(utcnow(), ZONE).date()


def _texts(node, out: list | None = None) -> list[str]:
    """The strings a component tree shows."""
    out = [] if out is None else out
    if isinstance(node, dict):
        _texts(node.get("props", {}).get("children"), out)
    elif isinstance(node, list):
        for item in node:
            _texts(item, out)
    elif isinstance(node, str):
        out.append(node)
    return out


def _lines(engine, lang: str, semester: str | None = None, as_of: date | None = None) -> list[dict]:
    frame = kind_breakdown.by_kind(engine, as_of=as_of or _today(), bills=BillFilter(semester=semester), lang=lang)
    return kind_breakdown.worded(frame, lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", PAYMENT_ROLES)
def test_kbpage001_payments_shows_each_group_with_its_kinds_by_name(site, role, lang):
    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=KINDS)
    assert answer.status_code == 200
    shown = _texts(answer.json["response"]["payments-kind-breakdown"]["children"])
    expected = _lines(site.engine, lang)
    assert [line["label"] for line in expected] and set(DEMO_NAMES[lang]) <= {line["label"] for line in expected}
    for line in expected:
        assert [line["label"], line["bills"], line["billed"], line["paid"], line["rate"],
                line["outstanding"]] == shown[shown.index(line["label"]):shown.index(line["label"]) + 6]
    assert ("semua semester" if lang == "id" else "all semesters") in shown
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"
    assert not {"herregistrasi", "registrasi", "sipenmatu", "pendidikan", "penerimaan"} & set(shown), "no codes"


@pytest.mark.parametrize("role", ["kepala_it", "operator"])
def test_kbpage002_payments_refuses_the_breakdown_to_other_roles(site, role):
    assert site.client(role).post(UPDATE, json=KINDS).status_code == 403


OVERVIEW = payload([("overview-kinds", "children")], [("overview-tick", "n_intervals", None)])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", PAYMENT_ROLES)
def test_kbpage003_the_overview_splits_the_collection_rate_cards_semester_by_group_and_kind(site, role, lang):
    from queries import overview

    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=OVERVIEW)
    assert answer.status_code == 200
    card = answer.json["response"]["overview-kinds"]["children"]
    shown = _texts(card)
    found = overview.kind_collection(site.engine, site.settings, utcnow())
    lines = kind_breakdown.worded(found.frames[lang], lang)
    assert set(DEMO_NAMES[lang]) & {line["label"] for line in lines}
    for line in lines:
        assert [line["label"], line["billed"], line["paid"], line["rate"]] == \
            shown[shown.index(line["label"]):shown.index(line["label"]) + 4]
    rate = next(kpi for kpi in overview.payment_kpis(site.engine, site.settings, utcnow())
                if kpi.key == "collection_rate")
    assert f"?semester={found.semester}" in str(card) and found.semester == rate.words["semester"]
    assert lines[-1]["rate"] == formatting.percent(rate.value, lang), "the total is the collection rate card's"
    from pantau import semesters
    assert f"semester {semesters.label(found.semester, lang)}" in shown
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"


def test_kbpage004_the_it_head_has_no_finance_card_and_operators_are_refused(site):
    answer = site.client("kepala_it").post(UPDATE, json=OVERVIEW)
    assert answer.status_code == 200 and answer.json["response"]["overview-kinds"]["children"] is None
    assert site.client("operator").post(UPDATE, json=OVERVIEW).status_code == 403


def _report(month: str) -> dict:
    return payload([("report-body", "children")], [("report-month", "value", month)])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("role", ["direktur", "admin"])
def test_kbpage005_the_monthly_report_has_the_breakdown_as_of_its_month(site, role, lang):
    from queries import monthly_report as monthly

    month = monthly.previous_month(utcnow(), ZONE)
    client = site.client(role)
    client.set_cookie("pantau_lang", lang)
    answer = client.post(UPDATE, json=_report(month))
    assert answer.status_code == 200
    shown = _texts(answer.json["response"]["report-body"]["children"])
    title, scope, lines = monthly.kind_section(monthly.build(site.engine, site.settings, month), lang)
    assert title in shown and scope in shown and set(DEMO_NAMES[lang]) & {line["label"] for line in lines}
    for line in lines:
        assert [line["label"], line["bills"], line["billed"], line["paid"], line["rate"],
                line["outstanding"]] == shown[shown.index(line["label"]):shown.index(line["label"]) + 6]
    assert any(text.startswith("Data per " if lang == "id" else "Data as of ") for text in shown), "its age"


@pytest.mark.parametrize("role", ["kepala_it", "bendahara", "operator"])
def test_kbpage006_the_report_is_refused_to_other_roles(site, role):
    assert site.client(role).post(UPDATE, json=_report("2026-11")).status_code == 403
