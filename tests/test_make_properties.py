"""Properties of ``solve_routine``, judged by the independent checker (tests/checker.py).

Solver-backed properties keep to a few dozen derandomized examples (see conftest.py); set
``HYPOTHESIS_PROFILE=long`` to try ten times as many.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import pytest
from helpers.render import render_with
from hypothesis import given, settings
from hypothesis import strategies as st
from judges.routine import LEVELS, check_routine, item_seconds, min_fill_seconds, work_per_side

from routinegen.errors import Infeasible
from routinegen.registry import load_registry
from routinegen.solve_options import SolveOptions
from routinegen.solver.solve import solve_routine

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
BACK = ("lats", "rhomboids", "traps", "erector_spinae")
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

Make = Callable[..., Any]


def examples(n: int) -> int:
    return n * 10 if LONG else n


def assert_valid(routine: Any, catalog: Any, request: Any) -> None:
    problems = check_routine(routine, catalog, request)
    assert not problems, "\n".join(problems)


def limit_words(catalog: Any) -> list[str]:
    """Words with which an explanation names a limit the person set."""
    return [
        "minute",
        "exercise",
        "round",
        "bodyweight",
        "with only",
        "level",
        "without",
        *catalog.muscles.values(),
    ]


def names_a_limit(message: str, catalog: Any) -> bool:
    return any(word.lower() in message.lower() for word in limit_words(catalog))


# ---------------------------------------------------------------------------- independent
# Restated from the README, not taken from routinegen.solver.model.


def allowed(catalog: Any, request: Any) -> list[Any]:
    """The exercises a routine for ``request`` may use."""
    level = LEVELS.index(request.level)
    have = set(request.equipment)
    return [
        e
        for e in catalog.exercises
        if set(e.primary) & set(request.focus)
        and LEVELS.index(e.level) <= level
        and e.id not in request.exclude
        and (e.bodyweight or any(way <= have for way in e.equipment))
    ]


def doses(exercise: Any) -> range:
    low, high = exercise.hold or exercise.reps
    return range(low, high + 1)


def certainly_infeasible(catalog: Any, request: Any) -> str | None:
    """A cheap proof that no routine exists, or None when none is cheap to find."""
    usable = allowed(catalog, request)
    for muscle in request.focus:
        if not any(muscle in e.primary for e in usable):
            return f"muscle:{muscle}"
    lo, hi = request.exercise_count
    if len(usable) < lo:
        return "count"
    rest, round_rest = request.rest_seconds, request.round_rest_seconds
    longest = sorted((max(item_seconds(e, a) for a in doses(e)) for e in usable), reverse=True)
    n = min(hi, len(usable))
    most = max(
        r * (sum(longest[:n]) + rest * (n - 1)) + (r - 1) * round_rest
        for r in range(request.rounds[0], request.rounds[1] + 1)
    )
    if most < min_fill_seconds(request.budget_seconds, request.min_fill):
        return "fill"
    shortest = sorted(min(item_seconds(e, a) for a in doses(e)) for e in usable)
    r = request.rounds[0]
    least = r * (sum(shortest[:lo]) + rest * (lo - 1)) + (r - 1) * round_rest
    if least > request.budget_seconds:
        return f"time:{least}"
    return None


SET_CAP = {"beginner": 6, "intermediate": 8, "advanced": 10}  # hard sets, docs/coaching.md


def balance_of(sets: dict[str, Fraction], focus: Iterable[str], level: str) -> int:
    """The least-trained focus muscle's hard sets, capped, in whole sets."""
    return min(math.floor(min(sets.get(m, Fraction(0)), SET_CAP[level])) for m in focus)


def sets_of(chosen: Iterable[Any], rounds: int) -> dict[str, Fraction]:
    """Hard sets per muscle: each round a set, 1 for a primary muscle, 1/2 for a secondary."""
    sets: dict[str, Fraction] = {}
    for exercise in chosen:
        for m in exercise.primary:
            sets[m] = sets.get(m, Fraction(0)) + rounds
        for m in exercise.secondary:
            sets[m] = sets.get(m, Fraction(0)) + Fraction(rounds, 2)
    return sets


def work_of(chosen: Iterable[tuple[Any, int]], rounds: int) -> dict[str, Fraction]:
    """Seconds of work per muscle: primary fully, secondary by half."""
    work: dict[str, Fraction] = {}
    for exercise, amount in chosen:
        seconds = Fraction(
            rounds * (2 if exercise.unilateral else 1) * work_per_side(exercise, amount)
        )
        for m in exercise.primary:
            work[m] = work.get(m, Fraction(0)) + seconds
        for m in exercise.secondary:
            work[m] = work.get(m, Fraction(0)) + seconds / 2
    return work


def routine_balance(routine: Any, catalog: Any, request: Any) -> int:
    chosen = [catalog.get(i.id) for i in routine.items]
    return balance_of(sets_of(chosen, routine.rounds), request.focus, request.level)


def brute_force_best_balance(catalog: Any, request: Any) -> int | None:
    """Every routine of single-dose exercises: the best balance, or None if none is valid."""
    usable = allowed(catalog, request)
    assert all(len(doses(e)) == 1 for e in usable), "brute force needs single-dose exercises"
    assert not any(e.role != "main" for e in catalog.exercises), "no warm-up: the budget is main"
    fill = min_fill_seconds(request.budget_seconds, request.min_fill)
    best: int | None = None
    lo, hi = request.exercise_count
    for size in range(lo, min(hi, len(usable)) + 1):
        for subset in itertools.combinations(usable, size):
            primaries = {m for e in subset for m in e.primary}
            if not set(request.focus) <= primaries:
                continue
            chosen = [(e, doses(e)[0]) for e in subset]
            seconds = sum(item_seconds(e, a) for e, a in chosen)
            for r in range(request.rounds[0], request.rounds[1] + 1):
                total = r * (seconds + request.rest_seconds * (size - 1))
                total += (r - 1) * request.round_rest_seconds
                if not fill <= total <= request.budget_seconds:
                    continue
                value = balance_of(sets_of(subset, r), request.focus, request.level)
                best = value if best is None else max(best, value)
    return best


# ---------------------------------------------------------------------------- properties


@settings(max_examples=examples(25))
@given(
    minutes=st.integers(5, 90),
    equipment=st.sampled_from(["none", "kettlebell", "dumbbell"]),
    level=st.sampled_from(["beginner", "intermediate"]),
    seed=st.integers(0, 2**31 - 1),
)
@pytest.mark.slow
def test_every_back_budget_gives_a_proven_best_routine(
    full_body: Any, make_request: Make, minutes: int, equipment: str, level: str, seed: int
) -> None:
    request = make_request(
        full_body, minutes=minutes, equipment=equipment, focus="back", level=level, seed=seed
    )
    routine = solve_routine(full_body, request)
    assert_valid(routine, full_body, request)
    assert routine.solver.status == "OPTIMAL"


@settings(max_examples=examples(12))
@given(
    minutes=st.integers(5, 90),
    equipment=st.sampled_from(["none", "kettlebell", "dumbbell"]),
    seed=st.integers(0, 2**31 - 1),
)
@pytest.mark.slow
def test_advanced_back_routines_are_valid(
    full_body: Any, make_request: Make, minutes: int, equipment: str, seed: int
) -> None:
    """Advanced level, with a short time limit: whatever is found must be valid."""
    request = make_request(
        full_body,
        minutes=minutes,
        equipment=equipment,
        focus="back",
        level="advanced",
        seed=seed,
        time_limit=1,
    )
    routine = solve_routine(full_body, request, SolveOptions(time_limit=1))
    assert_valid(routine, full_body, request)
    assert routine.solver.status in ("OPTIMAL", "FEASIBLE")


def test_advanced_dumbbell_40_minutes_is_proven_optimal(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, minutes=40, equipment="dumbbell", level="advanced")
    routine = solve_routine(full_body, request)
    assert_valid(routine, full_body, request)
    assert routine.solver.status == "OPTIMAL"


@pytest.mark.slow
@settings(max_examples=examples(25))
@given(data=st.data())
def test_focus_and_exclusions_give_a_routine_or_a_reason(
    full_body: Any, make_request: Make, data: st.DataObject
) -> None:
    focus = data.draw(st.lists(st.sampled_from(BACK), min_size=1, max_size=4, unique=True))
    candidates = sorted(e.id for e in full_body.exercises if set(e.primary) & set(focus))
    exclude = data.draw(st.lists(st.sampled_from(candidates), max_size=3, unique=True))
    request = make_request(
        full_body,
        minutes=data.draw(st.integers(5, 90)),
        equipment=data.draw(st.sampled_from(["none", "kettlebell", "dumbbell"])),
        level=data.draw(st.sampled_from(LEVELS)),
        focus=",".join(focus),
        exclude=exclude or None,
        seed=data.draw(st.integers(0, 1000)),
        time_limit=3,
    )
    certificate = certainly_infeasible(full_body, request)
    try:
        routine = solve_routine(full_body, request, SolveOptions(time_limit=3))
    except Infeasible as exc:
        message = str(exc)
        assert exc.conflicts and all(exc.conflicts)
        assert names_a_limit(message, full_body), message
        if "cannot be worked" in message:  # the named muscles really have no exercise
            usable = allowed(full_body, request)
            for muscle in request.focus:
                if full_body.muscles[muscle] in message.split("cannot be worked")[0]:
                    assert not any(muscle in e.primary for e in usable), message
        if needed := re.search(r"needs at least ([\d.]+) minutes, not ([\d.]+)", message):
            assert float(needed[1]) > float(needed[2]), message
        return
    assert certificate is None, f"{certificate}: yet the solver found a routine"
    assert_valid(routine, full_body, request)


def tiny_request(tiny: Any, make_request: Make, data: st.DataObject) -> Any:
    """Either any request at all, or one built around a routine known to fit (a witness),
    so that both "cannot be met" and "here is the best" are tried often."""
    equipment = data.draw(
        st.sampled_from(["kettlebell", "kettlebell,dumbbell,bench", "kettlebell,dumbbell", "none"])
    )
    level = data.draw(st.sampled_from(LEVELS))
    seed = data.draw(st.integers(0, 99))
    if not data.draw(st.booleans(), label="witness"):
        r_lo = data.draw(st.integers(1, 2))
        c_lo = data.draw(st.sampled_from([1, 1, 2, 3]))
        return make_request(
            tiny,
            minutes=data.draw(st.integers(1, 12)),
            equipment=equipment,
            level=level,
            focus=",".join(data.draw(st.lists(st.sampled_from(BACK), min_size=1, unique=True))),
            rounds=[r_lo, data.draw(st.integers(r_lo, 4))],
            exercises=[c_lo, data.draw(st.integers(c_lo, 6))],
            min_fill=data.draw(st.sampled_from([0.0, 0.3, 0.6, 0.9])),
            seed=seed,
        )
    have = set(equipment.split(",")) - {"none"}
    usable = [
        e
        for e in tiny.exercises
        if LEVELS.index(e.level) <= LEVELS.index(level)
        and (e.bodyweight or any(way <= have for way in e.equipment))
    ]
    picked = data.draw(st.lists(st.sampled_from(usable), min_size=1, unique_by=lambda e: e.id))
    worked = sorted({m for e in picked for m in e.primary})
    focus = data.draw(st.lists(st.sampled_from(worked), min_size=1, unique=True))
    witness = [e for e in picked if set(e.primary) & set(focus)]
    rounds = data.draw(st.integers(1, 4))
    rest = data.draw(st.sampled_from([0, 15, 30]))
    round_rest = data.draw(st.sampled_from([0, 45, 90]))
    seconds = sum(item_seconds(e, doses(e)[0]) for e in witness)
    total = rounds * (seconds + rest * (len(witness) - 1)) + (rounds - 1) * round_rest
    minutes = math.ceil(total / 60) + data.draw(st.integers(0, 1))
    fills = [f for f in (0.0, 0.3, 0.6, 0.9) if total >= min_fill_seconds(minutes * 60, f)]
    n = len(witness)
    return make_request(
        tiny,
        minutes=minutes,
        equipment=equipment,
        level=level,
        focus=",".join(focus),
        rounds=[data.draw(st.integers(1, rounds)), data.draw(st.integers(rounds, 4))],
        exercises=[data.draw(st.integers(1, n)), data.draw(st.integers(n, 6))],
        min_fill=data.draw(st.sampled_from(fills)),
        rest=rest,
        round_rest=round_rest,
        seed=seed,
    )


@settings(max_examples=examples(40))
@given(data=st.data())
def test_balance_is_best_by_brute_force_on_tiny(
    tiny: Any, make_request: Make, data: st.DataObject
) -> None:
    """On a catalog small enough to enumerate, the solver's balance is the best there is,
    and it says "cannot be met" exactly when nothing fits."""
    request = tiny_request(tiny, make_request, data)
    best = brute_force_best_balance(tiny, request)
    try:
        routine = solve_routine(tiny, request)
    except Infeasible as exc:
        assert best is None, f"brute force found balance {best}, solver says: {exc}"
        assert names_a_limit(str(exc), tiny), str(exc)
        return
    assert_valid(routine, tiny, request)
    assert best is not None
    assert routine.solver.status == "OPTIMAL"
    assert routine.proof is not None and routine.proof.best == best  # the proven best
    assert best - 1 <= routine_balance(routine, tiny, request) <= best  # a seed's tolerance


def test_min_fill_is_a_true_ceiling(tmp_path: Any, make_request: Make) -> None:
    """54 s is under ceil(0.900001 x 60 s) = 55 s, however little it misses by."""
    from routinegen.catalog import load_catalog

    path = tmp_path / "one.yaml"
    path.write_text(
        "format: 1\nname: one\nmuscles: {traps: Traps}\nexercises:\n"
        "  - {id: hold, name: Hold, primary: [traps], hold: [49, 49], setup_seconds: 5}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(str(path))
    request = make_request(
        catalog, minutes=1, focus="traps", rounds=1, exercises=1, min_fill=0.900001
    )
    with pytest.raises(Infeasible, match="90%"):
        solve_routine(catalog, request)


# ---------------------------------------------------------------------------- determinism


def render(name: str, routine: Any) -> bytes:
    out = render_with(load_registry().exporter(name), routine)
    return out.encode("utf-8") if isinstance(out, str) else out


@pytest.mark.parametrize("fmt", ["text", "json", "ical"])
def test_same_request_and_seed_same_bytes(
    full_body: Any, make_request: Make, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    values = dict(
        minutes=20,
        equipment="kettlebell",
        seed=11,
        start="2026-11-30T07:00",
        tz="Europe/Berlin",
    )
    first = solve_routine(full_body, make_request(full_body, **values))
    second = solve_routine(full_body, make_request(full_body, **values))
    assert first.items == second.items
    assert render(fmt, first) == render(fmt, second)


def test_other_seeds_other_valid_routines(full_body: Any, make_request: Make) -> None:
    lists = set()
    for seed in range(1, 6):
        request = make_request(full_body, minutes=20, equipment="dumbbell", seed=seed)
        routine = solve_routine(full_body, request)
        assert_valid(routine, full_body, request)
        lists.add(tuple(item.id for item in routine.items))
    assert len(lists) >= 2


# ---------------------------------------------------------------------------- explanations


def test_traps_only_with_a_kettlebell(tiny: Any, make_request: Make) -> None:
    request = make_request(tiny, minutes=10, equipment="none", focus="back")
    with pytest.raises(Infeasible) as info:
        solve_routine(tiny, request)
    message = str(info.value)
    assert message.startswith("the request cannot be met: ")
    assert "Traps" in message and "bodyweight" in message
    for other in ("Lats", "Rhomboids", "Erector spinae"):
        assert other not in message


def test_traps_at_beginner_level(tiny: Any, make_request: Make) -> None:
    """bench_row (intermediate) is the only lats move with dumbbell and bench at hand."""
    request = make_request(
        tiny, minutes=10, equipment="dumbbell,bench", focus="lats,traps", level="beginner"
    )
    with pytest.raises(Infeasible, match="Traps") as info:
        solve_routine(tiny, request)
    assert "bodyweight" in str(info.value) or "dumbbell" in str(info.value)


def test_one_minute_for_five_exercises(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, minutes=1, exercises=5)
    with pytest.raises(Infeasible) as info:
        solve_routine(full_body, request)
    message = str(info.value)
    assert "minutes" in message
    needed = re.search(r"at least ([\d.]+) minutes, not 1\b", message)
    assert needed and float(needed[1]) > 1, message


def test_excluded_only_exercise(tiny: Any, make_request: Make) -> None:
    request = make_request(
        tiny, minutes=10, equipment="kettlebell", focus="traps", exclude="kb_shrug"
    )
    with pytest.raises(Infeasible, match=r"Traps cannot be worked .*without the excluded"):
        solve_routine(tiny, request)


def test_five_minutes_for_eight_exercises_is_explained(full_body: Any, make_request: Make) -> None:
    """Regression: the explanation used to time out and blame no limit at all."""
    request = make_request(full_body, minutes=5, exercises=8)
    with pytest.raises(Infeasible) as info:
        solve_routine(full_body, request)
    message = str(info.value)
    assert "no single set of limits" not in message
    assert "minutes" in message and "8 exercises" in message, message
