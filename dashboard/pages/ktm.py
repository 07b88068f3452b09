"""KTM: where is each intake's electronic student card? The students through the KTM SOP's stages, the time
each stage takes against its standard, the NIM ↔ photo check, batches sent to the bank, cards distributed,
and the students waiting longest.

Directors and administrators see every intake; operators only when their unit is assigned the KTM SOP
(checked here, in the layout and in the callback). Figures come from the `ktm-pipeline` counts.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from pantau import formatting
from pantau.ktm import STORE_LIST
from pantau.models import utcnow
from pantau.sla.context import sla_context
from queries import ktm as queries

from .. import access, context, ids
from ..components import freshness, graph
from ..components.empty import empty_state
from ..components.kpi import kpi_card
from ..components.sop_version import short, version_line
from ..components.status import badge, grade, label
from ..components.tables import data_table
from ..theme import COLOURS
from .ktm_blocks import stage_name, stages, standard_words

KEY = "ktm"
SOP = "KTM"
INTAKE = ids.make(KEY, "intake")
BATCH = ids.make(KEY, "batch")
SUMMARY = ids.make(KEY, "summary")
FUNNEL = ids.make(KEY, "funnel")
STAGES = ids.make(KEY, "stages")
STAGE_CHART = ids.make(KEY, "stage-chart")
BATCHES = ids.make(KEY, "batches")
PHOTOS = ids.make(KEY, "photos")
STUCK = ids.make(KEY, "stuck")
VERSION = ids.make(KEY, "version")
ALL = 0
PROBLEMS = {"missing": "No photo", "extra": "Photo of a NIM not on the list", "bad_name": "File name is not a NIM",
            "not_image": "Not a JPEG or PNG", "unreadable": "Cannot be read", "duplicate": "Several files for one NIM"}


def _steps() -> list:
    sop = sla_context(context.settings(), context.engine()).catalogue.get(SOP)
    return list(sop.steps) if sop else []


def _standards(used: list[int | None]) -> dict[str, str]:
    """Each stage's standard time in words, in its own unit ("3 hari kerja"); where the cases shown started on
    versions with other standards, each version's standard with the version ("10 menit kerja (v2) · 5 menit
    kerja (bawaan)")."""
    ctx, lang = sla_context(context.settings(), context.engine()), context.lang()
    current = ctx.current.get(SOP)
    order = [current] + sorted({v for v in used if v != current}, key=lambda v: -1 if v is None else v)
    words: dict[str, dict[str, list[str]]] = {}
    for version in order:
        sop = ctx.definition(SOP, version)
        for step in sop.steps if sop else ():
            said = standard_words(step, lang)
            words.setdefault(step.key, {}).setdefault(said, []).append(short(version))
    return {key: next(iter(by)) if len(by) == 1 else " · ".join(f"{w} ({', '.join(v)})" for w, v in by.items())
            for key, by in words.items()}


def _card(title: str, body) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h6 mb-2"), body]), className="mb-3")


def layout(intake: str | None = None, batch: str | None = None, **_query) -> html.Div:
    """The page; ``?intake=<year>&batch=<n>`` preselect the pickers."""
    t = context.t
    heading = html.Div([html.H1(t("Student ID cards (KTM)"), className="page-title mb-0"),
                        freshness.subject_line("ktm")])
    years = queries.intakes(context.engine())
    if not years:
        return html.Div([heading, empty_state(
            t("No KTM data yet."),
            t("KTM steps arrive through `pantau import events` or a source database; the ktm-pipeline collector "
              "counts them every few minutes."), icon="person-vcard")])
    chosen = int(intake) if intake and intake.isdigit() and int(intake) in years else years[0]
    numbers = queries.batch_numbers(context.engine(), chosen)
    picked = int(batch) if batch and batch.isdigit() and int(batch) in numbers else ALL
    controls = html.Div([
        dcc.Dropdown(id=INTAKE, clearable=False, value=chosen, style={"minWidth": "10rem"},
                     options=[{"label": t("Intake {year}", year=year), "value": year} for year in years]),
        dcc.Dropdown(id=BATCH, clearable=False, value=picked, style={"minWidth": "10rem"},
                     options=_batch_options(numbers)),
    ], className="d-flex flex-wrap gap-2")
    return html.Div([
        html.Div([heading, controls],
                 className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3"),
        dcc.Loading(html.Div(id=SUMMARY), delay_show=400),
        dbc.Row([
            dbc.Col(_card(t("Students through the stages"), html.Div(id=FUNNEL)), lg=6),
            dbc.Col(_card(t("Time in each stage against the standard"), html.Div(id=STAGE_CHART)), lg=6),
        ]),
        _card(t("Stages and their standard times"), html.Div([html.Div(id=VERSION, className="mb-2"),
                                                              html.Div(id=STAGES)])),
        _card(t("Batches sent to the bank and cards distributed"), html.Div(id=BATCHES)),
        _card(t("NIM and photo check"), html.Div(id=PHOTOS)),
        _card(t("Students waiting longest"), html.Div(id=STUCK)),
    ])


def _batch_options(numbers: list[int]) -> list[dict]:
    t = context.t
    return [{"label": t("All batches"), "value": ALL}] + [{"label": t("Batch {n}", n=n), "value": n} for n in numbers]


@dash.callback(Output(BATCH, "options"), Input(INTAKE, "value"), prevent_initial_call=True)
def _batches_of(intake):
    return _batch_options(queries.batch_numbers(context.engine(), int(intake)))


@dash.callback(
    Output(SUMMARY, "children"), Output(FUNNEL, "children"), Output(STAGE_CHART, "children"),
    Output(STAGES, "children"),
    Output(BATCHES, "children"),
    Output(PHOTOS, "children"), Output(STUCK, "children"),
    Input(INTAKE, "value"), Input(BATCH, "value"),
)
def _refresh(intake, batch):
    engine, now = context.engine(), utcnow()
    intake, batch = int(intake), (None if not batch else int(batch))
    steps = _steps()
    funnel = queries.funnel(engine, intake, batch)
    done = queries.completion(engine, intake)
    photo = queries.photo_check(engine, intake)
    ages = freshness.feeds("ktm", "ktm-photos", now=now)
    aged = lambda body, feed="ktm": freshness.aged(body, ages[feed], now)  # noqa: E731
    chart, table = stages(queries.stage_times(engine, intake, batch), steps,
                          _standards(queries.versions_used(engine, intake, batch)))
    return (_summary(intake, batch, done, funnel, photo, ages), aged(_funnel(intake, batch, done, funnel, steps)),
            aged(chart), aged(table), aged(_batch_table(queries.batches(engine, intake))),
            aged(_photos(photo), "ktm-photos"), aged(_stuck(queries.stuck(engine, intake, now, batch), steps, now)))


@dash.callback(Output(VERSION, "children"), Input(INTAKE, "value"), Input(BATCH, "value"))
def _version(intake, batch):
    """The SOP version new cases follow, and those the intake's (batch's) older cases keep."""
    engine = context.engine()
    used = queries.versions_used(engine, int(intake), None if not batch else int(batch))
    return version_line(sla_context(context.settings(), engine), SOP, used)


def _summary(intake: int, batch: int | None, done: queries.Completion, funnel: pd.DataFrame, photo: dict | None,
             ages: dict) -> dbc.Row:
    """Completion and the photo check count the whole intake; the stage counts follow the chosen batch too, and
    each card's scope line says which."""
    t, lang = context.t, context.lang()
    whole = t("intake {year}", year=intake)
    chosen = whole if batch is None else t("intake {year}, batch {batch}", year=intake, batch=batch)
    threshold = context.settings().thresholds["ktm_done"]
    earlier = next((c for c in queries.completions(context.engine(), 12) if c.intake < intake and c.students), None)
    change = (t("{change} points against intake {year}", year=earlier.intake,
                change=_points(done.share - earlier.share)) if earlier and done.share is not None else None)
    waiting = int(funnel["open"].sum()) if not funnel.empty else 0
    late = int(funnel["open_breached"].sum()) if not funnel.empty else 0
    blocked = photo["blocked_batches"] if photo else []
    problems = photo["missing"] + photo["extra"] + photo["mismatched"] if photo else 0  # every row the list shows
    cards = [
        kpi_card(t("KTM completed"), formatting.percent(done.share, lang),
                 grade(done.share, threshold.good, threshold.warn, threshold.higher_is_better), change=change,
                 note=t("{done} of {students} students of intake {year} have their card",
                        done=formatting.number(done.distributed, lang), students=formatting.number(done.students, lang),
                        year=intake), card_id=ids.make(KEY, "kpi-done"), fresh=ages["ktm"], scope=whole),
        kpi_card(t("Students in a stage"), formatting.number(waiting, lang), "info",
                 note=t("Their card is on its way"), fresh=ages["ktm"], scope=chosen),
        kpi_card(t("Past the standard time"), formatting.number(late, lang), "bad" if late else "good",
                 note=t("Students whose current stage is overdue"), fresh=ages["ktm"], scope=chosen),
        kpi_card(t("Photo check"), formatting.number(problems, lang) if photo else "–",
                 "none" if photo is None else ("bad" if blocked else ("warn" if problems else "good")),
                 note=_photo_note(photo, problems, blocked), fresh=ages["ktm-photos"], scope=whole),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards])


def _photo_note(photo, problems: int, blocked: list) -> str:
    """What the photo check found, in words: nothing to do, problems without a held batch, or the held batches."""
    t = context.t
    if photo is None:
        return t("Not checked yet")
    if blocked:
        return t("Problems in the photo folder; batches held back: {batches}", batches=", ".join(map(str, blocked)))
    return t("Problems in the photo folder; no batch held back") if problems else t("Every photo is in order")


def _points(change: float) -> str:
    return formatting.change(change * 100, context.lang(), 1)


def _funnel(intake: int, batch: int | None, done: queries.Completion, funnel: pd.DataFrame, steps: list):
    t, lang = context.t, context.lang()
    if funnel.empty:
        return empty_state(t("No student of this batch has started yet."), icon="funnel")
    counts = funnel.set_index("step_key")
    order = [s.key for s in steps if s.key in counts.index] + [k for k in counts.index
                                                               if k not in {s.key for s in steps}]
    top = done.students if batch is None else int(counts["reached"].max())
    labels = [t("Students of the intake") if batch is None else t("Students of the batch")] + [stage_name(steps, k)
                                                                                               for k in order]
    values = [top] + [int(counts.loc[k, "completed"]) for k in order]
    hover = [t("{count} students", count=formatting.number(top, lang))] + [
        t("{done} completed, {open} in this stage ({late} past the standard)",
          done=formatting.number(int(counts.loc[k, "completed"]), lang),
          open=formatting.number(int(counts.loc[k, "open"]), lang),
          late=formatting.number(int(counts.loc[k, "open_breached"]), lang)) for k in order]
    figure = go.Figure(go.Funnel(y=labels, x=values, textinfo="value+percent initial", hovertext=hover,
                                 hoverinfo="text", marker={"color": COLOURS["primary"]}))
    title = (t("Students who completed each stage, intake {year}", year=intake) if batch is None else
             t("Students who completed each stage, intake {year} batch {batch}", year=intake, batch=batch))
    figure.update_layout(title=title, height=340, margin={"l": 8, "r": 8, "t": 48, "b": 16},
                         separators=graph.separators(lang))
    figure.update_yaxes(automargin=True)
    return graph.graph(figure)


def _batch_table(frame: pd.DataFrame):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No batches yet."), icon="collection")
    shown = pd.DataFrame({
        "batch": frame["batch"].astype(str), "students": [formatting.number(v, lang) for v in frame["students"]],
        "opened": [formatting.day(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–" for v in frame["opened_at"]],
        "sent": [(f"{formatting.day(v.to_pydatetime(), lang, tz)} ({formatting.number(n, lang)})" if pd.notna(v) else
                  t("Not yet")) for v, n in zip(frame["sent_at"], frame["sent"])],
        "made": [formatting.number(v, lang) for v in frame["cards_made"]],
        "distributed": [f"{formatting.number(d, lang)} ({formatting.percent(d / s if s else None, lang, 0)})"
                        for d, s in zip(frame["distributed"], frame["students"])],
    })
    return data_table(ids.make(KEY, "batch-table"), shown, {
        "batch": t("Batch"), "students": t("Students"), "opened": t("Started"), "sent": t("Sent to the bank"),
        "made": t("Cards made"), "distributed": t("Cards distributed")}, page_size=12)


def _photos(photo: dict | None):
    t, lang, tz = context.t, context.lang(), context.tz()
    if photo is None:
        return empty_state(t("The photos of this intake have not been checked yet."),
                           t("Set [ktm] photo_dir in the configuration; the ktm-photos collector compares the folder "
                             "with the NIM list."), icon="images")
    source = (t("the students of intake {year}", year=photo["intake"]) if photo["nim_source"] == STORE_LIST
              else photo["nim_source"])
    counts = html.P(t("Checked {when} against {source}: {students} students, {photos} files; {missing} missing, "
                      "{extra} extra, {mismatched} mismatched.", when=formatting.moment(photo["checked_at"], lang, tz),
                      source=source, students=formatting.number(photo["students"], lang),
                      photos=formatting.number(photo["photos"], lang),
                      missing=formatting.number(photo["missing"], lang),
                      extra=formatting.number(photo["extra"], lang),
                      mismatched=formatting.number(photo["mismatched"], lang)), className="small")
    blocked = (dbc.Alert([html.I(className="bi bi-exclamation-triangle-fill me-2"),
                          t("Batches held back by missing photos: {batches}",
                            batches=", ".join(map(str, photo["blocked_batches"])))],
                         color="warning", className="py-2") if photo["blocked_batches"] else None)
    if not photo["issues"]:
        return html.Div([counts, badge("good"), " ", t("Every student has one usable photo.")])
    issues = pd.DataFrame(photo["issues"][:500]).reindex(columns=["problem", "nim", "file"])
    issues["problem"] = [t(PROBLEMS.get(p, p)) for p in issues["problem"]]
    issues = issues.fillna("–")
    return html.Div([counts, blocked, data_table(ids.make(KEY, "photo-table"), issues, {
        "problem": t("Problem"), "nim": "NIM", "file": t("File")}, page_size=10)])


def _stuck(frame: pd.DataFrame, steps: list, now):
    t, lang, tz = context.t, context.lang(), context.tz()
    if frame.empty:
        return empty_state(t("No student is waiting in a stage."), icon="check2-circle")
    shown = pd.DataFrame({
        "nim": frame["nim"], "student": frame["subject"].fillna(""),
        "batch": frame["batch"].astype("Int64").astype(str),
        "stage": [stage_name(steps, k) for k in frame["step_key"]],
        "since": [formatting.moment(v.to_pydatetime(), lang, tz) for v in frame["started_at"]],
        "waiting": [formatting.duration(now - v.to_pydatetime(), lang) for v in frame["started_at"]],
        "status": [label(s if s != "open" else "in_progress") for s in frame["state"]],
        "sop": [short(None if pd.isna(v) else int(v)) for v in frame["sop_version"]],
        "due": [formatting.moment(v.to_pydatetime(), lang, tz) if pd.notna(v) else "–" for v in frame["due_at"]],
    })
    return data_table(ids.make(KEY, "stuck-table"), shown, {
        "nim": "NIM", "student": t("Student"), "batch": t("Batch"), "stage": t("Stage"),
        "since": t("In this stage since"),
        "waiting": t("Waiting"), "status": t("Status"), "sop": t("SOP version"), "due": t("Due")}, page_size=10)


access.register_page(
    __name__,
    key=KEY,
    path="/ktm",
    title="Student ID cards (KTM)",
    group="Services & SOPs",
    icon="person-vcard",
    roles=("direktur", "admin", "operator"),
    order=50,
    layout=layout,
    sops=(SOP,),
)
