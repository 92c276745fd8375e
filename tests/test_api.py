"""The public Python API: the same names, defaults, results and errors as the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from judges.routine import check_routine
from typer.testing import CliRunner

import routinegen
from routinegen.cli import app
from routinegen.output.document import to_document

EPOCH = "1767225600"


def test_make_routine_is_make(monkeypatch: pytest.MonkeyPatch, make_request: Any) -> None:
    """The API's routine is the command's, byte for byte in its JSON document."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    routine = routinegen.make_routine(
        minutes=15, equipment=["kettlebell"], seed=3, start="2026-11-30"
    )
    args = [
        "make",
        "-m",
        "15",
        "-e",
        "kettlebell",
        "--seed",
        "3",
        "--start",
        "2026-11-30",
        "-F",
        "json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == to_document(routine, reproducible=True)
    catalog = routinegen.load_catalog()
    request = make_request(catalog, minutes=15, equipment="kettlebell", seed=3)
    assert check_routine(routine, catalog, request) == []
    assert routine.solver.proven_optimal


def test_defaults_are_the_flags_defaults() -> None:
    routine = routinegen.make_routine()
    assert routine.request.minutes == 15
    assert routine.request.focus_label == "back"
    assert routine.request.level == "intermediate"
    assert routine.request.catalog == "full-body"
    assert routine.request.equipment == ("none",)


def test_a_loaded_catalog_and_a_preset() -> None:
    catalog = routinegen.load_catalog("back")
    routine = routinegen.make_routine(preset="back-15", catalog=catalog, seed=1)
    assert routine.request.catalog == "back"
    assert {item.id for item in routine.items} <= {e.id for e in catalog.exercises}


def test_bad_values_raise_the_commands_errors() -> None:
    with pytest.raises(routinegen.InputError, match=r"--minutes: must be from 1 to 240, got 0"):
        routinegen.make_routine(minutes=0)
    with pytest.raises(routinegen.InputError, match="unknown equipment 'kettlebel'"):
        routinegen.make_routine(equipment="kettlebel")
    with pytest.raises(routinegen.InputError, match="unknown catalog"):
        routinegen.load_catalog("no-such-catalog")


def test_an_infeasible_request_raises_with_the_conflict() -> None:
    with pytest.raises(routinegen.Infeasible) as caught:
        routinegen.make_routine(minutes=5, exercises=8, rounds=3)
    assert caught.value.exit_code == 3
    assert caught.value.conflicts
    assert "minutes" in caught.value.conflicts[0]


def test_make_plan_is_week() -> None:
    plan = routinegen.make_plan(days=["mon", "wed", "fri"], minutes=20, start="2026-11-30")
    assert [s.date.isoformat() for s in plan.sessions] == [
        "2026-11-30",
        "2026-12-02",
        "2026-12-04",
    ]
    assert plan.rules.recovery_hours == 48
    with pytest.raises(routinegen.InputError, match="--days"):
        routinegen.make_plan(days="mon,xyz")


def test_importing_routinegen_loads_no_solver() -> None:
    probe = (
        "import sys, routinegen\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ortools', 'routinegen.solver'))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "[]"


def test_solve_options_are_passed_in_not_patched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget and machinery come in a SolveOptions; the time_limit option wins over it."""
    from routinegen import Infeasible, SolveOptions
    from routinegen.solver import budget, explain

    seen: list[float] = []
    original = budget.make_solver

    def spy(request: Any, options: SolveOptions, seconds: float, *rest: Any) -> Any:
        seen.append(seconds)
        return original(request, options, seconds, *rest)

    monkeypatch.setattr(budget, "make_solver", spy)
    routinegen.make_routine(minutes=10, solve_options=SolveOptions(time_limit=2.5))
    assert seen and max(seen) <= 2.5
    seen.clear()
    routinegen.make_routine(minutes=10, time_limit=1.5, solve_options=SolveOptions(time_limit=9))
    assert seen and max(seen) <= 1.5
    same = routinegen.make_routine(minutes=10, seed=4)
    assert (
        routinegen.make_routine(
            minutes=10, seed=4, solve_options=SolveOptions(preprocess=False)
        ).solver.objective
        == same.solver.objective
    )  # preprocessing is exact
    with pytest.raises(Infeasible) as quiet:
        routinegen.make_routine(minutes=5, exercises="8", solve_options=SolveOptions(explain=False))
    assert quiet.value.conflicts == [explain.NOT_EXPLAINED]
    with pytest.raises(routinegen.RoutinegenError, match="CP-SAT has no parameter 'warp'"):
        routinegen.make_routine(minutes=10, solve_options=SolveOptions(parameters={"warp": 1}))
