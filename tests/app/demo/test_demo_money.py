"""The demo's bills, payments, bank feed and payment tokens hold together the way the pages rely on."""

from __future__ import annotations

import pandas as pd
from demo_helpers import NOW, frame

from pantau.billkinds import SOP_KINDS


def test_demo010_every_bill_has_a_prodi_a_known_kind_and_a_positive_amount(campus):
    engine, _ = campus
    bills = frame(engine, "SELECT kind, prodi_id, amount, semester, va_number, student_id, applicant_id FROM bills")
    assert set(bills["kind"]) == set(SOP_KINDS)
    assert bills["prodi_id"].notna().all()
    assert (bills["amount"].astype(float) > 0).all()
    assert bills["semester"].str.fullmatch(r"20\d\d[12]").all()
    assert bills["va_number"].dropna().is_unique
    assert 0 < bills["va_number"].isna().mean() < 0.06  # a few bills without VA, paid at the counter
    vas = frame(engine, "SELECT bill_id, bank, va_number, position FROM bill_vas")
    assert not vas.duplicated(["bank", "va_number"]).any()  # a VA number names one bill at its bank
    per_bill = vas.groupby("bill_id").size()
    assert set(per_bill) == {1, 2, 3} and 0.1 < (per_bill > 1).mean() < 0.5
    primary = vas[vas["position"] == 0].set_index("bill_id")["va_number"]
    assert len(primary) == bills["va_number"].notna().sum() and set(primary) == set(bills["va_number"].dropna())
    assert (bills["student_id"].isna() != bills["applicant_id"].isna()).all()
    ukt = bills.loc[bills["kind"] != "sipenmatu", "amount"].astype(float)
    assert ukt.between(2_500_000, 9_000_000).all()
    assert bills.loc[bills["kind"] == "sipenmatu", "amount"].astype(float).between(200_000, 300_000).all()


def test_demo011_payments_add_up_to_what_the_application_says_was_paid(campus):
    engine, _ = campus
    bills = frame(engine, """
        SELECT b.id, b.amount, b.app_paid, b.app_paid_at, b.app_paid_amount, COALESCE(SUM(p.amount), 0) AS paid
        FROM bills b LEFT JOIN payments p ON p.bill_id = b.id GROUP BY b.id, b.amount, b.app_paid, b.app_paid_at,
        b.app_paid_amount""")
    assert (bills["paid"].astype(float) == bills["app_paid_amount"].astype(float)).all()
    paid = bills["app_paid"].astype(bool)
    assert (paid == (bills["app_paid_amount"].astype(float) >= bills["amount"].astype(float))).all()
    assert (paid == bills["app_paid_at"].notna()).all()
    partial = ~paid & (bills["app_paid_amount"].astype(float) > 0)
    overpaid = bills["app_paid_amount"].astype(float) > bills["amount"].astype(float)
    assert partial.sum() >= 1 and overpaid.sum() >= 1


def test_demo012_about_a_tenth_of_the_bills_past_due_are_unpaid(campus):
    engine, _ = campus
    due = frame(engine, f"SELECT app_paid FROM bills WHERE due_date < '{NOW.date().isoformat()}'")
    unpaid = 1 - due["app_paid"].astype(bool).mean()
    assert 0.08 <= unpaid <= 0.15


def test_demo013_payments_cluster_in_the_days_before_the_due_date(campus):
    engine, _ = campus
    paid = frame(engine, "SELECT due_date, app_paid_at FROM bills WHERE app_paid AND kind = 'herregistrasi'")
    local_day = pd.to_datetime(paid["app_paid_at"], utc=True).dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    days_before = (pd.to_datetime(paid["due_date"]) - local_day.dt.normalize()).dt.days
    assert days_before.between(0, 7).mean() > 0.6
    assert 0.02 < (days_before < 0).mean() < 0.15
    assert (days_before > 14).mean() < 0.15


def test_demo014_a_small_share_is_paid_at_the_bank_but_unpaid_in_the_application(campus):
    engine, _ = campus
    credited = frame(engine, """
        SELECT DISTINCT b.id, b.app_paid_amount FROM bills b
        JOIN bank_transactions t ON t.va_number = b.va_number AND t.amount = b.amount AND t.direction = 'credit'""")
    bank_only = (credited["app_paid_amount"].astype(float) == 0).mean()
    assert 0.003 <= bank_only <= 0.02


def test_demo015_the_bank_feed_mixes_formats_and_carries_the_deliberate_mismatches(campus):
    engine, _ = campus
    credits = frame(engine, "SELECT source_format, va_number, dedup_key, payment_ref FROM bank_transactions "
                            "WHERE direction = 'credit'")
    assert set(credits["source_format"]) == {"bni", "briva", "snap", "mt940"}
    notified = credits["source_format"] != "mt940"
    expected = "ntf:" + credits.loc[notified, "source_format"] + ":" + credits.loc[notified, "payment_ref"]
    assert (credits.loc[notified, "dedup_key"] == expected).all()
    assert credits.loc[~notified, "dedup_key"].str.match(r"^line:[^:]*:\w+:\d{4}-\d\d-\d\d:C:\d+\.\d\d#\d+$").all()
    no_bill = frame(engine, "SELECT COUNT(*) AS n FROM bank_transactions t WHERE direction = 'credit' AND NOT EXISTS "
                            "(SELECT 1 FROM bill_vas v WHERE v.va_number = t.va_number)")
    assert no_bill["n"][0] >= 2
    no_credit = frame(engine, "SELECT COUNT(*) AS n FROM bills b WHERE app_paid AND NOT EXISTS "
                              "(SELECT 1 FROM bill_vas v JOIN bank_transactions t ON t.va_number = v.va_number "
                              "WHERE v.bill_id = b.id)")
    assert no_credit["n"][0] >= 1
    debits = frame(engine, "SELECT COUNT(*) AS n FROM bank_transactions WHERE direction = 'debit'")
    assert debits["n"][0] > 0


def test_demo016_token_stock_never_goes_negative_and_the_running_wave_is_days_from_empty(campus):
    engine, _ = campus
    moves = frame(engine, "SELECT wave_id, channel, kind, quantity, occurred_at FROM token_movements")
    moves["signed"] = moves["quantity"].where(moves["kind"] != "issued", -moves["quantity"])
    moves["order"] = moves["kind"].map({"initial": 0, "topup": 1, "issued": 2})
    moves = moves.sort_values(["wave_id", "channel", "occurred_at", "order"])
    assert (moves.groupby(["wave_id", "channel"])["signed"].cumsum() >= 0).all()
    today = NOW.date().isoformat()
    running = frame(engine, f"SELECT id FROM admission_waves WHERE opens_on <= '{today}' AND closes_on >= '{today}'")
    assert len(running) == 1
    wave = moves[moves["wave_id"] == running["id"][0]]
    stock = wave["signed"].sum()
    recent = wave[(wave["kind"] == "issued")
                  & (pd.to_datetime(wave["occurred_at"], utc=True) > pd.Timestamp(NOW) - pd.Timedelta(days=7))]
    days_left = stock / (recent["quantity"].sum() / 7)
    assert 2 <= days_left <= 8


def test_demo017_applicants_sometimes_waited_for_a_top_up_and_a_deadline_was_extended(campus):
    engine, _ = campus
    waited = frame(engine, "SELECT COUNT(*) AS n FROM applicants WHERE token_issued_at > arrived_at")
    assert waited["n"][0] >= 1
    extensions = frame(engine, "SELECT e.new_deadline, w.payment_deadline, e.previous_deadline "
                               "FROM payment_extensions e JOIN admission_waves w ON w.id = e.wave_id")
    assert len(extensions) >= 1
    assert (extensions["new_deadline"].astype(str) == extensions["payment_deadline"].astype(str)).all()
    assert (extensions["new_deadline"].astype(str) > extensions["previous_deadline"].astype(str)).all()
    sipenmatu = frame(engine, "SELECT COUNT(*) AS n FROM bills b JOIN applicants a ON a.id = b.applicant_id "
                              "WHERE b.kind = 'sipenmatu'")
    with_token = frame(engine, "SELECT COUNT(*) AS n FROM applicants WHERE token_issued_at IS NOT NULL")
    assert sipenmatu["n"][0] == with_token["n"][0]


def test_demo018_a_few_bills_were_paid_twice_at_the_bank_and_once_in_the_application(campus):
    engine, _ = campus
    twice = frame(engine, """
        SELECT b.id, b.app_paid_amount, b.amount, COUNT(*) AS full_credits
        FROM bills b JOIN bill_vas v ON v.bill_id = b.id
        JOIN bank_transactions t ON t.va_number = v.va_number AND t.direction = 'credit' AND t.amount = b.amount
        GROUP BY b.id, b.app_paid_amount, b.amount HAVING COUNT(*) > 1""")
    assert len(twice) >= 1
    assert (twice["full_credits"] == 2).all()
    assert (twice["app_paid_amount"].astype(float) == twice["amount"].astype(float)).all()


def test_demo016_briva_stalls_on_the_last_working_day_the_statements_cover(campus):
    engine, _ = campus
    day = frame(engine, "SELECT DISTINCT account, value_date, source_format FROM bank_transactions "
                        "WHERE direction = 'credit' AND account = '034601000123301' AND value_date >= '2026-11-18'")
    day["value_date"] = day["value_date"].astype(str)
    formats = day.groupby("value_date")["source_format"].agg(set).to_dict()
    assert formats.pop("2026-11-20") == {"mt940"}
    assert all("briva" in found for found in formats.values()), formats


def test_demo017_the_statements_chain_by_their_balances_but_for_one_gap(campus):
    from queries import bankfeed

    engine, _ = campus
    chain = bankfeed.balance_chain(engine)
    assert set(chain["status"]) == {"first", "continues", "gap"}
    [gap] = chain[chain["status"] == "gap"].itertuples()
    assert (gap.account, gap.difference) == ("0987654321", 2500)


def test_demo019_credits_pay_any_of_a_bills_vas_by_the_feed_of_the_vas_bank(campus):
    """A bill with several VAs is paid through any of them: mostly the first, often another. The credit comes by
    the H2H feed of that VA's bank (BNI eCollection, BRIVA, SNAP for BSI) or a statement line on that bank's
    account; a Bank Mandiri VA, without H2H, only by a statement line on the Mandiri account."""
    from app.demo.bank import ACCOUNT_OF_VA_BANK, ACCOUNTS

    engine, _ = campus
    paid = frame(engine, "SELECT t.source_format, t.account, v.bank, v.position FROM bank_transactions t "
                         "JOIN bill_vas v ON v.va_number = t.va_number WHERE t.direction = 'credit'")
    several = frame(engine, "SELECT t.id FROM bank_transactions t JOIN bill_vas v ON v.va_number = t.va_number "
                            "WHERE t.direction = 'credit' AND EXISTS (SELECT 1 FROM bill_vas o WHERE "
                            "o.bill_id = v.bill_id AND o.position > 0)")
    assert 0.2 < (paid["position"] > 0).sum() / len(several) < 0.6
    assert set(paid["bank"]) == {"bni", "bri", "bsi", "mandiri"}
    feeds = paid.groupby("bank")["source_format"].agg(set).to_dict()
    for bank, feed in {"bni": "bni", "bri": "briva", "bsi": "snap", "mandiri": "mt940"}.items():
        assert feed in feeds[bank] and feeds[bank] <= {feed, "mt940"}, (bank, feeds[bank])
    assert (paid["account"] == paid["bank"].map(ACCOUNT_OF_VA_BANK).map(ACCOUNTS)).all()


def test_demo020_reconciled_with_the_campus_banks_the_credits_match_as_before(campus):
    """With the demo's [banks] (each account's bank) a statement credit pays only a VA of its account's bank; the
    demo's credits all do, so the figures are the ones of any-bank matching: most bills matched, the deliberate
    mismatches and nothing more to check."""
    from app.demo.bank import BANKS
    from pantau.recon import reconcile
    from pantau.settings import Settings

    engine, _ = campus
    run = reconcile(engine, Settings(banks=BANKS), now=NOW, full=True)
    anywhere = reconcile(engine, Settings(), now=NOW, full=True)
    assert (run.bills, run.credits) == (anywhere.bills, anywhere.credits)
    assert run.bills["matched"] / sum(run.bills.values()) > 0.8
    credits = sum(run.credits.values())
    assert run.credits["matched"] / credits > 0.95 and run.credits["no_bill"] / credits < 0.01
    assert frame(engine, "SELECT COUNT(*) AS n FROM bank_transactions WHERE to_check")["n"][0] == 0
