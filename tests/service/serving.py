"""The real service for the tests: ``routinegen serve`` in a subprocess on a free loopback
port, and polling its jobs."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

START = "2026-12-07"  # a Monday: every dated test result is the same on any day it runs
# A plan whose search runs until its deterministic budget (0.6 s of work, about 2 s): six
# full-body days in a row, which it does not prove. (Most plans are proven in well under a
# second, too quick to catch while solving.)
SLOW_PLAN = {
    "minutes": 45,
    "days": "mon,tue,wed,thu,fri,sat",
    "weeks": 2,
    "focus": ["full-body"],
    "equipment": ["dumbbell", "kettlebell", "bench"],
    "start": START,
    "time_limit": 3,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """One ``routinegen serve`` process and a client for it."""

    def __init__(self, db: Path, *args: str, log: Path | None = None) -> None:
        self.db = db
        self.args = args
        self.log = log or db.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        self.port = free_port()
        command = [sys.executable, "-m", "routinegen", "serve", "--port", str(self.port)]
        command += ["--db", str(self.db), *self.args]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """End the server (and, with SIGKILL, nothing else gets a say)."""
        if self.process is None or self.process.poll() is not None:
            return
        if sig == signal.SIGKILL:
            self.process.kill()
        else:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def wait_job(client: httpx.Client, location: str, timeout: float = 60) -> dict[str, Any]:
    """Poll a job until it ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location).json()
        if job["status"] not in ("queued", "solving"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {location} did not end in {timeout} s")
