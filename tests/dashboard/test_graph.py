"""The chart helpers' axis formats: whole counts with the reader's thousands mark, whole steps when few."""

from __future__ import annotations

from dashboard.components import graph


def test_graph001_count_axes_print_whole_numbers_with_thousands_marks():
    assert graph.count_ticks(12_500) == graph.COUNT_TICKS == {"tickformat": ",d"}
    assert graph.count_ticks() == graph.COUNT_TICKS
    assert (graph.separators("id"), graph.separators("en")) == (",.", ".,")


def test_graph002_a_few_counts_step_by_one_not_by_halves_printed_twice():
    assert graph.count_ticks(4) == {"tickformat": ",d", "tick0": 0, "dtick": 1}
    assert graph.count_ticks(0) == {"tickformat": ",d", "tick0": 0, "dtick": 1}
    assert "dtick" not in graph.count_ticks(graph.FEW)
