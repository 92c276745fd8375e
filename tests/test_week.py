"""Weekly plans, judged independently: each session by the routine checker, and the week's
own rules (recovery, variety, coverage, progression, dates) recomputed from the Plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from judges.routine import check_routine, work_per_side

from routinegen.catalog import load_catalog
from routinegen.errors import Infeasible, InputError
from routinegen.request.plan import WEEKDAYS, resolve_plan_request
from routinegen.request.settings import Setting
from routinegen.solve_options import SolveOptions
from routinegen.solver.plan_solve import solve_plan
from routinegen.solver.solve import solve_routine

CATALOG = load_catalog("full-body")
DELOAD_FILL = 0.5  # documented in plan_model: a deload week fills at least half its time
DELOAD_SHARE = 0.6


def plan_for(**options: Any) -> tuple[Any, Any]:
    settings_ = {k: Setting(v, f"--{k}") for k, v in options.items()}
    request = resolve_plan_request(CATALOG, settings_)
    seconds = options.get("time_limit")
    return request, solve_plan(CATALOG, request, SolveOptions(time_limit=seconds))


def item_work(item: Any) -> int:
    exercise = CATALOG.get(item.id)
    amount = item.hold_seconds if item.hold_seconds is not None else item.reps
    return work_per_side(exercise, amount) * (2 if exercise.unilateral else 1)


def check_plan(plan: Any, request: Any) -> list[str]:
    """Every week rule the plan breaks, in words."""
    problems: list[str] = []
    rules = request.rules
    if len(plan.sessions) != len(request.slots):
        return [f"{len(plan.sessions)} sessions for {len(request.slots)} slots"]
    days = {d.split("=")[0] for d in rules.days}
    deload_week = rules.weeks if rules.deload and rules.weeks > 1 else None
    for session, slot in zip(plan.sessions, request.slots, strict=True):
        if WEEKDAYS[session.date.weekday()] not in days:
            problems.append(f"{session.date} is not one of {sorted(days)}")
        if session.start != slot.start or session.start.date() != session.date:
            problems.append(f"{session.date}: starts at {session.start}, asked {slot.start}")
        session_request = slot.request
        if session.week == deload_week:
            session_request = replace(session_request, min_fill=DELOAD_FILL)
        problems += [
            f"{session.date}: {p}" for p in check_routine(session.routine, CATALOG, session_request)
        ]

    # Recovery: sessions closer than the recovery time share no primary muscle.
    for a, b in combinations(plan.sessions, 2):
        if abs(b.start - a.start) < timedelta(hours=rules.recovery_hours):
            shared = {m for i in a.routine.items for m in i.primary} & {
                m for i in b.routine.items for m in i.primary
            }
            if shared:
                problems.append(f"{a.date} and {b.date} both work {sorted(shared)} as primary")

    weekly_work = []
    for week in range(1, rules.weeks + 1):
        in_week = [s for s in plan.sessions if s.week == week]
        counts: dict[str, int] = {}
        for s in in_week:
            for item in s.routine.items:
                counts[item.id] = counts.get(item.id, 0) + 1
        for exercise_id, count in counts.items():
            if count > rules.max_repeats:
                problems.append(f"week {week}: {exercise_id} comes {count} times")
        for a, b in combinations(in_week, 2):
            if {i.id for i in a.routine.items} == {i.id for i in b.routine.items}:
                problems.append(f"week {week}: {a.date} and {b.date} are the same session")
        worked = {m for s in in_week for i in s.routine.items for m in i.primary}
        missing = set(request.focus) - worked
        if missing:
            problems.append(f"week {week}: {sorted(missing)} never worked as primary")
        weekly_work.append(
            sum(s.routine.rounds * item_work(i) for s in in_week for i in s.routine.items)
        )
    if tuple(weekly_work) != plan.weekly_work_seconds:
        problems.append(f"weekly work {plan.weekly_work_seconds}, recomputed {weekly_work}")
    lo, hi = rules.progression
    for week in range(1, rules.weeks):
        before, after = weekly_work[week - 1], weekly_work[week]
        if week + 1 == deload_week:
            if after > before * DELOAD_SHARE + 1e-9:
                problems.append(f"deload week {week + 1}: {after} s after {before} s")
        elif not before * (1 + lo) - 1e-6 <= after <= before * (1 + hi) + 1e-6:
            problems.append(
                f"week {week + 1}: {after} s of work after {before} s, outside +{lo:.0%}..+{hi:.0%}"
            )
    return problems


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
        plan_for(days="mon,tue", minutes=15, start="2026-11-30")
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
        assert caught.value.conflicts == alone.value.conflicts

    no_traps = ",".join(e.id for e in back.exercises if "traps" in e.primary)
    split = {"split": "back-week", "exclude": no_traps, "weeks": 2}
    with pytest.raises(Infeasible) as caught:
        solve_plan(back, resolve_plan_request(back, {k: Setting(v, k) for k, v in split.items()}))
    assert caught.value.conflicts[0].startswith("the ")
    assert "Traps" in caught.value.conflicts[0]


@pytest.mark.slow
def test_limits_are_narrowed_down_when_the_assumptions_are_not_settled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the assumption core (as when it runs out of time) the deletion filter starts
    from every limit, and still names the conflicting ones."""
    from routinegen.solver import explain

    with pytest.raises(Infeasible) as usual:
        plan_for(days="mon,tue", minutes=15, start="2026-11-30")
    monkeypatch.setattr(explain.Checks, "core", lambda self: None)
    with pytest.raises(Infeasible) as narrowed:
        plan_for(days="mon,tue", minutes=15, start="2026-11-30")
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
