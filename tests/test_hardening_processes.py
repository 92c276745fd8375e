"""Dying processes (issue #18, class 3): batch workers die with their parent, SIGTERM is
handled like Ctrl-C, and a person whose outputs cannot all be written keeps none of them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from routinegen.batch import run as run_module
from routinegen.cli import app
from routinegen.cli.running import Interrupted, _run
from routinegen.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
ENV = {"ROUTINEGEN_LOAD_PLUGINS": "", "ROUTINEGEN_DEBUG": None}


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def people_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "people.csv"
    rows = [f"p{i},12,{FIXTURES / 'tiny.yaml'},kettlebell,{i}" for i in range(count)]
    path.write_text("id,minutes,catalog,equipment,seed\n" + "\n".join(rows) + "\n")
    return path


# ---------------------------------------------------------------------------- the lifeline

POOL_THEN_DIE = textwrap.dedent(
    """
    import os, time
    from routinegen.batch.executors import process_pool

    pool = process_pool(2)
    futures = [pool.submit(time.sleep, 300) for _ in range(2)]
    deadline = time.time() + 60
    while len(pool._processes) < 2 and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    print(" ".join(str(pid) for pid in pool._processes), flush=True)
    os.kill(os.getpid(), 9)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_a_killed_parent_that_nobody_has_reaped() -> None:
    """The parent is killed with -9 and left a zombie (never waited for): its workers must
    exit anyway, and whoever reads its stdout must see the end of it."""
    parent = subprocess.Popen(
        [sys.executable, "-c", POOL_THEN_DIE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2
    rest: dict[str, bytes] = {}
    reader = threading.Thread(target=lambda: rest.update(data=parent.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(20)  # the parent is not reaped: no wait() until the end
    survivors = [pid for pid in pids if alive(pid)]
    try:
        assert not reader.is_alive(), "the killed batch's stdout never reached its end"
        assert survivors == [], survivors
    finally:
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        parent.wait()


# ---------------------------------------------------------------------------- SIGTERM


@pytest.mark.slow
def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path: Path) -> None:
    people = people_file(tmp_path, 60)
    out = tmp_path / "plans"
    env = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""}
    batch = subprocess.Popen(
        [sys.executable, "-m", "routinegen", "batch", str(people), "-o", str(out), "-w", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    summary = out / "summary.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob("p*.json")):
        time.sleep(0.05)
    batch.send_signal(signal.SIGTERM)
    _, stderr = batch.communicate(timeout=60)
    assert batch.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    state = json.loads(summary.read_text(encoding="utf-8"))
    assert state["state"] == "interrupted", state["state"]
    assert not [p for p in out.rglob("*.tmp")]


def test_sigterm_raises_the_interrupt_inside_a_command() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with pytest.raises(Interrupted):
            _run(lambda: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(5)))  # type: ignore[func-returns-value]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_an_interrupt_before_the_run_starts_leaves_no_running_summary(tmp_path: Path) -> None:
    out = tmp_path / "plans"
    with pytest.raises(Interrupted), run_module.BatchRun(out, [], [], []):
        assert json.loads((out / "summary.json").read_text())["state"] == "running"
        raise Interrupted
    assert json.loads((out / "summary.json").read_text())["state"] == "interrupted"


# ---------------------------------------------------------------------------- partial outputs


def batch(*args: str) -> Any:
    return CliRunner().invoke(app, ["batch", *args], env=ENV, catch_exceptions=True)


def test_a_sidecar_path_that_is_a_folder_leaves_no_outputs(tmp_path: Path) -> None:
    people = people_file(tmp_path, 2)
    out = tmp_path / "plans"
    (out / ".routinegen-batch" / "p0.json").mkdir(parents=True)
    result = batch(str(people), "-o", str(out), "-F", "json,ical", "-w", "0", "--quiet")
    assert result.exit_code == 1, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {p["id"]: p["status"] for p in summary["people"]}
    assert status == {"p0": "error", "p1": "ok"}, summary["people"]
    assert not (out / "p0.json").exists() and not (out / "p0.ics").exists()
    assert (out / "p1.json").exists() and (out / "p1.ics").exists()


@pytest.mark.parametrize("failing", ["json", "ics"])
def test_a_person_whose_second_output_fails_keeps_neither(
    failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = run_module.write_atomic

    def write(path: str | Path, data: bytes) -> None:
        if str(path).endswith(f"p0.{failing}"):
            raise InputError(f"{path}: cannot write (File too large)")
        real(path, data)

    monkeypatch.setattr(run_module, "write_atomic", write)
    people = people_file(tmp_path, 1)
    out = tmp_path / "plans"
    result = batch(str(people), "-o", str(out), "-F", "json,ical", "-w", "0", "--quiet")
    assert result.exit_code == 1, result.stderr
    person = json.loads((out / "summary.json").read_text(encoding="utf-8"))["people"][0]
    assert person["status"] == "error" and "File too large" in person["message"]
    assert sorted(p.name for p in out.iterdir()) == [".routinegen-batch", "summary.json"]
    assert list((out / ".routinegen-batch").glob("p0*")) == []


@pytest.mark.slow
def test_sigterm_stops_a_long_solve_like_ctrl_c(tmp_path: Path) -> None:
    """A week of long sessions solves for seconds: SIGTERM ends it at once, exit 130, and
    nothing is written (no output, no temp file)."""
    args = ["week", "--days", "mon,tue,wed,thu,fri,sat", "--weeks", "4", "-m", "60"]
    args += ["-f", "full-body", "-e", "dumbbell,kettlebell", "--time-limit", "30"]
    env = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""}
    week = subprocess.Popen(
        [sys.executable, "-m", "routinegen", *args, "-o", str(tmp_path / "w.json")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.5)  # imports done, solving
    if week.poll() is not None:
        pytest.skip("the plan was solved before the signal could be sent")
    started = time.monotonic()
    week.send_signal(signal.SIGTERM)
    _, stderr = week.communicate(timeout=30)
    assert week.returncode == 130, stderr
    assert "interrupted; nothing was written" in stderr
    assert time.monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []
