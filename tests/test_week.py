"""Weekly plans, judged independently: each session by the routine checker, and the week's
own rules (recovery, variety, coverage, progression, dates) recomputed from the Plan."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.plans import plan_for
from hypothesis import given, settings
from hypothesis import strategies as st
from judges.plan import CATALOG, check_plan

from routinegen.catalog import load_catalog
from routinegen.errors import Infeasible, InputError
from routinegen.request.plan import WEEKDAYS, resolve_plan_request
from routinegen.request.settings import Setting
from routinegen.solver.plan_solve import solve_plan
from routinegen.solver.solve import solve_routine


def test_three_day_week_is_valid_and_optimal() -> None:
    request, plan = plan_for(
        days="mon,wed,fri", minutes=20, equipment="dumbbell", start="2026-11-30"
    )
    assert check_plan(plan, request) == []
    assert plan.solver.status == "OPTIMAL"
    assert [s.date.isoformat() for s in plan.sessions] == ["2026-11-30", "2026-12-02", "2026-12-04"]


@pytest.mark.slow
def test_split_with_per_day_budgets() -> None:
    request, plan = plan_for(
        days="mon=15,tue=20,thu,fri=30",
        minutes=25,
        split="upper-lower",
        equipment="dumbbell",
        start="2026-11-30",
    )
    assert check_plan(plan, request) == []
    assert [s.routine.budget_seconds for s in plan.sessions] == [900, 1200, 1500, 1800]
    assert [s.focus_label for s in plan.sessions] == ["upper", "lower", "upper", "lower"]


def test_two_weeks_progress_and_dst_keeps_local_time() -> None:
    request, plan = plan_for(
        days="fri,mon",
        minutes=15,
        weeks=2,
        equipment="kettlebell",
        start="2026-10-19",
        time="07:30",
        tz="Europe/Berlin",
        time_limit=5,
    )
    assert check_plan(plan, request) == []
    offsets = {s.start.utcoffset() for s in plan.sessions}
    assert len(offsets) == 2  # summer and winter time
    assert {(s.start.hour, s.start.minute) for s in plan.sessions} == {(7, 30)}


def test_consecutive_days_explained() -> None:
    with pytest.raises(Infeasible) as caught:
        plan_for(days="mon,tue", minutes=15, focus="lats", start="2026-11-30")
    message = str(caught.value)
    assert "two days in a row" in message and "mon,tue" in message


def test_a_session_that_cannot_be_met_alone_is_explained_as_that_session(
    make_request: Any,
) -> None:
    """The plan's words are the session's own, for one week or several; with a split, the
    sessions are named."""
    back = load_catalog("back")
    options = dict(equipment="none", level="beginner", focus="traps")
    with pytest.raises(Infeasible) as alone:
        solve_routine(back, make_request(back, **options))
    for weeks in (1, 3):
        settings_ = {k: Setting(v, f"--{k}") for k, v in options.items()}
        settings_["weeks"] = Setting(weeks, "--weeks")
        with pytest.raises(Infeasible) as caught:
            solve_plan(back, resolve_plan_request(back, settings_))
        if weeks == 1:
            assert caught.value.conflicts == alone.value.conflicts
        else:  # a plan over weeks may dose up to the range ends, so its reasons may differ
            assert any("bodyweight only" in c for c in caught.value.conflicts)

    no_traps = ",".join(e.id for e in back.exercises if "traps" in e.primary)
    kit = "kettlebell,dumbbell,pullup_bar"  # enough for the other session without them
    split = {"split": "back-week", "exclude": no_traps, "weeks": 2, "equipment": kit}
    with pytest.raises(Infeasible) as caught:
        solve_plan(back, resolve_plan_request(back, {k: Setting(v, k) for k, v in split.items()}))
    assert caught.value.conflicts[0].startswith("the ")  # a session of the split, named
    assert "Traps" in caught.value.conflicts[0]


@pytest.mark.slow
def test_limits_are_narrowed_down_when_the_assumptions_are_not_settled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the assumption core (as when it runs out of time) the deletion filter starts
    from every limit, and still names the conflicting ones."""
    from routinegen.solver import explain

    with pytest.raises(Infeasible) as usual:
        plan_for(days="mon,tue", minutes=15, focus="lats", start="2026-11-30")
    monkeypatch.setattr(explain.Checks, "core", lambda self: None)
    with pytest.raises(Infeasible) as narrowed:
        plan_for(days="mon,tue", minutes=15, focus="lats", start="2026-11-30")
    assert "two days in a row" in str(narrowed.value)
    assert "no plan was found" not in str(narrowed.value)
    assert len(str(narrowed.value)) <= len(str(usual.value)) * 2


def test_same_seed_same_plan_new_seed_new_plan() -> None:
    base = dict(days="mon,wed,fri", minutes=20, equipment="none", start="2026-11-30")
    plans = [plan_for(**base, seed=seed)[1] for seed in (0, 0, 1, 2)]

    def ids(plan: Any) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(i.id for i in s.routine.items) for s in plan.sessions)

    assert ids(plans[0]) == ids(plans[1])
    assert len({ids(p) for p in plans[1:]}) >= 2


@pytest.mark.parametrize(
    "bad",
    [
        {"days": "mon,funday"},
        {"days": "mon,mon"},
        {"weeks": 0},
        {"time": "25:00"},
        {"progression": "30-10"},
        {"split": "nope"},
        {"days": "mon=500"},
    ],
)
def test_bad_plan_settings_name_the_option(bad: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        plan_for(**{"days": "mon,wed", "minutes": 15, **bad})
    assert f"--{next(iter(bad))}" in str(caught.value) or "split" in str(caught.value)


@settings(max_examples=12, deadline=None)
@given(
    days=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=4, unique=True),
    minutes=st.integers(10, 40),
    equipment=st.sampled_from(["none", "kettlebell", "dumbbell"]),
    split=st.sampled_from([None, "upper-lower", "back-week", "push-pull-legs"]),
    seed=st.integers(0, 50),
)
@pytest.mark.slow
def test_random_plans_are_valid_or_explained(
    days: list[str], minutes: int, equipment: str, split: str | None, seed: int
) -> None:
    options: dict[str, Any] = dict(
        days=",".join(days),
        minutes=minutes,
        equipment=equipment,
        seed=seed,
        start="2026-11-30",
        time_limit=5,
    )
    if split:
        options["split"] = split
    try:
        request, plan = plan_for(**options)
    except Infeasible as exc:
        assert exc.conflicts and all(exc.conflicts)
        return
    assert check_plan(plan, request) == []


def test_a_day_budget_out_of_range_names_where_it_was_given(tmp_path: Any) -> None:
    """A preset's ``days: mon=300`` is blamed on the preset's line, a flag's on --days."""
    preset = tmp_path / "long.yaml"
    preset.write_text("days: mon=300,wed\n", encoding="utf-8")
    from routinegen.api import plan_from_settings, settings_from

    with pytest.raises(InputError) as caught:
        plan_from_settings(settings_from(str(preset), {}), catalog=CATALOG)
    assert str(caught.value) == (f"{preset}:1: days: a session lasts 1 to 240 minutes, got 300")
    with pytest.raises(InputError, match=r"^--days: a session lasts 1 to 240 minutes, got 0$"):
        plan_from_settings(settings_from(None, {"days": "mon=0"}), catalog=CATALOG)
    plan = plan_from_settings(settings_from(None, {"days": "mon=240"}), catalog=CATALOG)
    assert plan.sessions[0].routine.budget_seconds == 240 * 60
