"""No request makes the JSON API answer 5xx (issue 18): every route of docs/openapi.yaml (the push API for
events and agents, the health check, /status.json, /metrics) driven by generated requests, valid and not, with
missing, invalid, revoked and other-purpose tokens, bodies of every JSON type, deeply nested and huge, wrong
content types, methods and query strings. Errors are short JSON that echo at most a few fields, cut short;
the token is enforced; valid requests are accepted.

The number of examples follows the hypothesis profile (tests/conftest.py): 25 per test in CI, 2000 with
PANTAU_HYPOTHESIS_PROFILE=long (or PANTAU_HYPOTHESIS_EXAMPLES)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dashboard import create_app
from pantau.api_tokens import issue_token, revoke_token
from pantau.db import session_scope
from pantau.settings import Settings

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METRICS_TOKEN = "scrape-secret-42"
ERROR_BYTES = 2_000
"""The longest error answer: a few fields, each cut to 80 characters, and a sentence."""
PATHS = {"/api/v1/health": "GET", "/api/v1/events": "POST", "/api/v1/agent/metrics": "POST",
         "/status.json": "GET", "/metrics": "GET"}
PURPOSE = {"/api/v1/events": "events", "/api/v1/agent/metrics": "agent", "/metrics": "metrics"}


@dataclass
class Api:
    app: object
    engine: object
    tokens: dict[str, str]

    def client(self):
        return self.app.server.test_client()

    def bearer(self, path: str) -> dict[str, str]:
        purpose = PURPOSE.get(path)
        return {"Authorization": f"Bearer {self.tokens[purpose]}"} if purpose else {}


@pytest.fixture
def api(engine, tmp_path) -> Api:
    """The app with one live token of each purpose, one revoked, and `/metrics` answered to its token only."""
    settings = Settings(data_dir=tmp_path, database_url=str(engine.url),
                        metrics={"allow_from": [], "token": METRICS_TOKEN})
    with session_scope(engine) as session:
        tokens = {purpose: issue_token(session, f"src-{purpose}", purpose, actor="test")
                  for purpose in ("events", "agent")}
        tokens["revoked"] = issue_token(session, "src-old", "events", actor="test")
        revoke_token(session, "src-old", actor="test")
    return Api(create_app(settings, engine), engine, {**tokens, "metrics": METRICS_TOKEN})


def _operations(app) -> list:
    """The document's operations, each served by `app` (schemathesis drives them without its pytest plugin,
    whose lazy fixtures do not run on pytest 9)."""
    schema = schemathesis.openapi.from_path(OPENAPI)
    schema.app = app.server
    return [result.ok() for result in schema.get_all_operations()]


def test_apifz001_every_route_answers_as_its_openapi_document_says_and_never_5xx(api):
    operations = _operations(api.app)
    assert {operation.path for operation in operations} == set(PATHS)
    cases = st.one_of([operation.as_strategy(generation_mode=mode) for operation in operations
                       for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)])

    @settings(max_examples=8 * settings.default.max_examples, suppress_health_check=list(HealthCheck), deadline=None)
    @given(case=cases)
    def run(case):
        headers = api.bearer(case.path)
        response = case.call(headers=headers)
        # A schema-valid event may still be refused (422): an SOP, step or time the catalogue does not know.
        case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
        _short_error(case.path, response)

    run()


def test_apifz002_the_document_lists_every_json_route_the_app_serves(api):
    rules = {rule.rule: rule.methods for rule in api.app.server.url_map.iter_rules()
             if rule.endpoint != "api.elsewhere"}
    api_rules = {rule for rule in rules if rule.startswith("/api/")} | {"/status.json"}
    documented = schemathesis.openapi.from_path(OPENAPI).raw_schema["paths"]
    assert api_rules <= set(documented), "a JSON route is missing from docs/openapi.yaml"
    assert all(PATHS[path] in rules[path] for path in PATHS if path in rules)


# --- hostile requests the document does not describe -------------------------------------------------------------

def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HUGE = "x" * 300_000
JSON_BODIES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["", "\x00", "2026-13-45T99:99", "KTM", "<script>", HUGE[:5000]]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["events", "sop", "case_ref", "step", "event_id", "started_at", "completed_at", "hostname",
                         "taken_at", "cpu_percent", "memory_percent", "disk_percent", "processes", "x"]) | st.text(
            max_size=8), inner, max_size=5),
    max_leaves=12,
)
RAW_BODIES = st.one_of(
    JSON_BODIES.map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"", b"{", b"nul", b"\xff\xfe\x00", b'{"events": [' + b"{}," * 2000 + b"{}]}",
                     _nested(5_000).encode(), _nested(100_000).encode(), b'{"a":' * 3000 + b"1" + b"}" * 3000,
                     json.dumps({"events": [{"sop": HUGE}]}).encode(), json.dumps({"hostname": HUGE}).encode(),
                     b'"' + HUGE.encode() + b'"']),
    st.binary(max_size=64),
)
CONTENT_TYPES = st.sampled_from([None, "application/json", "application/json; charset=latin-1", "text/plain",
                                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "application/json; charset=utf-16"])
METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
TOKENS = st.sampled_from(["events", "agent", "metrics", "revoked", "garbage", "empty", "scheme", "none", "huge"])
QUERIES = st.sampled_from(["", "lang=en", "lang=xx", "lang=", "lang=id&lang=en", "a[]=1&a[]=%00", "%ff=%fe",
                           "lang=" + "x" * 5000, "events=1"])


def _authorization(api: Api, choice: str) -> dict[str, str]:
    value = {"garbage": "Bearer not-a-token", "empty": "Bearer ", "scheme": f"Basic {api.tokens['events']}",
             "none": None, "huge": "Bearer " + "a" * 8000}.get(choice, f"Bearer {api.tokens.get(choice)}")
    return {"Authorization": value} if value is not None else {}


@settings(max_examples=8 * settings.default.max_examples, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data())
def _hostile(api: Api, failures: list[str], data) -> None:
    path = data.draw(st.sampled_from(sorted(PATHS)), label="path")
    method = data.draw(st.sampled_from([PATHS[path]]) | METHODS, label="method")
    token = data.draw(TOKENS, label="token")
    body = data.draw(RAW_BODIES, label="body") if method not in ("GET", "HEAD") else b""
    content_type = data.draw(CONTENT_TYPES, label="content type")
    query = data.draw(QUERIES, label="query")
    headers = _authorization(api, token) | ({"Content-Type": content_type} if content_type else {})
    response = api.client().open(path, method=method, data=body, headers=headers, query_string=query or None)
    what = f"{method} {path}?{query[:40]} token={token} {content_type} body={body[:60]!r}"
    if response.status_code >= 500:
        failures.append(f"{what}: {response.status_code} {response.get_data()[:200]!r}")
        return
    if method not in (PATHS[path], "HEAD", "OPTIONS") and response.status_code != 405:
        failures.append(f"{what}: {response.status_code}, expected 405 for a wrong method")
    purpose = PURPOSE.get(path)
    if method == PATHS[path] and purpose and token != purpose and response.status_code not in (401, 403):
        failures.append(f"{what}: {response.status_code} without a valid {purpose} token")
    try:
        _short_error(path, response, method)
    except AssertionError as error:
        failures.append(f"{what}: {error}")


def test_apifz003_hostile_requests_answer_4xx_in_short_json_and_never_5xx(api):
    failures: list[str] = []
    _hostile(api, failures)
    assert not failures, "\n".join(sorted(set(failures))[:30])


def _short_error(path: str, response, method: str = "GET") -> None:
    """An error answer of the API is JSON, short, and echoes at most 80 characters of any value. `response` is
    flask's test response or schemathesis's."""
    if response.status_code < 400 or not path.startswith("/api/") or method == "HEAD":
        return
    if isinstance(response, schemathesis.Response):
        headers = {name.lower(): values[0] for name, values in response.headers.items()}
        content_type, body = headers.get("content-type", ""), response.content
    else:
        content_type, body = response.content_type, response.get_data()
    assert content_type.startswith("application/json"), f"{response.status_code} answered {content_type}"
    assert len(body) <= ERROR_BYTES, f"{response.status_code} answered {len(body)} bytes"
    assert "xxxxx" * 20 not in body.decode(errors="replace"), "a long submitted value is echoed whole"
    answer = json.loads(body)
    assert answer.get("error") or answer.get("message"), "an error without a message"


# --- what a valid request gets -----------------------------------------------------------------------------------

def test_apifz004_valid_requests_are_accepted(api):
    client = api.client()
    event = {"event_id": "e-1", "sop": "WS", "case_ref": "B-1/2026", "step": "surat_permohonan",
             "started_at": "2026-05-08T10:00:00+07:00", "completed_at": "2026-05-08T10:04:00+07:00"}
    reading = {"hostname": "srv-1", "taken_at": datetime.now(UTC).isoformat(), "cpu_percent": 3.5,
               "memory_percent": 41.0, "disk_percent": {"/": 70.0}, "processes": {"nginx": True}}

    assert client.get("/api/v1/health").json == {"status": "ok"}
    assert client.post("/api/v1/events", json=[event], headers=api.bearer("/api/v1/events")).json["stored"] == 1
    assert client.post("/api/v1/agent/metrics", json=reading,
                       headers=api.bearer("/api/v1/agent/metrics")).status_code == 201
    assert client.get("/status.json?lang=en").status_code == 200
    scrape = client.get("/metrics", headers=api.bearer("/metrics"))
    assert scrape.status_code == 200 and b"pantau_http_request_duration_seconds" in scrape.data
    assert client.get("/metrics").status_code == 403, "no token, and no address is allowed"
    revoked = client.post("/api/v1/events", json=[event], headers={"Authorization": f"Bearer {api.tokens['revoked']}"})
    assert revoked.status_code == 401 and revoked.json == {"error": "missing or invalid bearer token"}


# --- what the fuzz found (each answered 500 before) --------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/agent/metrics"])
@pytest.mark.parametrize("body", [_nested(5_000), '{"a":' * 3_000 + "1" + "}" * 3_000], ids=["list", "object"])
def test_apifz005_json_nested_deeper_than_the_parser_reads_is_a_400(api, path, body):
    response = api.client().post(path, data=body, headers={**api.bearer(path), "Content-Type": "application/json"})
    assert response.status_code == 400 and response.is_json
    assert "JSON" in response.json["error"]


def test_apifz006_metrics_answers_only_get_and_head(api):
    client = api.client()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = client.open("/metrics", method=method, headers=api.bearer("/metrics"))
        assert (response.status_code, response.headers["Allow"]) == (405, "GET, HEAD"), method
    assert client.head("/metrics", headers=api.bearer("/metrics")).status_code == 200


def test_apifz007_another_method_or_path_under_the_api_is_answered_in_json_not_by_the_page_shell(api):
    client = api.client()
    wrong = client.get("/api/v1/events", headers=api.bearer("/api/v1/events"))
    assert (wrong.status_code, wrong.headers["Allow"], wrong.json) == (
        405, "POST", {"error": "GET is not allowed here; use POST"})
    assert client.put("/api/v1/health").status_code == 405
    for path in ("/api/v1/nothing", "/api/v1/"):
        missing = client.get(path)
        assert (missing.status_code, missing.json) == (404, {"error": "no such API route"}), path


def test_apifz008_a_reading_is_read_strictly_as_its_document_says(api):
    reading = {"hostname": "srv-1", "taken_at": "2026-05-08T10:00:00+07:00", "cpu_percent": 0, "memory_percent": 1}
    client, headers = api.client(), api.bearer("/api/v1/agent/metrics")
    for field, value in (("processes", {"nginx": 0}), ("cpu_percent", "12"), ("hostname", 7)):
        refused = client.post("/api/v1/agent/metrics", json=reading | {field: value}, headers=headers)
        assert refused.status_code == 422 and refused.json["error"].startswith(f"field {field}"), field
    assert client.post("/api/v1/agent/metrics", json=reading, headers=headers).status_code == 201
