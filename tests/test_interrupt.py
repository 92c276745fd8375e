"""Ctrl-C while solving: a prompt stop, one line, exit 130, and nothing written.

Each test starts ``python -m routinegen`` on a request that keeps CP-SAT busy for many
seconds, waits until the solver is loaded and searching, sends SIGINT, and checks that the
process stops within a few seconds (not at its time limit), says so on stderr, exits with
130, leaves the existing output file byte-identical and leaves no temp file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from helpers.big_catalog import write_big_catalog

FIXTURES = Path(__file__).parent / "fixtures"
EXISTING = b"yesterday's plan: keep me\n"
MESSAGE = "routinegen: interrupted; nothing was written"
# Requests whose search runs for seconds (measured: make on the big catalog 12-15 s, the
# week to its time limit), so that Ctrl-C comes while CP-SAT is at work.
BIG = "<big catalog>"  # stands for the ``big`` fixture's file
HARD_MAKE = [
    "make",
    "-c",
    BIG,
    "--focus",
    "all",
    "-m",
    "120",
    "-l",
    "advanced",
    "--exercises",
    "12-20",
    "--time-limit",
    "30",
]
# A plan with weekly targets no plan reaches, on the big catalog: it searches for seconds
# (built-in plans are proven in well under a second).
HARD_WEEK = ["week", "-c", BIG, "--focus", "all", "--days", "mon,wed,fri", "-m", "20"]
HARD_WEEK += ["--weeks", "4", "--volume", "all=30-40", "--time-limit", "30"]
STOP_WITHIN = 5.0  # seconds from SIGINT to exit: far below the 30 s time limit

pytestmark = [
    pytest.mark.slow,  # real processes and signals
    pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX only"),
]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ROUTINEGEN_DEBUG"}
    env["ROUTINEGEN_LOAD_PLUGINS"] = ""
    return env


def _solving(process: subprocess.Popen[bytes], cwd: Path) -> bool:
    """True once the work has started: OR-Tools loaded (``make`` and ``week`` import it only
    to solve), or a batch's summary written (its workers solve, not the process itself)."""
    if (cwd / "out" / "summary.json").exists():
        return True
    try:
        maps = Path(f"/proc/{process.pid}/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "ortools" in maps


def wait_until_solving(process: subprocess.Popen[bytes], cwd: Path, timeout: float = 60) -> None:
    """Wait for the solver to start (or, without /proc, for a generous start-up time)."""
    if not Path(f"/proc/{process.pid}").exists():  # not Linux
        time.sleep(5.0)
        return
    deadline = time.monotonic() + timeout
    while not _solving(process, cwd):
        assert process.poll() is None, "routinegen ended before it started solving"
        assert time.monotonic() < deadline, "routinegen did not start solving"
        time.sleep(0.05)
    time.sleep(2.0)  # building the model (starting the workers); then CP-SAT is searching


def leftover_processes(cwd: Path) -> list[str]:
    """Processes still running in ``cwd`` (a batch's workers start there): none may outlive it."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if proc.joinpath("cwd").resolve() == cwd.resolve():
                found.append(proc.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def interrupt(args: list[str], cwd: Path) -> tuple[int, str, str, float]:
    """Run routinegen, send SIGINT while it solves; (exit code, stdout, stderr, seconds).

    Output goes to temp files, not pipes: a worker that outlived routinegen would hold a pipe
    open and hang the test instead of failing it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "routinegen", *args],
            cwd=cwd,
            env=environment(),
            stdout=out,
            stderr=err,
        )
        try:
            wait_until_solving(process, cwd)
            assert process.poll() is None, "the request finished before it could be interrupted"
            sent = time.monotonic()
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=60)
            took = time.monotonic() - sent
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        out.seek(0)
        err.seek(0)
        return (
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            took,
        )


def assert_clean_stop(code: int, stdout: str, stderr: str, took: float) -> None:
    assert code == 130, (code, stderr)
    assert stderr.strip().splitlines()[-1:] == [MESSAGE], stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert took < STOP_WITHIN, f"stopped {took:.1f} s after Ctrl-C; the search was not stopped"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    """4,000 distinct exercises: a routine search that takes seconds."""
    return str(write_big_catalog(tmp_path_factory.mktemp("big") / "big.yaml"))


def with_big(args: list[str], big: str) -> list[str]:
    return [big if a == BIG else a for a in args]


@pytest.mark.parametrize("args", [HARD_MAKE, HARD_WEEK], ids=["make", "week"])
def test_ctrl_c_while_solving(tmp_path: Path, args: list[str], big: str) -> None:
    args = with_big(args, big)
    target = tmp_path / "out.json"
    target.write_bytes(EXISTING)
    os.chmod(target, 0o640)
    code, stdout, stderr, took = interrupt([*args, "-o", "out.json"], tmp_path)
    assert_clean_stop(code, stdout, stderr, took)
    assert target.read_bytes() == EXISTING
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_ctrl_c_while_solving_to_stdout(tmp_path: Path, big: str) -> None:
    """Nothing half-made reaches stdout either."""
    code, stdout, stderr, took = interrupt([*with_big(HARD_MAKE, big), "-F", "json"], tmp_path)
    assert_clean_stop(code, stdout, stderr, took)
    assert list(tmp_path.iterdir()) == []


def _has_batch() -> bool:
    from routinegen.cli import app

    return any(
        (c.name or getattr(c.callback, "__name__", "")) == "batch" for c in app.registered_commands
    )


@pytest.mark.skipif(not _has_batch(), reason="no batch command in this build")
@pytest.mark.parametrize("workers", ["0", "2"])
def test_ctrl_c_during_a_batch(tmp_path: Path, workers: str, big: str) -> None:
    """Finished people keep their whole files, the rest none; the summary says interrupted."""
    (tmp_path / "people.yaml").write_text(
        "defaults:\n"
        f"  catalog: {big}\n  focus: all\n  minutes: 120\n  level: advanced\n"
        "  exercises: 12-20\n  time_limit: 30\n"
        "people:\n" + "".join(f"  - id: p{n}\n    seed: {n}\n" for n in range(6)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, stderr, took = interrupt(
        ["batch", "people.yaml", "-o", "out", "--workers", workers, "-F", "json"], tmp_path
    )
    assert code == 130, (code, stderr)
    assert "routinegen: interrupted" in stderr and "Traceback" not in stderr
    assert took < STOP_WITHIN + 5, f"stopped {took:.1f} s after Ctrl-C"
    deadline = time.monotonic() + 5
    while leftover_processes(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not leftover_processes(tmp_path), leftover_processes(tmp_path)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")], files
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["state"] == "interrupted", summary.get("state")
    for path in files:
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))  # whole, never half-written


def test_solve_helper_stops_the_search_at_once() -> None:
    """routinegen.solver.search.interruptible.solve: an exception raised by the SIGINT handler while
    CP-SAT searches stops the search and reaches the caller within moments."""
    code = """
import signal, sys, threading, time, os
from ortools.sat.python import cp_model
from routinegen.solver.search import interruptible
import random
random.seed(1)
model = cp_model.CpModel()
xs = [model.new_bool_var(f"x{i}") for i in range(300)]
for _ in range(30):
    model.add(sum(random.randint(1, 1000) * x for x in xs) <= 40000)
model.maximize(sum(random.randint(1, 1000) * x for x in xs))
solver = cp_model.CpSolver()
solver.parameters.max_time_in_seconds = 60
solver.parameters.num_workers = 1
threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    interruptible.solve(solver, model)
except KeyboardInterrupt:
    print(f"interrupted after {time.monotonic() - started:.1f}")
    sys.exit(130)
print("not interrupted")
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 130, (result.returncode, result.stdout, result.stderr)
    seconds = float(result.stdout.split()[-1])
    assert seconds < STOP_WITHIN
