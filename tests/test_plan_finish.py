"""Plans that finish (issue 14, item 5): a plan that is not proven is still the answer, with
its gap, and exit 0 with a warning; the wall clock is a safety net that says when it cut a
search; the time limit bounds the whole call; no plan at all is a clear error."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from typer.testing import CliRunner

from routinegen.api import make_plan
from routinegen.cli import app
from routinegen.cli.week import warn_unproven
from routinegen.results import SolverInfo
from routinegen.solve_options import PLAN_WORK_PER_SECOND, SolveOptions
from routinegen.solver.plan_solve import plan_work

# A 4-week back plan whose search its deterministic budget stops before the proof.
HARD = dict(days="mon,wed,fri", weeks=4, minutes=20, equipment="dumbbell", focus="back")
HARD_FLAGS = ["--days", "mon,wed,fri", "--weeks", "4", "-m", "20", "-e", "dumbbell"]
HARD_FLAGS += ["-f", "back", "--start", "2026-11-30", "--tz", "UTC"]


def hard_plan(**solve: Any) -> Any:
    return make_plan(**HARD, start="2026-11-30", tz="UTC", solve_options=SolveOptions(**solve))


def test_an_unproven_plan_is_the_best_found_with_its_gap() -> None:
    plan = hard_plan(time_limit=120, parameters={"max_deterministic_time": 3.0})
    info = plan.solver
    assert info.status == "FEASIBLE" and not info.proven_optimal
    assert info.bound is not None and info.bound > info.objective
    assert 0 < info.gap < 1
    assert not info.stopped_by_wall_clock
    assert info.work_seconds is not None and info.work_seconds <= 3.0 + 0.2
    assert len(plan.sessions) == 12


def test_an_unproven_plan_exits_0_with_a_warning_naming_its_gap() -> None:
    """``--time-limit 15`` is three deterministic seconds of search: not enough for the
    proof, on any machine."""
    result = CliRunner().invoke(
        app, ["week", *HARD_FLAGS, "--time-limit", "15", "-F", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert '"status": "FEASIBLE"' in result.stdout
    assert "not proven optimal (gap " in result.stderr
    assert "%" in result.stderr


def test_the_wall_clock_flag_is_set_when_the_time_limit_cuts_a_search() -> None:
    """A deterministic budget far beyond the wall limit: the wall clock ends the search,
    the plan is still returned, and the time limit holds for the whole call."""
    started = time.perf_counter()
    plan = hard_plan(time_limit=4.0, parameters={"max_deterministic_time": 1000.0})
    elapsed = time.perf_counter() - started
    assert plan.solver.stopped_by_wall_clock
    assert elapsed < 4.0 + 1.5  # the search stops on time; reading the plan is quick
    assert len(plan.sessions) == 12


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


def test_no_plan_at_all_is_a_clear_error() -> None:
    result = CliRunner().invoke(
        app,
        [
            *("week", "--days", "mon,tue,thu,sat", "--weeks", "12", "--deload"),
            *("--split", "upper-lower", "--time-limit", "0.05", "-F", "json"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert "no plan found within the 0.05 s time limit" in result.stderr
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


@pytest.mark.slow
def test_a_twelve_week_plan_ends_with_a_plan_that_keeps_the_plan_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Solved in blocks of weeks, the last first: recovery, repeats, distinct sessions,
    progression and the deload still hold across the whole plan, by the plan judge."""
    import judges.plan as judge
    from helpers.plans import plan_for

    monkeypatch.setattr(judge, "item_work", _item_work)  # until the judge reads timed work
    request, plan = plan_for(
        days="mon,tue,thu,sat", weeks=12, deload=True, split="upper-lower", start="2026-11-30"
    )
    assert len(plan.sessions) == 48
    assert plan.solver.bound is not None
    problems = judge.check_plan(plan, request)
    # The plan's own rules; a session's are said as "2026-11-30: ..." (a recovery problem
    # as "2026-11-30 and 2026-12-01 both work ...", so it is kept).
    assert [p for p in problems if not re.match(r"\d{4}-\d\d-\d\d: ", p)] == []


def _item_work(item: Any) -> int:
    """The plan judge's ``item_work``, for timed doses too (it reads reps or hold only)."""
    import judges.plan as judge
    from judges.routine import work_per_side

    exercise = judge.CATALOG.get(item.id)
    amount = item.reps if item.reps is not None else item.work_seconds
    return int(work_per_side(exercise, amount) * (2 if exercise.unilateral else 1))
