"""Nothing lost: a ``kill -9`` mid-job, then a restart that finishes it; the bounded queue
(503 with Retry-After); and what ``routinegen serve`` refuses before it starts."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from serving import SLOW_PLAN, START, Server, wait_job

QUICK_PLAN = {"minutes": 10, "days": "mon,thu", "start": START}


def test_kill_9_during_a_plan_job_then_a_restart_finishes_it(tmp_path: Path) -> None:
    server = Server(tmp_path / "service.sqlite3", "--workers", "1").start()
    try:
        with server.client() as client:
            done = wait_job(client, client.post("/v1/plans", json=QUICK_PLAN).headers["location"])
            assert done["status"] == "done"
            made = client.post("/v1/plans", json=SLOW_PLAN)
            location = made.headers["location"]
            deadline = time.monotonic() + 10
            while client.get(location).json()["status"] != "solving":
                assert time.monotonic() < deadline
                time.sleep(0.05)
        server.stop(signal.SIGKILL)
        server.start()
        with server.client() as client:
            assert client.get(done["links"]["result"]).status_code == 200  # nothing lost
            job = wait_job(client, location)
            assert job["status"] == "done"
            assert job["revision"] == 0
            plan = client.get(job["links"]["result"]).json()
            assert len(plan["sessions"]) == 12  # six days, two weeks
    finally:
        server.stop()


def test_past_the_queue_the_service_answers_503_with_retry_after(tmp_path: Path) -> None:
    server = Server(tmp_path / "service.sqlite3", "--workers", "1", "--queue", "0").start()
    try:
        with server.client() as client:
            busy = client.post("/v1/plans", json=SLOW_PLAN)
            assert busy.status_code == 202
            refused = client.post("/v1/routines", json={"minutes": 10})
            assert refused.status_code == 503
            assert refused.headers["content-type"] == "application/problem+json"
            assert int(refused.headers["retry-after"]) > 0
            assert client.post("/v1/plans", json=QUICK_PLAN).status_code == 503
            assert client.get("/healthz").json()["admitted"] == 1
            client.post(f"/v1/jobs/{busy.json()['id']}/cancel")
            # The cancelled solve still holds the one worker until its limit; then a slot.
            deadline = time.monotonic() + 30
            while client.post("/v1/routines", json={"minutes": 10}).status_code == 503:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        server.stop()


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "routinegen", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_tokens_it_refuses_to_bind_beyond_loopback() -> None:
    run = serve("--host", "0.0.0.0", "--port", "1")
    assert run.returncode == 1
    assert "--token" in run.stderr and "--insecure" in run.stderr


def test_short_tokens_and_missing_token_files_are_refused(tmp_path: Path) -> None:
    run = serve("--token", "short", "--port", "1")
    assert run.returncode == 1
    assert "16 characters" in run.stderr
    run = serve("--tokens-file", str(tmp_path / "absent.txt"), "--port", "1")
    assert run.returncode == 1
    assert "absent.txt" in run.stderr


def test_the_other_commands_do_not_import_the_service() -> None:
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['routinegen', 'serve', '--help']\n"
        "try:\n"
        "    runpy.run_module('routinegen', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn')\n"
        "               or m.startswith('routinegen.service'))\n"
        "print(heavy, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "--workers" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "[]"


def test_a_worker_killed_mid_solve_fails_that_job_only(tmp_path: Path) -> None:
    """A solver process that dies (out of memory, killed) costs its job, not the service."""
    server = Server(tmp_path / "service.sqlite3", "--workers", "1").start()
    try:
        with server.client() as client:
            made = client.post("/v1/plans", json=SLOW_PLAN)
            location = made.headers["location"]
            deadline = time.monotonic() + 10
            while client.get(location).json()["status"] != "solving":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert server.process is not None
            children = subprocess.run(
                ["pgrep", "-P", str(server.process.pid)],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.split()
            # the forkserver's children are the workers
            workers = [
                pid
                for child in children
                for pid in subprocess.run(
                    ["pgrep", "-P", child], capture_output=True, text=True, check=False
                ).stdout.split()
            ]
            assert workers
            for pid in workers:
                subprocess.run(["kill", "-9", pid], check=False)
            job = wait_job(client, location)
            assert job["status"] == "failed"
            made = client.post("/v1/routines", json={"minutes": 10, "start": START})
            assert made.status_code == 201
    finally:
        server.stop()
