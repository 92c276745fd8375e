"""Nobody let in: with tokens, every write and every stored result needs one, and a token
sees only its own results; a feed URL is a capability (its secret), and the listings stay
open."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serving import START, Server, wait_job

ALICE = "alice-token-0123456789abcdef"
BOB = "bob-token-0123456789abcdef012"
PLAN = {"minutes": 10, "days": "mon,thu", "start": START}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("tokens")
    tokens = folder / "tokens.txt"
    tokens.write_text(f"# who may write\n{BOB}\n\n", encoding="utf-8")
    running = Server(
        folder / "service.sqlite3", "--workers", "1", "--token", ALICE, "--tokens-file", str(tokens)
    ).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def alice(server: Server) -> Iterator[httpx.Client]:
    with server.client(ALICE) as http:
        yield http


@pytest.fixture(scope="module")
def bob(server: Server) -> Iterator[httpx.Client]:
    with server.client(BOB) as http:
        yield http


@pytest.fixture(scope="module")
def alices_plan(alice: httpx.Client) -> dict[str, object]:
    made = alice.post("/v1/plans", json=PLAN)
    assert made.status_code == 202
    job = wait_job(alice, made.headers["location"])
    assert job["status"] == "done"
    return job


def test_writes_need_a_token(client: httpx.Client) -> None:
    refused = client.post("/v1/routines", json={"minutes": 10})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.post("/v1/plans", json=PLAN).status_code == 401
    wrong = client.post(
        "/v1/routines", json={"minutes": 10}, headers={"Authorization": "Bearer not-a-token-at-all"}
    )
    assert wrong.status_code == 401


def test_listings_and_health_are_open(client: httpx.Client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/v1/exporters").status_code == 200
    assert client.get("/v1/catalogs").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_one_token_cannot_read_anothers_plan(
    alice: httpx.Client, bob: httpx.Client, client: httpx.Client, alices_plan: dict[str, object]
) -> None:
    ident = alices_plan["id"]
    assert alice.get(f"/v1/plans/{ident}").status_code == 200
    for path in (f"/v1/plans/{ident}", f"/v1/jobs/{ident}"):
        seen = bob.get(path)
        assert seen.status_code == 404  # the same answer as for an id that does not exist
        assert seen.headers["content-type"] == "application/problem+json"
        assert client.get(path).status_code == 401
    assert bob.post(f"/v1/plans/{ident}/regenerate").status_code == 404
    assert bob.post(f"/v1/jobs/{ident}/cancel").status_code == 404


def test_one_token_cannot_read_anothers_routine(alice: httpx.Client, bob: httpx.Client) -> None:
    made = bob.post("/v1/routines", json={"minutes": 10, "start": START})
    assert made.status_code == 201
    assert bob.get(made.headers["location"]).status_code == 200
    assert alice.get(made.headers["location"]).status_code == 404


def test_the_feed_url_is_a_capability(
    client: httpx.Client, bob: httpx.Client, alices_plan: dict[str, object]
) -> None:
    links = alices_plan["links"]
    assert isinstance(links, dict)
    feed = links["calendar"]
    assert client.get(feed).status_code == 200  # a calendar app has no token: the secret
    plain = feed.split("?")[0]
    assert client.get(plain).status_code == 401
    assert bob.get(plain, params={"secret": "guessed"}).status_code == 404
