"""schemathesis against the live server's /openapi.json: bodies and parameters generated
from the schema, a bounded number of examples per operation; no answer may be a 5xx, use
an undocumented status or content type, or break its documented schema.

Not checked: that every schema-valid body is accepted. The schema gives the shapes; the
values' ranges live in the public API (one home for the defaults and limits), so a 422
for ``minutes: 0`` is the right answer, not a schema violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from serving import START, Server, wait_job

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own with a short solver limit: generated requests may be slow ones."""
    folder = tmp_path_factory.mktemp("schema")
    running = Server(
        folder / "service.sqlite3", "--workers", "2", "--queue", "500", "--time-limit", "2"
    ).start()
    yield running
    running.stop()


OPERATIONS = [
    ("POST", "/v1/routines"),
    ("GET", "/v1/routines/{ident}"),
    ("POST", "/v1/routines/{ident}/swap"),
    ("POST", "/v1/plans"),
    ("GET", "/v1/plans/{ident}"),
    ("POST", "/v1/plans/{ident}/regenerate"),
    ("GET", "/v1/plans/{ident}/calendar.ics"),
    ("GET", "/v1/jobs/{ident}"),
    ("POST", "/v1/jobs/{ident}/cancel"),
    ("GET", "/v1/exporters"),
    ("GET", "/v1/catalogs"),
    ("GET", "/healthz"),
]


@pytest.fixture(scope="module")
def live_schema(server: Server) -> Any:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.fixture(scope="module")
def real_ids(server: Server) -> dict[str, str]:
    """A stored routine and a solved plan: generated ids only ever find nothing (404)."""
    with server.client() as client:
        routine = client.post("/v1/routines", json={"minutes": 10, "start": START})
        plan = client.post("/v1/plans", json={"minutes": 10, "days": "mon,thu", "start": START})
        wait_job(client, plan.headers["location"])
    return {"routines": routine.headers["location"].rsplit("/", 1)[1], "plans": plan.json()["id"]}


def test_every_operation_is_checked(live_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in live_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda x: str(x))
def test_the_live_api_keeps_its_schema(
    live_schema: Any, real_ids: dict[str, str], method: str, path: str
) -> None:
    """Each generated case as it is, and again on a real result when it names an id."""
    operation = live_schema[path][method]
    real = real_ids["routines" if path.startswith("/v1/routines") else "plans"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS, timeout=60)
        if case.path_parameters and "ident" in case.path_parameters:
            case.path_parameters = {**case.path_parameters, "ident": real}
            case.call_and_validate(checks=CHECKS, timeout=60)

    check()
