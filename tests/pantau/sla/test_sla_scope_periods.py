"""Who sees which steps, the half-years figures are judged by, and the `[sops]` settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pantau.settings import Settings
from pantau.sla.periods import half_label, half_of, month_label, months_of, months_until, previous_half
from pantau.sla.scope import narrow, visible_sops, visible_steps


def test_sc001_director_and_admin_see_every_step(ctx):
    assert visible_steps(ctx.catalogue, "direktur") is None
    assert visible_steps(ctx.catalogue, "admin") is None


def test_sc002_operator_sees_own_unit_sops_and_steps_its_unit_performs(ctx):
    scope = visible_steps(ctx.catalogue, "operator", " upt tik ")
    assert scope == {"WS": frozenset(step.key for step in ctx.catalogue["WS"].steps)}
    bendahara_unit = visible_steps(ctx.catalogue, "operator", "Unit Bisnis")
    assert bendahara_unit == {"KSO": frozenset({"invoice", "pembayaran", "surat_keterangan_pembayaran"})}
    assert visible_steps(ctx.catalogue, "operator", None) == {}


def test_sc003_it_head_and_treasurer_see_the_steps_of_their_role(ctx):
    assert visible_steps(ctx.catalogue, "kepala_it", None) == {
        "H2H": frozenset({"monitoring_server"}), "WS": frozenset({"buat_akun", "konfirmasi_akun"})}
    assert visible_steps(ctx.catalogue, "bendahara", None) == {
        "H2H": frozenset({"setting_tagihan", "pengecekan_pembayaran"})}
    assert visible_sops(ctx.catalogue, visible_steps(ctx.catalogue, "bendahara")) == ["H2H"]


def test_sc004_narrowing_to_one_sop_never_widens(ctx):
    scope = visible_steps(ctx.catalogue, "kepala_it")
    assert narrow(scope, ctx.catalogue, "KTM") == {}
    assert narrow(scope, ctx.catalogue, "WS") == {"WS": frozenset({"buat_akun", "konfirmasi_akun"})}
    assert narrow(None, ctx.catalogue, "WS")["WS"] >= {"surat_balasan"}


def test_pe001_half_years_months_and_labels():
    assert half_of("2026-06") == "2026-H1" and half_of("2026-07") == "2026-H2"
    assert months_of("2026-H2") == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert previous_half("2026-H1") == "2025-H2"
    assert months_until("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert half_label("2026-H1", "id") == "Januari–Juni 2026"
    assert half_label("2026-H2", "en") == "July–December 2026"
    assert month_label("2026-08", "id") == "Agu 2026"
    with pytest.raises(ValueError, match="write it as 2026-H1"):
        months_of("2026-1")


def test_cf001_sops_section_defaults_and_per_sop_threshold():
    settings = Settings(sops={"verdict_thresholds": {"KSO": 0.75}})
    assert settings.sops.at_risk_share == 0.8
    assert settings.sops.threshold("KSO") == 0.75 and settings.sops.threshold("KTM") == 0.9


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"at_risk_share": 1.2}, "at_risk_share"),
        ({"sources": [{"name": "simak", "url": "mysql+pymysql://x/y"}]}, "source 'simak' field query: Field required"),
        ({"sources": [{"name": "simak", "url": "u", "query": "q", "every": 5}]}, "source 'simak' field every"),
        ({"sources": [{"name": "a", "url": "u", "query": "q"}, {"name": "a", "url": "u", "query": "q"}]},
         "source 'a': the name is used twice"),
        ({"verdict_thresholds": {"KSO": 90}}, "SOP 'KSO': a threshold is a share above 0 and at most 1"),
    ],
)
def test_cf002_bad_sops_section_names_item_and_field(section, message):
    with pytest.raises(ValidationError, match=message):
        Settings(sops=section)
