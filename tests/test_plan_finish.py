"""Plans that finish (issue 14, item 5): a plan that is not proven is still the answer, with
its gap, and exit 0 with a warning; the wall clock is a safety net that says when it cut a
search; the time limit bounds the whole call; no plan at all is a clear error; long plans
are proven."""

from __future__ import annotations

import time
from typing import Any

import pytest
from helpers.big_catalog import write_big_catalog
from typer.testing import CliRunner

from routinegen.api import make_plan
from routinegen.cli import app
from routinegen.cli.week import warn_unproven
from routinegen.errors import RoutinegenError
from routinegen.results import SolverInfo
from routinegen.solve_options import PLAN_WORK_PER_SECOND, SolveOptions
from routinegen.solver.plan_solve import plan_work

# A 4-week plan on a generated catalog of 300 distinct exercises, with weekly targets no
# plan reaches, whose search 0.3 deterministic seconds stop before the proof (so do 3).
# Built-in plans are proven in well under a second (one model of the recurring sessions).
HARD = dict(days="mon,wed,fri", weeks=4, minutes=20, focus="all", volume="all=30-40")
HARD_FLAGS = ["--days", "mon,wed,fri", "--weeks", "4", "-m", "20", "-f", "all"]
HARD_FLAGS += ["--volume", "all=30-40"]
HARD_FLAGS += ["--start", "2026-11-30", "--tz", "UTC"]
HARD_WORK = 0.3


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_big_catalog(tmp_path_factory.mktemp("big") / "big.yaml", size=300))


def hard_plan(big: str, **solve: Any) -> Any:
    return make_plan(
        **HARD, catalog=big, start="2026-11-30", tz="UTC", solve_options=SolveOptions(**solve)
    )


def test_an_unproven_plan_is_the_best_found_with_its_gap(big: str) -> None:
    plan = hard_plan(big, time_limit=120, parameters={"max_deterministic_time": HARD_WORK})
    info = plan.solver
    assert info.status == "FEASIBLE" and not info.proven_optimal
    assert info.bound is not None and info.bound > info.objective
    assert 0 < info.gap < 1
    assert not info.stopped_by_wall_clock
    assert info.work_seconds is not None and info.work_seconds <= HARD_WORK + 0.2
    assert len(plan.sessions) == 12


def test_an_unproven_plan_exits_0_with_a_warning_naming_its_gap(
    big: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--time-limit 15`` made worth 0.3 deterministic seconds of search: not enough for
    the proof, on any machine."""
    import routinegen.solver.plan_solve as plan_solve

    monkeypatch.setattr(plan_solve, "PLAN_WORK_PER_SECOND", HARD_WORK / 15)
    result = CliRunner().invoke(
        app,
        ["week", *HARD_FLAGS, "--catalog", big, "--time-limit", "15", "-F", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert '"status": "FEASIBLE"' in result.stdout
    assert "not proven optimal (gap " in result.stderr
    assert "%" in result.stderr


def test_the_wall_clock_ends_a_search_its_budget_would_not(big: str) -> None:
    """A deterministic budget far beyond the wall limit: the wall clock ends the search,
    and the call ends on time, with the best plan found (flagged) or, when none was
    found yet, the error that says the limit ended it."""
    started = time.perf_counter()
    try:
        plan = hard_plan(big, time_limit=1.0, parameters={"max_deterministic_time": 1000.0})
    except RoutinegenError as error:
        assert "no plan found within the 1 s time limit" in str(error)
    else:
        assert plan.solver.stopped_by_wall_clock
        assert len(plan.sessions) == 12
    assert time.perf_counter() - started < 1.0 + 1.5


def test_a_search_its_budget_ends_is_not_flagged() -> None:
    plan = make_plan(
        days="mon,wed,fri",
        minutes=15,
        start="2026-11-30",
        tz="UTC",
        solve_options=SolveOptions(time_limit=120, parameters={"max_deterministic_time": 0.5}),
    )
    assert not plan.solver.stopped_by_wall_clock


def test_the_warnings_say_what_happened(capsys: pytest.CaptureFixture[str]) -> None:
    warn_unproven(SolverInfo("OPTIMAL", 1.0, 7, 7))
    assert capsys.readouterr().err == ""
    warn_unproven(SolverInfo("FEASIBLE", 1.0, 30, 34, stopped_by_wall_clock=True))
    err = capsys.readouterr().err
    assert "cut the search short" in err
    assert "gap 11.8%: objective 30, bound 34" in err
    warn_unproven(SolverInfo("FEASIBLE", 1.0, 30, None))
    assert "gap unknown" in capsys.readouterr().err


def test_no_plan_at_all_is_a_clear_error(big: str) -> None:
    result = CliRunner().invoke(
        app,
        ["week", *HARD_FLAGS, "--catalog", big, "--time-limit", "0.01", "-F", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert "no plan found within the 0.01 s time limit" in result.stderr
    assert result.stdout == ""


def test_the_default_limits_grow_with_the_plan() -> None:
    """The deterministic budget is a fixed share of the limit (given or default), so the
    same request and limit search the same on any machine."""
    one, four, twelve = (SolveOptions().plan_seconds(w) for w in (1, 4, 12))
    assert one < four < twelve <= 60
    assert plan_work(SolveOptions(), 4) == pytest.approx(PLAN_WORK_PER_SECOND * four)
    assert plan_work(SolveOptions(time_limit=10), 12) == pytest.approx(PLAN_WORK_PER_SECOND * 10)
    given = SolveOptions(parameters={"max_deterministic_time": 3})
    assert plan_work(given, 12) == 3


def test_a_twelve_week_plan_is_proven_and_keeps_the_plan_rules() -> None:
    """One model of the recurring sessions, whatever the plan's length: twelve weeks of
    four days with deloads are proven optimal, and the plan judge finds nothing wrong."""
    import judges.plan as judge
    from helpers.plans import plan_for

    request, plan = plan_for(
        days="mon,tue,thu,sat", weeks=12, deload=True, split="upper-lower", start="2026-11-30"
    )
    assert len(plan.sessions) == 48
    assert plan.solver.status == "OPTIMAL"
    assert request.rules.deload_weeks == (6, 12)
    assert judge.check_plan(plan, request) == []
