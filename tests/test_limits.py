"""Every limit, one case where it holds and one where it cannot: the routine or plan that
holds is checked by the independent judges, and the explanation of the one that cannot must
name the limit (its code for programs, its words for people).

A new limit class fails ``test_every_limit_has_its_cases`` until it has both cases here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from helpers.plans import plan_for
from judges.plan import CATALOG, check_plan
from judges.routine import check_routine

from routinegen import api
from routinegen.catalog import BODYWEIGHT
from routinegen.errors import Infeasible, InputError
from routinegen.solver.limits.plan import PlanLimit
from routinegen.solver.limits.session import ExerciseFilter, SessionLimit
from routinegen.solver.solve import solve_routine

TINY = "tests/fixtures/tiny.yaml"  # single doses; traps only with a kettlebell
TAGGED = "tests/fixtures/tagged.yaml"  # one shrug, tagged spinal_loading
# Small, fixed sessions of the tiny catalog: one kettlebell shrug (29 s) fits them.
SHRUG = dict(catalog=TINY, focus=["traps"], equipment=["kettlebell"], minutes=1, min_fill=0.1)


def routine(make_request: Callable[..., Any], **flags: Any) -> Any:
    """The routine for ``flags``, after the judge has found nothing wrong with it."""
    request = make_request(CATALOG, **flags)
    made = solve_routine(CATALOG, request)
    assert check_routine(made, CATALOG, request) == []
    return made


def plan(**flags: Any) -> Any:
    request, made = plan_for(start="2026-11-30", **flags)
    assert check_plan(made, request) == []
    return made


# kind -> a test of a request the limit shapes and the routine or plan keeps
HOLDS: dict[str, Callable[[Callable[..., Any]], None]] = {
    "rounds": lambda mr: _equal(routine(mr, minutes=50, rounds="5", exercises="6").rounds, 5),
    "count": lambda mr: _equal(len(routine(mr, minutes=20, exercises="4").items), 4),
    "max_time": lambda mr: _at_most(routine(mr, minutes=7).total_seconds, 7 * 60),
    "fill": lambda mr: _at_least(
        routine(mr, minutes=12, min_fill=0.99, warmup=False, cooldown=False).total_seconds, 713
    ),
    "muscle": lambda mr: _equal(
        any(
            "biceps" in i.primary
            for i in routine(
                mr, minutes=15, focus="biceps", equipment="dumbbell", min_fill=0.5
            ).items
        ),
        True,
    ),
    "equipment": lambda mr: _equal(
        {i.equipment for i in routine(mr, minutes=15, equipment="kettlebell").items}
        <= {"kettlebell", BODYWEIGHT},
        True,
    ),
    "level": lambda mr: _equal(
        {CATALOG.get(i.id).level for i in routine(mr, minutes=15, level="beginner").items},
        {"beginner"},
    ),
    "exclude": lambda mr: _equal(
        "push_up" in {i.id for i in routine(mr, minutes=15, exclude="push_up").items}, False
    ),
    "keep": lambda mr: _equal(
        {"wall_slide", "superman_pull"}
        <= {i.id for i in routine(mr, minutes=14, keep="wall_slide,superman_pull").items},
        True,
    ),
    "recovery": lambda mr: _equal(
        len(plan(days="mon,wed,fri", minutes=15, equipment="dumbbell").sessions), 3
    ),
    "repeats": lambda mr: _equal(
        len(plan(days="mon,thu", minutes=12, max_repeats=1, equipment="dumbbell").sessions), 2
    ),
    "distinct": lambda mr: _equal(
        len(plan(days="mon,thu", minutes=12, equipment="dumbbell").sessions), 2
    ),
    "avoid": lambda mr: _equal(
        {
            tag
            for i in routine(mr, minutes=20, equipment="dumbbell", avoid="spinal_loading").items
            for tag in CATALOG.get(i.id).tags
        }
        & {"spinal_loading"},
        set(),
    ),
    "goal": lambda mr: _equal(
        {
            CATALOG.get(i.id).pattern
            for i in routine(
                mr, minutes=30, focus="legs", equipment="dumbbell", goal="strength"
            ).items
        }
        & {"conditioning"},
        set(),
    ),
    "weekly_focus": lambda mr: _equal(  # back on two days in a row: the plan splits it
        {
            m
            for s in plan(days="mon,tue", minutes=15, equipment="dumbbell").sessions
            for i in s.routine.items
            for m in i.primary
        }
        >= {"lats", "rhomboids", "traps", "erector_spinae"},
        True,
    ),
}

# kind -> (the request that cannot be met, words the explanation must hold)
FAILS: dict[str, tuple[Callable[[], Any], str]] = {
    "rounds": (
        lambda: api.make_routine(minutes=30, rounds="5", exercises="6", rest=60),
        "exactly 5 rounds",
    ),
    "count": (lambda: api.make_routine(minutes=5, exercises="8"), "exactly 8 exercises"),
    "max_time": (
        lambda: api.make_routine(minutes=5, exercises="8"),
        "minutes, not 5",
    ),
    "fill": (
        lambda: api.make_routine(minutes=60, rounds="1", exercises="2"),
        "filling at least 90% of 50 minutes of main work",
    ),
    "muscle": (
        lambda: api.make_routine(catalog="back", minutes=10, focus=["lats", "quads"]),
        "no exercise in the catalog works Quads (quadriceps) as a primary muscle",
    ),
    "equipment": (
        lambda: api.make_routine(catalog=TINY, focus=["traps"]),
        "Traps cannot be worked with bodyweight only",
    ),
    "level": (
        lambda: api.make_routine(
            catalog=TINY,
            focus=["lats"],
            level="beginner",
            exclude=["doorway_row"],
            equipment=["dumbbell", "bench", "kettlebell"],
            minutes=1,
            min_fill=0.1,
        ),
        "Lats cannot be worked at beginner level",
    ),
    "exclude": (
        lambda: api.make_routine(**{**SHRUG, "exclude": ["kb_shrug"]}),
        "Traps cannot be worked without the excluded exercises",
    ),
    "keep": (
        lambda: api.make_routine(minutes=15, keep=["bent_over_row"]),
        "these limits conflict: with bodyweight only; keeping Single-Arm Bent-Over Row",
    ),
    "avoid": (
        lambda: api.make_routine(**{**SHRUG, "catalog": TAGGED, "avoid": ["spinal_loading"]}),
        "Traps cannot be worked while avoiding spinal loading",
    ),
    "goal": (
        lambda: api.make_routine(
            catalog=TAGGED, focus=["calves"], goal="strength", minutes=5, min_fill=0.1
        ),
        "Calves cannot be worked with the strength goal (3-6 reps)",
    ),
    "recovery": (  # one focus muscle: both sessions must work it
        lambda: api.make_plan(days="mon,tue", minutes=15, focus="lats", start="2026-11-30"),
        "would need two days in a row with mon,tue only (a muscle rests 48 h)",
    ),
    "repeats": (
        lambda: api.make_plan(days="mon,thu", max_repeats=1, exercises="1-2", rounds="1", **SHRUG),
        "no exercise may come more than once a week",
    ),
    "distinct": (
        lambda: api.make_plan(days="mon,thu", max_repeats=2, exercises="1", rounds="1", **SHRUG),
        "no two sessions of a week may be the same",
    ),
    "weekly_focus": (  # the tiny catalog works biceps only as a secondary muscle
        lambda: api.make_plan(
            days="mon,wed", exercises="1", rounds="1", **{**SHRUG, "focus": ["traps", "biceps"]}
        ),
        "Biceps must be trained on some day of each week",
    ),
}


def _equal(got: Any, expected: Any) -> None:
    assert got == expected


def _at_most(got: float, bound: float) -> None:
    assert got <= bound


def _at_least(got: float, bound: float) -> None:
    assert got >= bound


def _concrete(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= _concrete(sub)
        if "kind" in vars(sub):
            found.add(sub)
    return found


def test_every_limit_has_its_cases() -> None:
    kinds = {cls.kind for cls in _concrete(SessionLimit) | _concrete(PlanLimit)}
    assert ExerciseFilter not in _concrete(SessionLimit)
    assert kinds == set(HOLDS) == set(FAILS)


@pytest.mark.parametrize("kind", sorted(HOLDS))
def test_the_limit_holds(kind: str, make_request: Callable[..., Any]) -> None:
    HOLDS[kind](make_request)


@pytest.mark.parametrize("kind", sorted(FAILS))
def test_a_limit_that_cannot_hold_is_named(kind: str) -> None:
    make, words = FAILS[kind]
    with pytest.raises(Infeasible) as caught:
        make()
    assert words in str(caught.value)
    if kind == "max_time":  # the shortest routine, in minutes, worked out
        assert re.search(r"this needs at least \d+(\.\d)? minutes, not 5", str(caught.value))
    assert kind in {conflict.code for conflict in caught.value.limits}
    for conflict in caught.value.limits:
        assert conflict.sentence  # every listed limit says itself


def test_a_budget_too_short_suggests_the_budget_that_would_work() -> None:
    with pytest.raises(Infeasible) as caught:
        api.make_routine(minutes=5, exercises="8", rounds="1-2")
    assert caught.value.suggestion == "allow at least 11 minutes"
    api.make_routine(minutes=11, exercises="8", rounds="1-2")  # and it does work


def test_a_muscle_no_exercise_reaches_is_listed_with_the_filter_that_removed_them() -> None:
    with pytest.raises(Infeasible) as caught:
        api.make_routine(catalog=TINY, focus=["traps"])
    listed = {(c.code, c.subjects) for c in caught.value.limits}
    assert listed == {("muscle", ("traps",)), ("equipment", ())}


def test_a_swap_replaces_one_exercise_and_keeps_the_rest(make_request: Callable[..., Any]) -> None:
    kit = "kettlebell,dumbbell,pullup_bar"
    first = api.make_routine(minutes=20, equipment=kit, seed=1)
    ids = [item.id for item in first.items]
    for gone in ids:
        swapped = api.swap_exercise(first, gone)
        now = [item.id for item in swapped.items]
        assert gone not in now
        assert set(ids) - {gone} <= set(now) and len(now) == len(ids)
        assert (swapped.rounds, swapped.rest_seconds) == (first.rounds, first.rest_seconds)
        request = make_request(
            CATALOG, minutes=20, equipment=kit, seed=1, exclude=gone, rounds=first.rounds
        )
        assert check_routine(swapped, CATALOG, request) == []


def test_a_swap_of_an_exercise_not_in_the_routine_names_what_is() -> None:
    first = api.make_routine(minutes=10)
    with pytest.raises(InputError, match=r"swap: 'burpee' is not in the routine; it has "):
        api.swap_exercise(first, "burpee")


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (dict(keep="push_up"), r"--keep: push_up works no focus muscle \(back\)"),
        (dict(keep="wall_slide", exclude="wall_slide"), "cannot be both kept and excluded"),
        (dict(keep="no_such"), "--keep: unknown exercise 'no_such'"),
    ],
)
def test_a_keep_that_cannot_be_named_is_refused_before_solving(
    flags: dict[str, str], words: str, make_request: Callable[..., Any]
) -> None:
    with pytest.raises(InputError, match=words):
        make_request(CATALOG, minutes=10, **flags)


def test_explanations_are_found_by_counting_when_they_can_be_and_are_the_same_each_time() -> None:
    """A focus muscle no exercise reaches and a budget too short for the exercise count
    are settled by counting (no solver work to depend on the machine), and the same request
    always gets the same words."""
    from routinegen.request.routine import resolve_request
    from routinegen.request.settings import Setting
    from routinegen.solver.explain import counted_conflict

    def request(**flags: Any) -> Any:
        return resolve_request(CATALOG, {k: Setting(v, f"--{k}") for k, v in flags.items()})

    codes = {c.kind for c in counted_conflict(CATALOG, request(minutes=5, exercises="8")) or ()}
    assert codes == {"max_time", "count"}
    assert counted_conflict(CATALOG, request(minutes=30, exercises="3")) is None
    twice = [str(_raised(lambda: api.make_routine(minutes=5, exercises="8"))) for _ in (1, 2)]
    assert twice[0] == twice[1]


def _raised(make: Callable[[], Any]) -> Infeasible:
    with pytest.raises(Infeasible) as caught:
        make()
    return caught.value
