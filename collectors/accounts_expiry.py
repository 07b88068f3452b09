"""The `accounts-expiry` collector: webservice accounts about to expire, and expired ones still in use.

A webservice account is valid for one year (WS SOP step 3). Each account expiring within the warning
window raises an alert to the responsible role (the IT head by default) and, where `[accounts]` names a
mail channel, e-mails the requesting unit's contact once per validity period; each account the source
saw in use after it expired raises a critical alert. Alerts clear when the account is renewed, or
when an expiring account has expired unused.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import apprise
import pandas as pd
from sqlalchemy import Engine, select, update

from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert, WebserviceAccount, utcnow
from pantau.settings import Settings
from pantau.ws_accounts import AccountSettings, account_settings
from queries.accounts import EXPIRED_IN_USE, EXPIRING, ws_accounts

from .base import Collector, CollectorResult
from .registry import register

log = logging.getLogger(__name__)

SOURCE = "accounts"
WS_SOP = "WS"
"""Webservice accounts are the WS SOP's: its page part and its alerts go to whom that SOP is assigned."""
EVERY_ACCOUNT = 1_000_000


def contact_url(base: str, address: str) -> str:
    """The apprise URL `base` sending to `address` (any `to` it had is replaced)."""
    parts = urlsplit(base)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "to"] + [("to", address)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="@")))


def expiry_alerts(engine: Engine, settings: Settings, config: AccountSettings, now: datetime) -> tuple[int, int]:
    """Raise an alert per expiring account and per expired account still in use, and clear the alerts of
    accounts in neither state any more. Returns (expiring, expired in use)."""
    lang, tz = settings.language, settings.timezone
    rows = ws_accounts(engine, now, config.warning, states=(EXPIRING, EXPIRED_IN_USE), limit=EVERY_ACCOUNT)
    wanted = {}
    for row in rows.itertuples():
        if row.state == EXPIRING:
            key, severity = f"{SOURCE}:ws-expiring:{row.id}", "warning"
        else:
            key, severity = f"{SOURCE}:ws-expired-in-use:{row.id}", "critical"
        wanted[key] = (severity, lambda say, row=row: _words(row, say, tz))
    with session_scope(engine) as session:
        for key, (severity, words) in sorted(wanted.items()):
            raise_alert(session, dedup_key=key, source=SOURCE, role=config.role, words=words, lang=lang,
                        severity=severity, link="/akun", now=now, sop_code=WS_SOP)
        live = session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES)))
        note = translate("The account was renewed, or expired without further use.", lang)
        for key in sorted(set(live) - wanted.keys()):
            clear_condition(session, key, note=note, now=now)
    states = rows["state"].tolist()
    return states.count(EXPIRING), states.count(EXPIRED_IN_USE)


def _words(row, lang: str, tz: str) -> tuple[str, str]:
    """An expiring (or expired, still used) account's alert: which account, until when, whose, last used when."""
    until = formatting.day(row.valid_until.to_pydatetime(), lang, tz)
    words = dict(unit=row.unit, contact=row.contact_name, date=until)
    title = (translate("Webservice account of {unit} ({contact}) expires on {date}", lang, **words)
             if row.state == EXPIRING else
             translate("Webservice account of {unit} ({contact}) expired on {date} but is still in use", lang, **words))
    used = formatting.moment(row.last_used_at.to_pydatetime(), lang, tz) if pd.notna(row.last_used_at) else "–"
    return title, translate("Data: {scope}\nContact: {contact}, NIP {nip}, {email}, {phone}\nLast used: {used}", lang,
                            scope=row.data_scope, contact=row.contact_name, nip=row.nip, email=row.email,
                            phone=row.phone, used=used)


def mail_contacts(engine: Engine, settings: Settings, config: AccountSettings, now: datetime) -> tuple[int, list[str]]:
    """E-mail the contact of each expiring account whose unit is mailed and who was not yet told about
    this expiry; remember each one sent. Returns (sent, errors). Mail goes out before any write."""
    if not config.contact_mail_url:
        return 0, []
    lang, tz = settings.language, settings.timezone
    rows = ws_accounts(engine, now, config.warning, states=(EXPIRING,), limit=EVERY_ACCOUNT)
    sent, errors = [], []
    for row in rows.itertuples():
        until = row.valid_until.to_pydatetime()
        told = row.expiry_notice_for.to_pydatetime() if pd.notna(row.expiry_notice_for) else None
        if told == until or not config.mails(row.unit) or not row.email:
            continue
        words = dict(unit=row.unit, contact=row.contact_name, scope=row.data_scope,
                     date=formatting.day(until, lang, tz), institution=settings.institution)
        title = translate("Webservice account of {unit} expires on {date}", lang, **words)
        body = translate(
            "Dear {contact},\n\nthe webservice account {unit} asked for ({scope}) is valid until {date}. "
            "To keep the service running, ask UPT TIK to extend it before then.\n\n{institution}", lang, **words)
        error = _send(contact_url(config.contact_mail_url, row.email), title, body)
        if error:
            errors.append(f"{row.email}: {error}")
        else:
            sent.append((row.id, until))
    if sent:
        with session_scope(engine) as session:
            for account_id, until in sent:
                session.execute(update(WebserviceAccount).where(WebserviceAccount.id == account_id)
                                .values(expiry_notice_for=until))
    return len(sent), errors


def _send(url: str, title: str, body: str) -> str | None:
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return "not a valid apprise URL"
    warnings: list[str] = []
    if notifier.notify(title=title, body=body, log_callback=lambda entry, _plugin: warnings.append(entry.message)):
        return None
    return "; ".join(warnings) or "not delivered"


@register
class AccountsExpiryCollector(Collector):
    """Alert on webservice accounts expiring or expired but used, and tell their units' contacts."""

    name = "accounts-expiry"

    @property
    def interval_s(self) -> float:
        return account_settings(self.settings).every_s

    def run(self) -> CollectorResult:
        config = account_settings(self.settings)
        now = utcnow()
        expiring, in_use = expiry_alerts(self.engine, self.settings, config, now)
        sent, errors = mail_contacts(self.engine, self.settings, config, now)
        message = f"{expiring} expiring within {config.expiry_warning_days} days, {in_use} expired but in use; " \
                  f"{sent} contacts e-mailed"
        if errors:
            log.warning("accounts-expiry: %d e-mails not delivered: %s", len(errors), "; ".join(errors))
            message += f", {len(errors)} not delivered ({errors[0]})"
        return CollectorResult(expiring + in_use, message)
