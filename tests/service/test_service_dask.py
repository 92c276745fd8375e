"""``routinegen serve --scheduler``: solves on a real Dask LocalCluster, not local processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import START, Server, wait_job

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as running:
        yield running


@pytest.mark.slow
def test_routines_and_plans_are_solved_on_the_cluster(cluster: Any, tmp_path: Path) -> None:
    server = Server(tmp_path / "service.sqlite3", "--scheduler", cluster.scheduler_address)
    server.start(timeout=60)
    try:
        with server.client() as client:
            assert client.get("/healthz").json()["workers"] == 1  # the cluster's one thread
            made = client.post("/v1/routines", json={"minutes": 10, "start": START})
            assert made.status_code == 201, made.text
            plan = client.post("/v1/plans", json={"minutes": 10, "days": "mon,thu", "start": START})
            assert wait_job(client, plan.headers["location"])["status"] == "done"
    finally:
        server.stop()


def test_a_bad_scheduler_address_stops_the_start(tmp_path: Path) -> None:
    """(An unreachable one does too, after the 20 s connect timeout: too slow to test.)"""
    server = Server(tmp_path / "service.sqlite3", "--scheduler", "carrier-pigeon://127.0.0.1:9")
    with pytest.raises(RuntimeError, match="Dask scheduler"):
        server.start(timeout=60)


@pytest.mark.parametrize(
    ("address", "words"),
    [("nonsense", "missing port number"), ("tcp://127.0.0.1:1", "Timed out trying to connect")],
)
def test_a_scheduler_it_cannot_reach_is_one_clear_line(
    address: str, words: str, tmp_path: Path
) -> None:
    """A wrong --scheduler: exit 1 with one line naming the address, no traceback."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "routinegen", "serve", "--scheduler", address, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert f"routinegen: error: cannot reach the Dask scheduler at {address}" in done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1
