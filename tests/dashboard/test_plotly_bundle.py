"""The partial Plotly bundle the pages load (assets/04-plotly.min.js, built from frontend/plotly): it is the
plotly.js the installed Plotly for Python was made for, and it holds every trace type a page draws."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "assets" / "04-plotly.min.js"
ENTRY = ROOT / "frontend" / "plotly" / "entry.js"
TRACE_TYPES = {name.lower() for name in dir(go)
               if isinstance(getattr(go, name), type) and issubclass(getattr(go, name), BaseTraceType)}
MENTIONS = (re.compile(r"\bgo\.(\w+)\("), re.compile(r"\.add_(\w+)\("), re.compile(r"[\"']type[\"']: [\"'](\w+)[\"']"),
            re.compile(r"\btype=[\"'](\w+)[\"']"))


def drawn_trace_types() -> set[str]:
    """Every trace type the dashboard's code names: `go.Bar(`, `figure.add_bar(`, `{"type": "bar"}`."""
    found = set()
    for source in (ROOT / "dashboard").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found |= {name.lower() for pattern in MENTIONS for name in pattern.findall(text)}
    return found & TRACE_TYPES


def bundled_trace_types() -> set[str]:
    registered = set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text(encoding="utf-8")))
    return {"scatter"} | registered - {"core"}  # the core holds scatter


def test_plotlyjs001_the_bundle_is_the_plotlyjs_of_the_installed_plotly():
    head = BUNDLE.read_text(encoding="utf-8")[:200]
    assert f"plotly.js {get_plotlyjs_version()} " in head, "rebuild the bundle: make plotly-bundle"
    assert f'.version="{get_plotlyjs_version()}"' in BUNDLE.read_text(encoding="utf-8")


def test_plotlyjs002_every_trace_type_a_page_draws_is_in_the_bundle():
    drawn = drawn_trace_types()
    assert {"bar", "scatter", "heatmap"} <= drawn  # the scan finds the pages' figures
    assert drawn <= bundled_trace_types(), f"add to frontend/plotly/entry.js: {sorted(drawn - bundled_trace_types())}"
