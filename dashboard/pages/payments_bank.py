"""The payments page's bank-feed section: payments counted once from their evidence, each account's
balance chain with its gaps, and the entries whose link the bendahara should check."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting
from pantau.banks import BankSettings, bank_name
from pantau.recon.config import bank_settings
from queries import bankfeed

from .. import context, ids
from ..components.empty import empty_state
from ..components.tables import data_table

KEY = "payments"
CHAIN_TABLE = ids.make(KEY, "chain-table")
CHECK_TABLE = ids.make(KEY, "check-table")
STATUS_WORDS = {"first": "First statement", "continues": "Continues", "gap": "Gap", "overlap": "Overlap"}
FORMAT_WORDS = {"mt940": "MT940 statement", "camt053": "camt.053 statement", "csv": "Bank export (CSV)",
                "xlsx": "Bank export (XLSX)", "bni": "BNI eCollection notification", "briva": "BRIVA notification",
                "snap": "SNAP notification"}


def bank_feed() -> html.Div:
    """The section's content. Its reads (totals over every bank entry, the statements' chain, the entries to
    check) are kept in the shared cache until a write to the money tables (an import, a reconciliation)."""
    t, lang, tz = context.t, context.lang(), context.tz()
    engine = context.engine()
    totals, accounts, gaps, to_check = context.cached("payments.bank", [], ["money"], lambda: (
        bankfeed.feed_totals(engine), *_accounts(bankfeed.balance_chain(engine)), bankfeed.entries_to_check(engine)))
    if not totals.entries:
        return empty_state(t("No bank entries yet."), t("Drop statements or notification logs in the inbox folder, "
                                                         "or run pantau import bank FILE."), icon="bank")
    latest = formatting.moment(totals.latest, lang, tz) if totals.latest else "–"
    summary = html.P(t(
        "{payments} payments ({received}) from {entries} bank entries: {evidence} are further evidence of a "
        "payment already counted, {to_check} to check. Latest booking {latest}.",
        payments=formatting.number(totals.payments, lang), received=formatting.rupiah(totals.received, lang),
        entries=formatting.number(totals.entries, lang), evidence=formatting.number(totals.evidence, lang),
        to_check=formatting.number(totals.to_check, lang), latest=latest), className="mb-3")
    return html.Div([summary, _chain(accounts, gaps), _to_check(to_check)])


def _accounts(chain: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Each account's chain (`bankfeed.chain_by_account`; None without statements) and the last five gaps:
    what the section shows of every statement's chain, small enough to keep in the shared cache."""
    if chain.empty:
        return None, chain
    return bankfeed.chain_by_account(chain), chain[chain["status"] == "gap"].tail(5)


def _chain(accounts: pd.DataFrame | None, gaps: pd.DataFrame) -> html.Div:
    t, lang = context.t, context.lang()
    heading = html.H3(t("Balance chain per account"), className="h6 mt-2")
    if accounts is None:
        return html.Div([heading, html.P(t("No statement with balances imported yet."),
                                         className="small text-body-secondary")])
    banks, wrong = _banks()
    shown = pd.DataFrame({
        "account": accounts["account"].fillna("–"),
        "bank": [bank_name(banks.account_bank(account)) or t("Not listed: VAs of any bank")
                 for account in accounts["account"]],
        "statements": [formatting.number(v, lang) for v in accounts["statements"]],
        "last": [f"{number or '–'} · {formatting.day(day, lang)}"
                 for number, day in zip(accounts["number"], accounts["closing_date"])],
        "balance": [formatting.rupiah(v, lang) for v in accounts["closing_balance"]],
        "chain": [t("{gaps} gaps", gaps=gaps) if gaps else t("Unbroken") for gaps in accounts["gaps"]],
    })
    parts = [heading, data_table(CHAIN_TABLE, shown, {
        "account": t("Account"), "bank": t("Bank"), "statements": t("Statements received"),
        "last": t("Latest statement"), "balance": t("Closing balance"), "chain": t("Chain")}, page_size=10,
        style_data_conditional=[{"if": {"filter_query": "{chain} != '" + t("Unbroken") + "'"},
                                 "backgroundColor": "#fdecea"}]),
             html.P(t("A statement or export credit pays only a VA of its account's bank. The credits of an account "
                      "not listed in the [banks] settings pay a VA of that number at any bank."),
                    className="small text-body-secondary mt-1 mb-0")]
    if wrong:
        parts.append(dbc.Alert(t("The [banks] settings are wrong, so no account's bank is known: {error}",
                                 error=wrong), color="warning", className="mt-2 mb-0 small"))
    for gap in gaps.itertuples():
        parts.append(dbc.Alert(t(
            "Account {account}: statement {number} of {day} opens with {opening}, but the one before closed "
            "with {expected} (difference {difference}). A statement is missing or was booked outside the chain.",
            account=gap.account or "–", number=gap.number or "–", day=formatting.day(gap.closing_date, lang),
            opening=formatting.rupiah(gap.opening_balance, lang), expected=formatting.rupiah(gap.expected, lang),
            difference=formatting.rupiah(gap.difference, lang)), color="danger", className="mt-2 mb-0 small"))
    return html.Div(parts)


def _banks() -> tuple[BankSettings, str]:
    """The ``[banks]`` settings, and what is wrong with them (none listed then)."""
    try:
        return bank_settings(context.settings()), ""
    except ValueError as error:
        return BankSettings(), str(error)


def _to_check(frame: pd.DataFrame) -> html.Div:
    t, lang, tz = context.t, context.lang(), context.tz()
    heading = html.H3(t("Entries to check"), className="h6 mt-3")
    if frame.empty:
        return html.Div([heading, html.P(t("Every entry was linked with certainty."),
                                         className="small text-body-secondary mb-0")])
    shown = pd.DataFrame({
        "booked": [formatting.moment(v.to_pydatetime(), lang, tz) for v in frame["booked_at"]],
        "source": [t(FORMAT_WORDS.get(v, v)) for v in frame["source_format"]],
        "va": frame["va_number"].fillna("–"),
        "amount": [formatting.rupiah(v, lang) for v in frame["amount"]],
        "description": frame["description"].fillna("–"),
        "link": [t("Counted as its own payment") if pd.isna(pid)
                 else t("Evidence of the {source} of {when}", source=t(FORMAT_WORDS.get(fmt, fmt)),
                        when=formatting.moment(at.to_pydatetime(), lang, tz))
                 for pid, fmt, at in zip(frame["payment_id"], frame["payment_format"], frame["payment_booked_at"])],
    })
    return html.Div([heading, data_table(CHECK_TABLE, shown, {
        "booked": t("Booked"), "source": t("Source"), "va": t("VA"), "amount": t("Amount"),
        "description": t("Description"), "link": t("Counted as")}, page_size=10)])
