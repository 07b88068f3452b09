"""Webservice accounts near or past their one-year validity: alerts to the IT head, and e-mail to the
requesting unit's contact through the loopback SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collectors.accounts_expiry import account_settings, contact_url
from collectors.scheduler import run_once
from pantau.db import session_scope
from pantau.models import Alert, WebserviceAccount, utcnow
from pantau.settings import Settings

DAY = timedelta(days=1)


def _account(unit: str, valid_for: timedelta, used_ago: timedelta | None = None, email: str = "") -> WebserviceAccount:
    now = utcnow()
    return WebserviceAccount(unit=unit, contact_name=f"Kontak {unit}", nip="198001012005011001", phone="0811",
                             email=email or f"{unit.split()[-1].lower()}@kampus.ac.id", data_scope="Data nilai dan KHS",
                             created_at=now + valid_for - 365 * DAY, valid_until=now + valid_for,
                             last_used_at=now - used_ago if used_ago else None)


@pytest.fixture
def accounts(store) -> dict[str, int]:
    with session_scope(store) as session:
        rows = {
            "gizi": _account("Jurusan Gizi", 10 * DAY, DAY),
            "farmasi": _account("Jurusan Farmasi", 20 * DAY),
            "aktif": _account("Perpustakaan", 200 * DAY, DAY),
            "lama": _account("Pusat Penjaminan Mutu", -30 * DAY, 40 * DAY),
            "dipakai": _account("Jurusan Kebidanan", -10 * DAY, 2 * DAY),
        }
        session.add_all(rows.values())
        session.flush()
        return {name: row.id for name, row in rows.items()}


def _settings(tmp_path, **accounts) -> Settings:
    return Settings(data_dir=tmp_path, accounts=accounts)


def _alerts(engine) -> dict[str, tuple[str, str, str]]:
    with session_scope(engine) as session:
        return {a.dedup_key: (a.role, a.severity, a.state) for a in session.scalars(select(Alert))}


def test_accexp001_expiring_and_expired_but_used_accounts_alert_the_it_head(tmp_path, store, accounts):
    [outcome] = run_once(_settings(tmp_path), store, names=["accounts-expiry"])

    assert outcome.ok and outcome.message == "2 expiring within 30 days, 1 expired but in use; 0 contacts e-mailed"
    assert _alerts(store) == {
        f"accounts:ws-expiring:{accounts['gizi']}": ("kepala_it", "warning", "open"),
        f"accounts:ws-expiring:{accounts['farmasi']}": ("kepala_it", "warning", "open"),
        f"accounts:ws-expired-in-use:{accounts['dipakai']}": ("kepala_it", "critical", "open"),
    }
    with session_scope(store) as session:
        titles = sorted(session.scalars(select(Alert.title)))
    assert titles[0].startswith("Akun webservice Jurusan Farmasi (Kontak Jurusan Farmasi) berakhir pada ")
    assert titles[1].startswith("Akun webservice Jurusan Gizi")
    assert "sudah berakhir pada" in titles[2] and "masih dipakai" in titles[2]


def test_accexp002_renewal_clears_the_alert_and_a_repeat_run_opens_nothing_new(tmp_path, store, accounts):
    settings = _settings(tmp_path)
    run_once(settings, store, names=["accounts-expiry"])
    with session_scope(store) as session:
        session.get(WebserviceAccount, accounts["gizi"]).valid_until += 365 * DAY

    run_once(settings, store, names=["accounts-expiry"])

    states = _alerts(store)
    assert states[f"accounts:ws-expiring:{accounts['gizi']}"][2] == "resolved"
    assert [s for _, _, s in states.values()].count("open") == 2 and len(states) == 3


def test_accexp003_contacts_of_configured_units_get_one_email_per_expiry(tmp_path, store, accounts, smtp_server):
    url = smtp_server.mailto("ignored@kampus.ac.id")
    settings = _settings(tmp_path, contact_mail_url=url, contact_units=["jurusan gizi", "Perpustakaan"])

    [first] = run_once(settings, store, names=["accounts-expiry"])
    [second] = run_once(settings, store, names=["accounts-expiry"])

    assert first.message.endswith("1 contacts e-mailed") and second.message.endswith("0 contacts e-mailed")
    [mail] = smtp_server.messages
    assert mail["To"] == "gizi@kampus.ac.id"
    assert mail["Subject"].startswith("Akun webservice Jurusan Gizi berakhir pada ")
    assert "Yth. Kontak Jurusan Gizi" in mail.get_body().get_content()
    with session_scope(store) as session:
        gizi = session.get(WebserviceAccount, accounts["gizi"])
        assert gizi.expiry_notice_for == gizi.valid_until
        gizi.valid_until += 5 * DAY

    run_once(settings, store, names=["accounts-expiry"])

    assert [m["To"] for m in smtp_server.messages] == ["gizi@kampus.ac.id", "gizi@kampus.ac.id"]


def test_accexp004_every_unit_is_mailed_when_no_units_are_named(tmp_path, store, accounts, smtp_server):
    settings = _settings(tmp_path, contact_mail_url=smtp_server.mailto("x@kampus.ac.id"))
    run_once(settings, store, names=["accounts-expiry"])
    assert sorted(m["To"] for m in smtp_server.messages) == ["farmasi@kampus.ac.id", "gizi@kampus.ac.id"]


def test_accexp005_an_unreachable_mail_server_is_reported_and_tried_again(tmp_path, store, accounts, unused_tcp_port):
    url = f"mailto://127.0.0.1:{unused_tcp_port}?from=pantau@kampus.ac.id&mode=insecure"
    settings = _settings(tmp_path, contact_mail_url=url, contact_units=["Jurusan Gizi"])

    [outcome] = run_once(settings, store, names=["accounts-expiry"])

    assert outcome.ok and "0 contacts e-mailed, 1 not delivered (gizi@kampus.ac.id:" in outcome.message
    with session_scope(store) as session:
        assert session.get(WebserviceAccount, accounts["gizi"]).expiry_notice_for is None


def test_accexp006_contact_url_replaces_the_recipient():
    assert contact_url("mailtos://u:p@smtp.kampus.ac.id?from=pantau@kampus.ac.id&to=a@x.id", "b@kampus.ac.id") == \
        "mailtos://u:p@smtp.kampus.ac.id?from=pantau@kampus.ac.id&to=b@kampus.ac.id"


def test_accexp007_bad_settings_name_the_field(tmp_path):
    with pytest.raises(ValueError, match=r"\[accounts\] field expiry_warning_days: .*greater than or equal to 1"):
        account_settings(_settings(tmp_path, expiry_warning_days=0))
    with pytest.raises(ValueError, match=r"\[accounts\] field role: "):
        account_settings(_settings(tmp_path, role="mahasiswa"))
