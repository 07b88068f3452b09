"""Blocks of the KTM page: each stage's name and standard time, and the stage chart and table (the median and
P90 time of each stage in the clock of its standard, and their share of it)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pantau import formatting

from .. import context, ids
from ..components import graph
from ..components.empty import empty_state
from ..components.tables import data_table
from ..theme import COLOURS

KEY = "ktm"


def standard_words(step, lang: str) -> str:
    """A stage's standard time in its own unit ("3 hari kerja", "10 menit kerja"; the SOP's own "3 hari" would
    hide that the P90 beside it is counted in working days)."""
    return formatting.standard_time(step.time.value, step.time.unit.value, lang)


def stage_name(steps: list, key: str) -> str:
    """"3. Pembuatan rekening"; a stage no longer in the SOP by its key."""
    step = next((s for s in steps if s.key == key), None)
    return f"{step.number}. {step.name}" if step else key


def stages(times: pd.DataFrame, steps: list, standards: dict[str, str] | None = None):
    """The chart of each stage's median and P90 as a share of its standard, and the table behind it; `standards`
    (by stage key) replaces the standards of `steps` in the table."""
    t, lang = context.t, context.lang()
    standards = standards or {s.key: standard_words(s, lang) for s in steps}
    if times.empty:
        return empty_state(t("No stage has been completed yet."), icon="stopwatch"), None
    rows = times.set_index("step_key")
    order = [s.key for s in steps if s.key in rows.index]
    labels = [stage_name(steps, k) for k in order]
    units, day_s = {s.key: s.time.unit.value for s in steps}, context.settings().calendar.working_day_s

    def used(key: str, field: str, share: bool = False) -> str:
        """Time used in the clock of the stage's standard, with its share of the standard when asked."""
        shown = formatting.time_used(rows.loc[key, field], units.get(key, ""), day_s, lang)
        allowed = rows.loc[key, "allowed_s"]
        return f"{shown} ({formatting.percent(rows.loc[key, field] / allowed, lang, 0)})" if share and allowed \
            else shown

    figure = go.Figure()
    for field, name, colour in (("median_s", t("Median"), COLOURS["primary"]), ("p90_s", "P90", COLOURS["warn"])):
        shares = [rows.loc[k, field] / rows.loc[k, "allowed_s"] if rows.loc[k, "allowed_s"] else None for k in order]
        hover = [f"{label}<br>{name}: {used(k, field)} "
                 f"({formatting.percent(share, lang, 0)} {t('of the standard')})"
                 for label, k, share in zip(labels, order, shares)]
        figure.add_trace(go.Bar(y=labels, x=shares, orientation="h", name=name, marker_color=colour,
                                hovertext=hover, hoverinfo="text"))
    figure.add_vline(x=1, line_dash="dash", line_color=COLOURS["bad"],
                     annotation_text=t("Standard time"), annotation_position="top")
    figure.update_layout(title=t("Median and P90 time as a share of the standard"), barmode="group", height=340,
                         margin={"l": 8, "r": 8, "t": 48, "b": 8}, legend=graph.LEGEND_BELOW,
                         separators=graph.separators(lang))
    figure.update_xaxes(title_text=t("Share of the standard time (%)"), tickformat=".0%", nticks=5, automargin=True)
    figure.update_yaxes(autorange="reversed", automargin=True)
    table = pd.DataFrame([{
        "stage": stage_name(steps, k), "standard": standards.get(k, "–"),
        "completed": formatting.number(int(rows.loc[k, "completed"]), lang),
        "within": formatting.percent(rows.loc[k, "met"] / rows.loc[k, "measured"] if rows.loc[k, "measured"] else None,
                                     lang),
        "median": used(k, "median_s", True), "p90": used(k, "p90_s", True),
        "breached": formatting.number(int(rows.loc[k, "breached"]), lang),
    } for k in order])
    return graph.graph(figure), data_table(ids.make(KEY, "stage-table"), table, {
        "stage": t("Stage"), "standard": t("Standard time"), "completed": t("Completed"),
        "within": t("Within standard"), "median": t("Median"), "p90": "P90", "breached": t("Breached")},
        page_size=10)
