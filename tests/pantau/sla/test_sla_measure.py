"""One step against its standard: due time, the at-risk moment, time used in the step's clock, state."""

from __future__ import annotations

from sla_helpers import wib

from pantau.sla.measure import measure
from pantau.sla.timeline import StepSpan
from pantau.workcalendar import WorkingCalendar


def span(ctx, sop, key, started, completed=None):
    return StepSpan(ctx.catalogue[sop].step(key), started, completed, None, None)


def test_ms001_open_step_keeps_due_and_risk_moments_and_no_elapsed_time(ctx):
    measured = measure(span(ctx, "KTM", "distribusi", wib(2026, 4, 6, 13, 29)), ctx.calendar, 0.8)
    assert (measured.state, measured.elapsed_s, measured.month) == ("open", None, None)
    assert measured.due_at == wib(2026, 4, 9, 13, 29)
    # Three working days from Monday 13:29 hold 3 × 7.5 h = 1,350 working minutes; 80 % is 1,080
    # minutes: Monday's 151 (13:29–16:00) + Tuesday's 450 + Wednesday's 450 = 1,051, plus 29 on Thursday.
    assert measured.risk_at == wib(2026, 4, 9, 7, 59)
    assert measured.allowed_s == 1350 * 60


def test_ms002_calendar_clock_risk_is_a_share_of_wall_time(ctx):
    measured = measure(span(ctx, "KSO", "publikasi", wib(2026, 4, 1, 9, 0)), ctx.calendar, 0.8)
    assert measured.due_at == wib(2026, 5, 1, 9, 0)
    assert measured.risk_at == wib(2026, 4, 25, 9, 0), "24 of 30 days"


def test_ms003_outside_party_open_step_is_waiting(ctx):
    measured = measure(span(ctx, "KSO", "verifikasi_skp", wib(2026, 4, 1, 9, 0)), ctx.calendar, 0.8)
    assert measured.state == "waiting"


def test_ms004_step_without_standard_is_done_on_the_wall_clock(ctx):
    measured = measure(span(ctx, "KSO", "pelaksanaan_kegiatan", wib(2026, 4, 1, 9), wib(2026, 4, 3, 9)), ctx.calendar,
                       0.8)
    assert (measured.due_at, measured.state, measured.elapsed_s, measured.month) == (None, "done", 2 * 86400, "2026-04")


def test_ms005_completion_month_is_local_not_utc(ctx):
    # 1 May 2026 06:30 WIB is still 30 April in UTC.
    measured = measure(span(ctx, "H2H", "pengecekan_pembayaran", wib(2026, 4, 30, 20, 0), wib(2026, 5, 1, 6, 30)),
                       ctx.calendar, 0.8)
    assert (measured.month, measured.state) == ("2026-05", "met")


def test_ms006_at_risk_share_is_configurable(ctx):
    measured = measure(span(ctx, "WS", "konfirmasi_akun", wib(2026, 4, 6, 9, 0)), ctx.calendar, 0.5)
    assert measured.risk_at == wib(2026, 4, 6, 9, 2), "half of 5 working minutes, in whole minutes"


def test_ms007_wita_campus_measures_in_its_own_zone(ctx):
    wita = WorkingCalendar("Asia/Makassar")
    # 16:15 WIB is 17:15 WITA, after a WITA campus closes: 10 working minutes run from Monday 07:30 WITA.
    measured = measure(span(ctx, "KTM", "sosialisasi", wib(2026, 4, 3, 16, 15)), wita, 0.8)
    assert measured.due_at.isoformat() == "2026-04-06T07:40:00+08:00"
