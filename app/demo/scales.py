"""How big each demo campus is: small for tests, medium for `make run`, large for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ScaleName = Literal["small", "medium", "large"]


@dataclass(frozen=True)
class Scale:
    """The counts one scale of demo campus is generated with.

    Students are `students_per_cohort` per study programme and intake on average (12 programmes,
    4 intakes); bills follow from them (one per student and semester) and from the applicants of
    two admission cycles. KTM cases follow from the newest intake.
    """

    name: str
    students_per_cohort: int
    applicants_per_cycle: int
    monitors: int
    history_days: int
    probe_interval_s: int
    host_metric_days: int
    kso_cases: int
    akun_cases: int
    ws_cases: int
    h2h_problem_cases: int
    legacy_digital_accounts: int


SCALES: dict[str, Scale] = {
    "small": Scale(
        name="small",
        students_per_cohort=6,
        applicants_per_cycle=600,
        monitors=4,
        history_days=30,
        probe_interval_s=60,
        host_metric_days=7,
        kso_cases=12,
        akun_cases=40,
        ws_cases=30,
        h2h_problem_cases=10,
        legacy_digital_accounts=10,
    ),
    "medium": Scale(
        name="medium",
        students_per_cohort=62,
        applicants_per_cycle=10_500,
        monitors=5,
        history_days=365,
        probe_interval_s=60,
        host_metric_days=7,
        kso_cases=140,
        akun_cases=800,
        ws_cases=260,
        h2h_problem_cases=60,
        legacy_digital_accounts=40,
    ),
    "large": Scale(
        name="large",
        students_per_cohort=4_930,
        applicants_per_cycle=125_000,
        monitors=10,
        history_days=365,
        probe_interval_s=30,
        host_metric_days=7,
        kso_cases=4_000,
        akun_cases=30_000,
        ws_cases=10_000,
        h2h_problem_cases=3_000,
        legacy_digital_accounts=200,
    ),
}


def get_scale(name: str) -> Scale:
    """The scale called `name`; ValueError naming the known scales otherwise."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown demo scale {name!r}; choose one of {', '.join(SCALES)}") from None
