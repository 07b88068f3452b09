"""queries.overview on both stores: each KPI read through its subject's queries, with the previous period,
a trend and a status from the thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sop_rows import NOW, Step, add_case, wib

from collectors.ktm_pipeline import refresh
from collectors.monitors.rollups import record_samples
from pantau.db import session_scope
from pantau.models import AdmissionWave, Applicant, Monitor, Prodi, ReconCase, Student, TokenMovement
from pantau.models.billing import BillRollup
from pantau.models.workflow import SlaMonthly
from pantau.settings import KpiThreshold, Settings
from queries import monthly_report as monthly
from queries.overview import grade, kso_kpi, ktm_kpi, overview, payment_kpis, server_kpis, sla_kpis, token_kpis

SETTINGS = Settings()


def _monthly(sop: str, step: str, month: str, measured: int, met: int, outside: bool = False) -> SlaMonthly:
    return SlaMonthly(sop_code=sop, step_key=step, month=month, outside_party=outside,
                      completed=measured, measured=measured, met=met, breached=measured - met, elapsed_s=0)


@pytest.fixture
def compliance(store):
    with session_scope(store) as session:
        session.add_all([
            _monthly("KTM", "pendaftaran", "2026-03", 4, 2), _monthly("KTM", "pendaftaran", "2026-10", 10, 9),
            _monthly("KTM", "distribusi", "2026-11", 10, 10), _monthly("KSO", "verifikasi_skp", "2026-10", 5, 0, True),
            _monthly("KSO", "permohonan", "2026-10", 4, 3), _monthly("WS", "buat_akun", "2026-04", 8, 8),
            _monthly("WS", "surat_permohonan", "2026-04", 2, 0),
        ])
    return store


def test_ov001_sla_compliance_per_sop_over_the_half_year_so_far(compliance):
    kpis = {k.key: k for k in sla_kpis(compliance, SETTINGS, NOW)}
    ktm = kpis["sla:KTM"]
    assert (ktm.value, ktm.previous, ktm.grade) == (0.95, 0.5, "good")
    assert ktm.trend == (0.5, 0.9, 1.0) and (ktm.page, ktm.query) == ("sla",
                                                                      "?sop=KTM") and ktm.words["half"] == "2026-H2"
    assert (kpis["sla:KSO"].value, kpis["sla:KSO"].grade) == (0.75, "warn")
    assert (kpis["sla:WS"].value, kpis["sla:WS"].previous, kpis["sla:WS"].grade) == (None, 0.8, "none")


def test_ov002_sla_cards_follow_the_users_steps(compliance):
    kpis = {k.key: k for k in sla_kpis(compliance, SETTINGS, NOW, scope={"WS": frozenset({"buat_akun"})})}
    assert list(kpis) == ["sla:WS"] and kpis["sla:WS"].previous == 1.0


def test_ov003_ktm_completion_of_the_newest_intake_against_the_one_before(store):
    with session_scope(store) as session:
        session.add(Prodi(id=1, code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan"))
        session.flush()
        session.add_all(Student(nim=f"N{n}", name=f"M{n}", prodi_id=1, angkatan=2026) for n in range(4))
        session.add(Student(nim="L1", name="Lama", prodi_id=1, angkatan=2025))
        for nim, intake, done in (("N0", 2026, wib(2026, 9, 10)), ("N1", 2026, wib(2026, 10, 2)), ("N2", 2026, None),
                                  ("L1", 2025, wib(2025, 9, 5))):
            start = wib(intake, 9, 1, 9)
            add_case(session, "KTM", nim, start, [Step("distribusi", 5, start, done, start + timedelta(days=40))],
                     attrs={"intake": intake, "batch": 1, "nim": nim})
    refresh(store, now=NOW)

    kpi = ktm_kpi(store, SETTINGS, NOW)

    assert (kpi.value, kpi.previous, kpi.grade, kpi.page, kpi.query) == (0.5, 1.0, "bad", "ktm", "?intake=2026")
    assert kpi.trend == (0.25, 0.5)
    assert kpi.words == {"intake": 2026, "previous_intake": 2025, "distributed": 2, "students": 4}
    september = ktm_kpi(store, SETTINGS, wib(2026, 9, 30, 23))
    assert (september.value, september.trend, september.words["distributed"]) == (0.25, (0.25,), 1)
    assert ktm_kpi(store, SETTINGS, wib(2026, 8, 31, 23)).words["intake"] == 2025


def test_ov004_kso_waiting_on_the_kolegium_now_a_month_ago_and_at_month_ends(store):
    with session_scope(store) as session:
        for ref, start, done in (("A", wib(2026, 11, 1, 8), None), ("B", wib(2026, 9, 1, 8), wib(2026, 10, 25, 8))):
            add_case(session, "KSO", ref, start, [Step("verifikasi_skp", 4, start, done, start + timedelta(days=30),
                                                       outside=True)])

    kpi = kso_kpi(store, SETTINGS, NOW)

    assert (kpi.value, kpi.previous, kpi.grade, kpi.kind) == (1, 1, "info", "count")
    assert kpi.trend == (0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0)
    limited = Settings(thresholds={"kso_waiting": KpiThreshold(good=0, warn=2, higher_is_better=False)})
    assert kso_kpi(store, limited, NOW).grade == "warn"


def test_ov005_availability_of_payment_and_h2h_servers_from_rollups(store):
    with session_scope(store) as session:
        payment = Monitor(name="server-bayar", role="payment-server", check="tcp", target="10.0.0.2:443", status="up")
        router = Monitor(name="router", role="router", check="icmp", target="10.0.0.1", status="up")
        session.add_all([payment, router])
        session.flush()
        record_samples(session, [{"monitor_id": monitor.id, "checked_at": NOW - timedelta(minutes=minute),
                                  "ok": minute > 12 or monitor is router, "in_maintenance": False, "latency_ms": 5.0,
                                  "latency_min_ms": 4.0, "latency_max_ms": 6.0, "loss": 0.0, "jitter_ms": None,
                                  "status_code": None, "cert_days_left": None, "message": None}
                                  for minute in range(120, 0, -1) for monitor in (payment, router)])

    [kpi] = server_kpis(store, SETTINGS, NOW)

    assert kpi.key == "availability:server-bayar" and kpi.words == {"server": "server-bayar"}
    assert kpi.value == pytest.approx(108 / 120) and kpi.previous is None and kpi.grade == "bad"
    assert (kpi.page, kpi.query) == ("server", f"?monitor={payment.id}&range=30d") and len(kpi.trend) >= 1


def _rollup(semester: str, due: date, paid_on: date | None, bills: int, amount: int) -> BillRollup:
    paid = Decimal(amount if paid_on else 0)
    return BillRollup(semester=semester, kind="herregistrasi", prodi_id=None, angkatan=2025, due_date=due,
                      paid_on=paid_on, app_state="paid" if paid_on else "unpaid", recon_state="matched" if paid_on
                      else "unpaid", bills=bills, billed=Decimal(amount), paid=paid, received=paid)


def test_ov008_collection_rate_outstanding_and_overdue_cases(store):
    with session_scope(store) as session:
        session.add_all([
            _rollup("20261", date(2026, 9, 1), date(2026, 8, 20), 8, 8_000_000),
            _rollup("20261", date(2026, 9, 1), None, 2, 2_000_000),
            _rollup("20252", date(2026, 3, 1), date(2026, 2, 20), 9, 9_000_000),
            _rollup("20252", date(2026, 3, 1), None, 1, 1_000_000),
            _rollup("20262", date(2027, 2, 1), None, 5, 5_000_000),
        ])
        session.add_all(ReconCase(case_key=f"c{n}", kind="paid_no_bill", due_at=NOW + timedelta(hours=hours),
                                  status=status) for n, (hours, status) in
                        enumerate([(-30, "open"), (-2, "open"), (5, "open"), (-40, "resolved")]))

    kpis = {k.key: k for k in payment_kpis(store, SETTINGS, NOW)}

    rate = kpis["collection_rate"]
    assert (rate.value, rate.previous, rate.grade, rate.trend) == (0.8, 0.9, "warn", (0.9, 0.8))
    assert (rate.page, rate.query, rate.words["semester"], rate.words["previous_semester"]) == \
        ("payments", "?semester=20261", "20261", "20252")
    assert (rate.words["paid_bills"], rate.words["bills"], rate.words["count_share"]) == (8, 10, 0.8)
    owed = kpis["outstanding"]
    assert (owed.value, owed.previous, owed.kind, owed.grade, owed.words) == \
        (Decimal("3000000.00"), Decimal("3000000.00"), "rupiah", "info", {"owing": 3})
    assert owed.query == "?semester=all"
    late = kpis["recon_overdue"]
    assert (late.value, late.grade, late.previous, late.previous_label) == (2, "warn", 0, "a week ago")
    assert len(late.trend) == 15 and late.trend[-1] == 2.0 and late.trend[-2] == 1.0 and late.trend[0] == 0.0


def test_ov014_collection_rate_is_this_semesters_even_when_next_years_admissions_are_due(store):
    with session_scope(store) as session:
        session.add_all([_rollup("20271", NOW.date() - timedelta(days=3), None, 50, 50_000_000),
                         _rollup("20261", date(2026, 9, 1), date(2026, 8, 20), 8, 8_000_000),
                         _rollup("20252", date(2026, 3, 1), date(2026, 2, 20), 9, 9_000_000)])

    rate = next(k for k in payment_kpis(store, SETTINGS, NOW) if k.key == "collection_rate")

    assert (rate.words["semester"], rate.words["previous_semester"], rate.query) == ("20261", "20252",
                                                                                     "?semester=20261")
    assert monthly.title_text(rate, "id") == "Tingkat pelunasan, semester 2026/2027 ganjil"
    assert monthly.change_text(rate, "en") == "0.0 points against semester 2025/2026 even"


def test_ov009_token_days_left_per_open_wave(store):
    with session_scope(store) as session:
        open_wave = AdmissionWave(code="G2", name="Gelombang 2", year=2026, opens_on=date(2026, 11, 1),
                                  closes_on=date(2026, 11, 30), payment_deadline=date(2026, 12, 5))
        closed = AdmissionWave(code="G1", name="Gelombang 1", year=2026, opens_on=date(2026, 10, 1),
                               closes_on=date(2026, 10, 31), payment_deadline=date(2026, 11, 5))
        session.add_all([open_wave, closed])
        session.flush()
        session.add(TokenMovement(wave_id=open_wave.id, channel="online", kind="initial", quantity=300,
                                  occurred_at=wib(2026, 11, 1, 8), recorded_by="bendahara"))
        for day in range(6, 20):
            session.add(TokenMovement(wave_id=open_wave.id, channel="online", kind="issued", quantity=10,
                                      occurred_at=wib(2026, 11, day, 12), recorded_by="sync"))
            session.add_all(Applicant(reg_no=f"R{day}-{n}", name="Calon", wave_id=open_wave.id, channel="online",
                                      arrived_at=wib(2026, 11, day, 9, n)) for n in range(10))

    [kpi] = token_kpis(store, SETTINGS, NOW)

    assert (kpi.key, kpi.value, kpi.grade, kpi.kind, kpi.page) == ("tokens:G2", 16.0, "good", "days", "tokens")
    assert kpi.words == {"wave": "Gelombang 2", "stock": 160, "channel": "online", "low": 16.0, "high": 16.0}
    assert kpi.trend[-1] == 160.0 and len(kpi.trend) == 14


def test_ov006_groups_pick_the_cards_and_unknown_groups_are_refused(compliance):
    assert {k.group for k in overview(compliance, SETTINGS, NOW, ["sla"])} == {"sla"}
    assert [k.key for k in overview(compliance, SETTINGS, NOW, ["kso"])] == ["kso_waiting"]
    with pytest.raises(ValueError, match="unknown KPI group gaji"):
        overview(compliance, SETTINGS, NOW, ["gaji"])


def test_ov007_grade_reads_the_threshold_in_its_direction():
    share = KpiThreshold(good=0.9, warn=0.75)
    fewer = KpiThreshold(good=0, warn=5, higher_is_better=False)
    assert [grade(v, share) for v in (0.95, 0.8, 0.5, None)] == ["good", "warn", "bad", "none"]
    assert [grade(v, fewer) for v in (0, 3, 9)] == ["good", "warn", "bad"]
    assert grade(3, None) == "info"
