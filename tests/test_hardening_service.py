"""Hostile request bodies against the real service (issue #18: the fuzz suite covers the
service too): deep nesting, huge and non-finite numbers, foreign digits, control and bidi
characters, wrong types. Each must be a problem document with a 4xx status, never a 500,
and the server must keep answering.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

for _needed in ("fastapi", "uvicorn", "httpx"):
    pytest.importorskip(_needed)

import httpx  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "service"))
from serving import Server  # noqa: E402

pytestmark = pytest.mark.slow  # a real server in a subprocess


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("hostile-service")
    server = Server(folder / "service.sqlite3", "--workers", "1").start()
    try:
        with server.client() as http:
            yield http
    finally:
        server.stop()


UNSAFE_TEXT = st.sampled_from(["\x1b[31mred", "a\u202eb", "line\u2028break", "nul\x00", "\x7f"])
FOREIGN_DIGITS = st.sampled_from(["\u0661\u0665", "\uff11\uff15", "1_5", "NaN", "Infinity"])
FIELDS = ["minutes", "seed", "rest", "round_rest", "min_fill", "time_limit", "rounds", "exercises"]
TEXT_FIELDS = ["level", "start", "tz", "catalog", "preset"]
LIST_FIELDS = ["equipment", "focus", "exclude"]


def _deep(depth: int) -> str:
    return '{"minutes": ' + "[" * depth + "]" * depth + "}"


@st.composite
def hostile_body(draw: st.DrawFn) -> str:
    """A raw JSON text, so numbers and nesting the json module would refuse to make fit."""
    kind = draw(st.sampled_from(["deep", "digits", "float", "foreign", "text", "list", "type"]))
    if kind == "deep":
        return _deep(draw(st.sampled_from([100, 5000, 100_000])))
    if kind == "digits":
        field = draw(st.sampled_from(FIELDS))
        return f'{{"{field}": {"9" * draw(st.sampled_from([30, 5000, 50_000]))}}}'
    if kind == "float":
        field = draw(st.sampled_from(FIELDS))
        return f'{{"{field}": {draw(st.sampled_from(["1e999", "-1e999", "NaN", "Infinity"]))}}}'
    if kind == "foreign":
        field = draw(st.sampled_from(FIELDS))
        return f'{{"{field}": "{draw(FOREIGN_DIGITS)}"}}'
    if kind == "text":
        field = draw(st.sampled_from(TEXT_FIELDS))
        return '{"%s": %s}' % (field, _json_string(draw(UNSAFE_TEXT)))  # noqa: UP031
    if kind == "list":
        field = draw(st.sampled_from(LIST_FIELDS))
        return '{"%s": [%s]}' % (field, _json_string(draw(UNSAFE_TEXT)))  # noqa: UP031
    field = draw(st.sampled_from(FIELDS + TEXT_FIELDS + LIST_FIELDS))
    value = draw(st.sampled_from(["true", "{}", "[[1]]", '"x" ', "null", "-0", "1.5e3"]))
    return f'{{"{field}": {value}}}'


def _json_string(text: str) -> str:
    return '"' + "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in text) + '"'


def _answered(response: httpx.Response, body: str) -> None:
    assert response.status_code < 500, (body[:200], response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), (
            body[:200],
            response.headers,
        )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=hostile_body(), path=st.sampled_from(["/v1/routines", "/v1/plans"]))
def test_hostile_bodies_are_problems_not_crashes(
    client: httpx.Client, body: str, path: str
) -> None:
    response = client.post(
        path, content=body.encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    _answered(response, body)
    assert client.get("/healthz").status_code == 200


def test_control_characters_never_come_back_unescaped(client: httpx.Client) -> None:
    response = client.post(
        "/v1/routines",
        content=b'{"tz": "\\u001b[31mEurope/Berlin\\u202e"}',
        headers={"Content-Type": "application/json"},
    )
    _answered(response, "tz")
    assert response.status_code >= 400
    assert "\x1b" not in response.text and "\u202e" not in response.text


def test_a_huge_body_is_refused(client: httpx.Client) -> None:
    body: Any = b'{"exclude": [' + b'"x",' * 2_000_000 + b'"x"]}'
    response = client.post(
        "/v1/routines", content=body, headers={"Content-Type": "application/json"}
    )
    _answered(response, "huge")
    assert response.status_code in (413, 422), response.status_code
