"""Text from users and source systems (step names, case references, host or payer names) is shown in charts as
written: Plotly's HTML subset (`<a href>`, `<span style>`, `<b>`) never comes alive in a title, a hover, a tick
label or an annotation."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import graph
from pantau.api_tokens import issue_token
from pantau.db import session_scope

LINK = '<a href="http://x">klik</a>'


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return []


def test_fig001_markup_in_any_text_of_a_figure_is_shown_as_text(web):
    figure = go.Figure(go.Bar(x=[LINK, "B"], y=[1, 2], hovertext=[f"{LINK}<br>2 jam", "<b>tebal</b>"],
                              name='<span style="font-size:90px">besar</span>',
                              hovertemplate="%{x}: %{y}<extra></extra>"))
    figure.update_layout(title=f"Kasus {LINK}: tahap", annotations=[{"text": LINK, "x": 0, "y": 1}],
                         yaxis={"tickmode": "array", "tickvals": [1], "ticktext": [LINK]})
    with web.app.server.test_request_context("/"):
        shown = graph.graph(figure).figure
    texts = [text for text in _texts({"data": shown["data"], "layout": {k: v for k, v in shown["layout"].items()
                                                                        if k != "template"}})]
    markup = [text for text in texts if "<a" in text or "<span" in text or "<b>" in text]
    assert markup == []
    assert "Kasus &lt;a href=\"http://x\">klik&lt;/a>: tahap" in texts
    assert "&lt;a href=\"http://x\">klik&lt;/a><br>2 jam" in texts, "our own line breaks stay"
    assert "%{x}: %{y}<extra></extra>" in texts, "and so does hover's <extra>"


def test_fig002_plain_keeps_text_and_numbers():
    assert graph.plain("Rp 1.500.000 < Rp 2.000.000") == "Rp 1.500.000 &lt; Rp 2.000.000"
    assert graph.plain("Baris<br>dua<BR/>tiga") == "Baris<br>dua<BR/>tiga"
    shown = graph.safe_figure({"data": [{"type": "scatter", "y": [1.5, None, 3], "x": pd.Series(["<i>a</i>", "b", "c"],
                                                                                             dtype=object).to_numpy()}]})
    assert shown["data"][0]["y"] == [1.5, None, 3]
    assert list(shown["data"][0]["x"]) == ["&lt;i>a&lt;/i>", "b", "c"]


def test_fig003_a_case_reference_with_a_link_is_plain_text_in_the_sla_timeline(web):
    with session_scope(web.engine) as session:
        bearer = issue_token(session, "simak", "events", actor="test")
    event = {"event_id": "e-1", "sop": "WS", "case_ref": LINK, "step": "surat_permohonan",
             "started_at": "2026-05-08T10:00:00+07:00", "completed_at": "2026-05-08T10:04:00+07:00"}
    stored = web.client().post("/api/v1/events", json=[event], headers={"Authorization": f"Bearer {bearer}"})
    assert stored.status_code == 200, stored.text
    key = next(k for k in web.app.callback_map if k.startswith("sla-case.children@"))
    response = web.client("admin").post("/_dash-update-component", json={
        "output": key, "outputs": {"id": "sla-case", "property": "children"},
        "inputs": [{"id": "sla-case-find", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["sla-case-find.n_clicks"],
        "state": [{"id": "sla-case-ref", "property": "value", "value": LINK},
                  {"id": "sla-sop", "property": "value", "value": "__all__"}]})
    assert response.status_code == 200, response.text[:300]
    figures = []

    def collect(node):
        if isinstance(node, dict):
            if node.get("type") == "Graph":
                figures.append(node["props"]["figure"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(response.json)
    assert figures, "the case's timeline is drawn"
    dumped = json.dumps(figures)
    assert "<a href" not in dumped and "&lt;a href" in dumped
    assert "&lt;a href=\\\"http://x\\\">klik&lt;/a>" in json.dumps(figures[0]["layout"]["title"])
