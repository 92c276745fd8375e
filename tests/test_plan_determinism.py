"""The same plan request gives the same bytes in every process, on an idle machine and on
one whose other core is busy (issue 14, item 4): every search that decides a plan runs on
a deterministic budget, and the wall clock is only the safety net.

Each run is a separate process (``python -m routinegen``), so nothing is shared between
runs: not the hash seed, not a cache, not the solver's state."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

EPOCH = "1700000000"
RUNS = 3
# The issue's own example: three runs gave two plans when its search stopped at the time
# limit. Its search now stops on its deterministic budget, far inside the time limit.
ISSUE_PLAN = ["--days", "mon,wed,fri", "--weeks", "4", "--start", "2026-03-23"]
BUSY_LOOP = "while True: pass"
# A plan its deterministic budget stops before it is proven (a 6-day full-body plan:
# FEASIBLE with a gap after 1 deterministic second), solved through the API with a wall
# limit far above what the budget needs, so that only a machine many times slower would
# cut it; rendered by the exporters.
UNPROVEN_SCRIPT = """
import sys
from routinegen.api import make_plan
from routinegen.exporter import RenderContext
from routinegen.plugins import ical, json
from routinegen.solve_options import SolveOptions

plan = make_plan(
    days="mon,tue,wed,thu,fri,sat", weeks=4, minutes=45, focus="full-body",
    equipment="dumbbell,kettlebell,bench", start="2026-11-30", tz="Europe/Berlin",
    solve_options=SolveOptions(time_limit=120, parameters={"max_deterministic_time": 1.0}),
)
assert not plan.solver.proven_optimal and not plan.solver.stopped_by_wall_clock, plan.solver
exporter = {"json": json, "ical": ical}[sys.argv[1]].EXPORTER
out = exporter.render(plan, exporter.options.build({}, exporter.name), RenderContext.now())
sys.stdout.buffer.write(out if isinstance(out, bytes) else out.encode())
"""


def environment() -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TZ": "UTC"}
    env.pop("PYTHONHASHSEED", None)  # each process hashes strings its own way
    return env


def week(args: list[str], fmt: str) -> bytes:
    """One ``week`` run in its own process: the plan's bytes."""
    done = subprocess.run(
        [sys.executable, "-m", "routinegen", "week", *args, "--tz", "Europe/Berlin", "-F", fmt],
        capture_output=True,
        env=environment(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"cut the search short" not in done.stderr, done.stderr.decode()
    return done.stdout


def unproven(fmt: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-c", UNPROVEN_SCRIPT, fmt],
        capture_output=True,
        env=environment(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@contextmanager
def other_core_busy() -> Iterator[None]:
    """A second process spinning on the other core while the runs solve."""
    burner = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        yield
    finally:
        burner.kill()
        burner.wait()


def three_runs(run: Callable[[], bytes]) -> list[bytes]:
    return [run() for _ in range(RUNS)]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "ical"])
def test_the_issue_plan_is_the_same_bytes_in_every_process_and_under_load(fmt: str) -> None:
    quiet = three_runs(lambda: week(ISSUE_PLAN, fmt))
    with other_core_busy():
        loaded = three_runs(lambda: week(ISSUE_PLAN, fmt))
    assert len(set(quiet + loaded)) == 1, "the same request gave different plans"
    assert quiet[0].strip()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "ical"])
def test_a_plan_its_budget_stops_is_the_same_bytes_under_load(fmt: str) -> None:
    """The plan is not proven: its search ends on the deterministic budget, so this is
    where a time-bound search would differ from run to run."""
    quiet = three_runs(lambda: unproven(fmt))
    with other_core_busy():
        loaded = three_runs(lambda: unproven(fmt))
    assert len(set(quiet + loaded)) == 1, "the same request gave different plans"
    assert quiet[0].strip()
