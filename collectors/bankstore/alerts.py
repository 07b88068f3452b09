"""Alerts the bank feed raises for the bendahara: a gap in an account's balance chain."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert
from pantau.recon.chain import ChainLink

SOURCE = "bank-chain"
PREFIX = "bank-balance-gap:"


def balance_gaps(session: Session, links: list[ChainLink], language: str = "id") -> None:
    """Raise one alert per statement that does not open with the previous closing balance, and clear
    those of the given accounts whose gap has been filled."""
    gaps = {f"{PREFIX}{link.statement.id}": link for link in links if link.status == "gap"}
    for key, link in gaps.items():
        raise_alert(session, dedup_key=key, source=SOURCE, role="bendahara", severity="warning", link="/pembayaran",
                    words=lambda lang, link=link: _words(link, lang), lang=language)
    statement_ids = {f"{PREFIX}{link.statement.id}" for link in links}
    live = session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES)))
    for key in set(live) & statement_ids - set(gaps):
        clear_condition(session, key, note="balance chain continues")


def check_chains(engine: Engine, language: str = "id") -> int:
    """Walk every account's balance chain, alert each gap and clear the filled ones; returns the gaps."""
    from .statements import chain_of

    with session_scope(engine) as session:
        links = chain_of(session.connection())
        balance_gaps(session, links, language)
    return sum(link.status == "gap" for link in links)


def _words(link: ChainLink, lang: str) -> tuple[str, str]:
    """Which account's chain broke, and where: the statement's opening against the closing before it."""
    statement = link.statement
    return (translate("Balance chain broken: account {account}", lang, account=statement.account or "?"),
            translate("Statement {number} opens with {opening}, the statement before it closed with {expected}"
                      " (difference {difference}): a statement is missing or overlaps.", lang,
                      number=statement.number or "-", opening=formatting.rupiah(statement.opening_balance, lang),
                      expected=formatting.rupiah(link.expected, lang),
                      difference=formatting.rupiah(link.difference, lang)))
