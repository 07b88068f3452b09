"""Blocks of the payments page: the KPI row, the reconciliation summary, the exception queue's table and the
bill table's rows and column titles (no queries here: each takes what the page read)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from pantau import formatting

from .. import context, ids
from ..components import exports
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.status import grade
from ..components.tables import data_table
from . import payments_figures as figures

KEY = "payments"


def summary(rate, owed, counts: dict[str, int], thresholds, ages: dict, scope: str) -> dbc.Row:
    """The answer first: collection rate, outstanding, reconciliation cases past 1x24 jam and the amount
    billed, each card with the age of its feed (`ages`, by feed) and its scope: the bills' `scope` (the chosen
    semester, or every semester), every open case for the reconciliation card."""
    t, lang = context.t, context.lang()
    rate_band, late_band = thresholds["collection_rate"], thresholds["recon_overdue"]
    cards = [
        kpi_card(t("Collection rate"), formatting.percent(rate.rate, lang),
                 grade(rate.rate, rate_band.good, rate_band.warn),
                 note=t("{paid_bills} of {bills} bills paid ({count_share}); {paid} of {billed}",
                        paid_bills=formatting.number(rate.paid_bills, lang), bills=formatting.number(rate.bills, lang),
                        count_share=formatting.percent(rate.count_rate, lang),
                        paid=formatting.rupiah(rate.paid, lang), billed=formatting.rupiah(rate.billed, lang)),
                 fresh=ages["bills"], scope=scope),
        kpi_card(t("Outstanding"), formatting.rupiah(owed.amount, lang), "info",
                 note=t("{bills} bills past their due date", bills=formatting.number(owed.bills, lang)),
                 fresh=ages["bills"], scope=scope),
        kpi_card(t("Reconciliation cases past 24 hours"), formatting.number(counts["overdue"], lang),
                 grade(counts["overdue"], late_band.good, late_band.warn, late_band.higher_is_better),
                 note=t("{open} cases open", open=formatting.number(counts["open"], lang)),
                 fresh=ages["reconciliation"], scope=t("all semesters")),
        kpi_card(t("Billed, due by today"), formatting.rupiah(rate.billed, lang), "info",
                 note=t("Collected {paid}", paid=formatting.rupiah(rate.paid, lang)), fresh=ages["bills"], scope=scope),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])


def recon_table(frame: pd.DataFrame) -> html.Div:
    """Bills and bank credits by reconciliation state, in numbers and Rupiah, and when it last ran."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No reconciliation yet."), t("It runs after each bank import and bill sync, or with "
                                                          "pantau reconcile."), icon="arrow-left-right")
    bills = frame[frame["subject"] == "bill"].set_index("state")
    credits = frame[frame["subject"] == "credit"].set_index("state")
    rows = []
    for state in figures.RECON_STATES:
        if state not in bills.index and state not in credits.index:
            continue
        rows.append({
            "state": figures.recon_label(state),
            "bills": formatting.number(bills["items"].get(state), lang) if state in bills.index else "–",
            "billed": formatting.rupiah(bills["amount"].get(state), lang) if state in bills.index else "–",
            "credits": formatting.number(credits["items"].get(state), lang) if state in credits.index else "–",
            "received": formatting.rupiah(credits["amount"].get(state), lang) if state in credits.index else "–",
        })
    ran = formatting.moment(frame["run_at"].max(), lang, tz)
    return html.Div([
        data_table(ids.make(KEY, "recon-table"), pd.DataFrame(rows), {
            "state": t("State"), "bills": t("Bills"), "billed": t("Billed"), "credits": t("Bank credits"),
            "received": t("Received")}, page_size=10),
        html.P(t("Reconciled {when}.", when=ran), className="small text-body-secondary mt-2 mb-0"),
    ])


def case_table(frame: pd.DataFrame, table_id: str):
    """The open reconciliation cases, one selectable row each (the page resolves the selected one); the
    overdue ones marked."""
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No open case."), t("Bank credits and bills that do not match appear here."),
                           icon="check2-circle")
    shown = pd.DataFrame({
        "id": frame["id"],
        "kind": frame["kind"].map(figures.recon_label),
        "bill": frame["bill"].fillna("–"),
        "payer": frame["payer_name"].fillna(frame["credit_payer"]).fillna("–"),
        "va": frame["bill_va"].fillna(frame["credit_va"]).fillna("–"),
        "difference": [formatting.rupiah(v, lang) for v in frame["amount_diff"]],
        "detected": [formatting.moment(v.to_pydatetime(), lang, tz) for v in frame["detected_at"]],
        "due": [("⚠ " + t("Overdue") + " · " if late else "") + formatting.moment(v.to_pydatetime(), lang, tz)
                for v, late in zip(frame["due_at"], frame["overdue"])],
    })
    return data_table(table_id, shown, {
        "id": t("No."), "kind": t("Case"), "bill": t("Bill"), "payer": t("Payer"), "va": t("VA"),
        "difference": t("Difference"),
        "detected": t("Detected"), "due": t("Due")}, page_size=10, row_selectable="single", selected_rows=[],
        style_data_conditional=[{"if": {"filter_query": "{due} contains '⚠'"}, "backgroundColor": "#fdecea"}])


WRAP_ANYWHERE = [{"if": {"column_id": column}, "padding": "4px 6px", "fontSize": "0.8125rem",
                  **({} if column in ("amount", "app_paid_amount", "bank_received") else {"overflowWrap": "anywhere"}),
                  **({"maxWidth": "8rem"} if column == "va_number" else {})}
                 for column in ("bill", "payer_name", "va_number", "prodi", "angkatan", "semester", "kind", "amount",
                                "app_paid_amount", "bank_received", "due_date", "recon_state")]
"""The bill table's twelve columns fit a laptop's card: a little smaller type, and words and long numbers break
where they must (a VA number over two lines, a bill's VAs at several banks one under another); amounts stay
whole."""


def bill_columns() -> dict[str, str]:
    """The bill table's and the downloads' column titles, by column."""
    t = context.t
    return {"bill": t("Bill"), "payer_name": t("Payer"), "va_number": t("VA"), "prodi": t("Study programme"),
            "angkatan": t("Intake year"), "semester": t("Semester"), "kind": t("Kind"), "amount": t("Amount"),
            "app_paid_amount": t("Paid in the app"), "bank_received": t("Received by the bank"),
            "due_date": t("Due date"), "recon_state": t("Reconciliation")}


def bill_sheet(frame: pd.DataFrame) -> exports.Sheet:
    """The bills behind the figures as a download: human headers with kinds, programmes, semesters and states in
    words (and the bill's VAs by bank where the rows name them), or the machine's snake_case and codes."""
    semester = lambda code: figures.semester_label(code)  # noqa: E731
    return exports.Sheet("bills", "Bills", frame, [
        exports.Column("bill", "Bill number"), exports.Column("payer_name", "Payer name"),
        exports.Column("va_number", "VA number", words="channels"),
        exports.Column("prodi", "Study programme", words="prodi_name"),
        exports.Column("angkatan", "Intake year", exports.WHOLE),
        exports.Column("semester", "Semester", words=semester),
        exports.Column("kind", "Bill kind", words="kind_name"),
        exports.Column("amount", "Amount (Rp)", exports.RUPIAH),
        exports.Column("app_paid_amount", "Paid in the app (Rp)", exports.RUPIAH),
        exports.Column("bank_received", "Received by the bank (Rp)", exports.RUPIAH),
        exports.Column("due_date", "Due date", exports.DATE),
        exports.Column("recon_state", "Reconciliation", words=figures.recon_label),
    ])


def named(frame: pd.DataFrame) -> pd.DataFrame:
    """Bill rows with the kind's and the study programme's names in place of their codes, and the bill's VAs by
    bank name (or "no VA") in place of its primary VA (the downloads)."""
    shown = frame.copy()
    shown["kind"] = frame["kind_name"].fillna(frame["kind"])
    shown["prodi"] = frame["prodi_name"].fillna(frame["prodi"])
    shown["va_number"] = frame["channels"]
    return shown


def _due(due, issued, lang: str) -> str:
    """The due date, or for a bill without one that its age counts from its issue date."""
    if due is not None and not pd.isna(due):
        return formatting.day(due, lang)
    if issued is None or pd.isna(issued):
        return context.t("None: age counted from the issue date")
    return context.t("None: age counted from the issue date, {day}", day=formatting.day(issued, lang))


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Bill rows as the table shows them: Rupiah, days, semester, kind, programme and state in words, "–" for
    nothing."""
    lang = context.lang()
    shown = named(frame)
    for column in ("amount", "app_paid_amount", "bank_received"):
        shown[column] = [formatting.rupiah(v, lang) if v is not None and not pd.isna(v) else "–" for v in frame[column]]
    shown["due_date"] = [_due(due, issued, lang) for due, issued in zip(frame["due_date"], frame["issued_on"])]
    shown["semester"] = frame["semester"].map(figures.semester_label)
    shown["recon_state"] = frame["recon_state"].map(figures.recon_label)
    shown["angkatan"] = frame["angkatan"].map(lambda v: "–" if pd.isna(v) else str(int(v)))
    return shown.fillna("–")
