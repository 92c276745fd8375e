"""The module's server: ``routinegen serve`` started once per test module (a restart test
starts its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

for _needed in ("fastapi", "uvicorn", "httpx"):  # routinegen[serve] and the test extra
    pytest.importorskip(_needed)

import httpx  # noqa: E402
from serving import Server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The module's server: 2 solver processes, no tokens, loopback."""
    folder = tmp_path_factory.mktemp("service")
    running = Server(folder / "service.sqlite3", "--workers", "2").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http
