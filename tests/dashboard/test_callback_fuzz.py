"""No input makes a callback answer 500: every registered callback, called by a role that may use it with
values of any type (the wrong ones included), answers 200 or a 4xx (issue 18)."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.settings import ROLES

EXAMPLES = 200 if os.environ.get("PANTAU_HYPOTHESIS_PROFILE") == "long" else 8
"""Random value sets per callback: a bounded run in ``make test``, a long one with the long profile."""

ODD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False)
    | st.sampled_from(["", "abc", "x", "2026-13", "999999", "null", "-1", "all", "<b>", "../..", "\x00"])
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _ids(spec: str) -> list[tuple[object, str]]:
    """(component id, property) of a dependency's ``output`` string (several outputs: ``..a.b...c.d..``)."""
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    found = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        found.append((json.loads(component) if component.startswith("{") else component, prop))
    return found


def _permitted(clients: dict, dependency: dict) -> list[str]:
    """The roles the server lets call this callback (sent the values a fresh page sends)."""
    payload = _payload(dependency, [None] * (len(dependency["inputs"]) + len(dependency["state"])))
    if payload is None:
        return []
    return [role for role, client in clients.items()
            if client.post("/_dash-update-component", json=payload).status_code not in (401, 403)]


def _payload(dependency: dict, values: list) -> dict | None:
    inputs = [{"id": item["id"], "property": item["property"]} for item in dependency["inputs"]]
    states = [{"id": item["id"], "property": item["property"]} for item in dependency["state"]]
    if any(isinstance(item["id"], str) and item["id"].startswith("{") for item in [*inputs, *states]):
        return None  # pattern-matching callbacks: their ids are filled by the page
    outputs = [{"id": component, "property": prop} for component, prop in _ids(dependency["output"])]
    if any(isinstance(output["id"], dict) for output in outputs):
        return None
    for item, value in zip([*inputs, *states], values, strict=False):
        item["value"] = value
    return {"output": dependency["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs, "state": states,
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else []}


def test_fuzz001_no_callback_answers_500_to_values_of_any_type(web):
    clients = {role: web.client(role) for role in ROLES}
    dependencies = clients["admin"].get("/_dash-dependencies").json
    served = [dependency for dependency in dependencies if not dependency.get("clientside_function")]
    assert len(served) > 30, "the app's callbacks were not listed"
    users = {dependency["output"]: _permitted(clients, dependency) for dependency in served}
    assert sum(bool(roles) for roles in users.values()) > 30, "no role may use the callbacks"
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(data=st.data())
    def run(data):
        for dependency in served:
            count = len(dependency["inputs"]) + len(dependency["state"])
            values = data.draw(st.lists(ODD_VALUES, min_size=count, max_size=count))
            payload = _payload(dependency, values)
            if payload is None or not users[dependency["output"]]:
                continue
            role = data.draw(st.sampled_from(users[dependency["output"]]))
            response = clients[role].post("/_dash-update-component", json=payload)
            if response.status_code >= 500:
                failures.append(f"{role} {dependency['output']} {values!r}: {response.status_code}")

    run()
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_fuzz002_a_refused_input_is_answered_400_in_the_readers_words_and_logged(web, caplog):
    client = web.client("direktur")
    dependencies = client.get("/_dash-dependencies").json
    tokens = next(d for d in dependencies if "tokens-summary.children" in d["output"])
    payload = _payload(tokens, [None, {"x": [1]}])
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 400
    assert response.json == {"message": "Permintaan tidak dapat diproses: isiannya tidak sesuai."}
    assert "Traceback" not in response.text
    assert any("tokens-summary.children" in record.getMessage() and record.exc_info for record in caplog.records)
