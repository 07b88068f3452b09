"""The state machine: down after N failures, up after M successes, unreachable under a down parent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.monitors.state import MonitorState, Observation, Parent, advance

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def run(outcomes: str, state: MonitorState | None = None, parent: Parent | None = None, down_after: int = 3,
        up_after: int = 2, **seen) -> list:
    """Feed one observation a minute: 'o' ok, 'x' failed, 'm' failed in maintenance."""
    state = state or MonitorState()
    transitions = []
    for minute, outcome in enumerate(outcomes):
        observation = Observation(T0 + timedelta(minutes=minute), outcome == "o",
                                  in_maintenance=outcome == "m", **seen)
        transition = advance(state, observation, down_after=down_after, up_after=up_after, parent=parent)
        transitions.append(transition)
        state = transition.after
    return transitions


def statuses(transitions) -> list[str]:
    return [t.after.status for t in transitions]


def test_st001_new_monitor_is_up_at_its_first_success():
    assert statuses(run("oo")) == ["up", "up"]


def test_st002_down_after_n_failures_counted_from_the_first():
    steps = run("oxxxx")

    assert statuses(steps) == ["up", "up", "up", "down", "down"]
    went_down = steps[3]
    assert went_down.began == "down" and went_down.began_at == T0 + timedelta(minutes=1)
    assert went_down.after.since == T0 + timedelta(minutes=1)


def test_st003_short_failures_never_flap():
    assert statuses(run("oxxoxxo")) == ["up"] * 7


def test_st004_up_after_m_successes_ending_at_the_first_of_them():
    steps = run("xxxoxoo")

    assert statuses(steps) == ["pending", "pending", "down", "down", "down", "down", "up"]
    back = steps[-1]
    assert back.ended == "down" and back.ended_at == T0 + timedelta(minutes=5)
    assert back.after.since == T0 + timedelta(minutes=5)


def test_st005_child_of_a_down_parent_is_unreachable_not_down():
    steps = run("oxxxx", parent=Parent("down", failing=True))

    assert statuses(steps) == ["up", "unreachable", "unreachable", "unreachable", "unreachable"]
    assert steps[1].began == "unreachable"


def test_st006_child_waits_while_its_parent_is_failing_but_not_yet_down():
    assert statuses(run("oxxxx", parent=Parent("up", failing=True))) == ["up"] * 5


def test_st007_unreachable_child_goes_down_when_its_parent_is_back_and_it_still_fails():
    [*_, last] = run("xxxx", parent=Parent("down", failing=True))

    [back] = run("x", state=last.after, parent=Parent("up", failing=False))

    assert back.after.status == "down"
    assert back.ended == "unreachable" and back.began == "down"
    assert back.began_at == back.ended_at == T0


def test_st008_maintenance_overrides_and_ends_an_outage():
    steps = run("xxxmmxo")

    assert statuses(steps) == ["pending", "pending", "down", "maintenance", "maintenance", "pending", "up"]
    assert steps[3].ended == "down"


def test_st009_degraded_while_answering_badly():
    assert statuses(run("oo", degraded=True)) == ["degraded", "degraded"]
