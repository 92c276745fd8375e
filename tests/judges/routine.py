"""An independent judge of routines: recomputes everything from the Routine and the Catalog.

It deliberately does not import ``routinegen.solver.model`` or ``routinegen.solver.solve``, never
asks the solver: every rule is restated here from the documentation (README, catalog format,
``Routine`` docstrings), so a bug in the model cannot hide behind the same bug in a check.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction
from typing import Any

LEVELS = ("beginner", "intermediate", "advanced")
SWITCH_SECONDS = 5  # changing sides on a unilateral move (documented in the README)
TRANSITION_SECONDS = 60  # straight sets: from one exercise to the next (docs/coaching.md)


def work_per_side(exercise: Any, amount: int, by_reps: bool = True) -> int:
    """Seconds of work on one side: the seconds themselves, or reps times seconds per rep."""
    if exercise.hold is not None or not by_reps:
        return amount
    return round(amount * exercise.seconds_per_rep)


def item_seconds(exercise: Any, amount: int, by_reps: bool = True) -> int:
    """One set of one exercise: set-up, every side, and switching sides."""
    sides = 2 if exercise.unilateral else 1
    return (
        exercise.setup_seconds
        + sides * work_per_side(exercise, amount, by_reps)
        + SWITCH_SECONDS * (sides - 1)
    )


def straight_seconds(items: list[Any]) -> int:
    """Straight sets: each exercise's sets with the rests between them, and a transition
    between two exercises."""
    return sum(
        i.sets * i.seconds + (i.sets - 1) * i.rest_seconds for i in items
    ) + TRANSITION_SECONDS * (len(items) - 1)


def routine_seconds(item_times: list[int], rounds: int, rest: int, round_rest: int) -> int:
    """A circuit: rounds x (exercises + rests between them) + rests between rounds."""
    n = len(item_times)
    return rounds * (sum(item_times) + rest * (n - 1)) + (rounds - 1) * round_rest


def min_fill_seconds(budget: int, min_fill: float) -> int:
    """ceil(min_fill x budget), with min_fill taken as the decimal the user wrote."""
    return math.ceil(Fraction(repr(min_fill)) * budget)


def check_routine(routine: Any, catalog: Any, request: Any) -> list[str]:
    """Every rule the routine breaks, in words; an empty list means it is valid."""
    problems: list[str] = []
    bad = problems.append

    # ---- echo of the request
    if routine.budget_seconds != request.budget_seconds:
        bad(f"budget {routine.budget_seconds} s, request says {request.budget_seconds} s")
    if routine.rest_seconds != request.rest_seconds:
        bad(f"rest {routine.rest_seconds} s, request says {request.rest_seconds} s")
    if routine.round_rest_seconds != request.round_rest_seconds:
        bad(f"round rest {routine.round_rest_seconds} s, request says {request.round_rest_seconds}")
    if tuple(routine.request.focus) != tuple(request.focus):
        bad(f"focus echoed as {routine.request.focus}, request says {request.focus}")
    if routine.request.seed != request.seed:
        bad(f"seed echoed as {routine.request.seed}, request says {request.seed}")

    items = list(routine.items)
    if not items:
        return [*problems, "the routine has no exercises"]

    # ---- counts
    lo, hi = request.exercise_count
    if not lo <= len(items) <= hi:
        bad(f"{len(items)} exercises, outside {lo}-{hi}")
    r_lo, r_hi = request.rounds
    straight = routine.format == "straight_sets"
    if not straight and not r_lo <= routine.rounds <= r_hi:
        bad(f"{routine.rounds} rounds, outside {r_lo}-{r_hi}")
    if not straight and any(item.sets != routine.rounds for item in items):
        bad("a circuit item is not done once per round")
    dupes = [i for i, n in Counter(item.id for item in items).items() if n > 1]
    if dupes:
        bad(f"exercises repeated: {sorted(dupes)}")

    # ---- each item against the catalog
    request_level = LEVELS.index(request.level)
    times: list[int] = []
    coverage: dict[str, Fraction] = {}
    for item in items:
        exercise = catalog.get(item.id)
        if exercise is None:
            bad(f"{item.id}: not in catalog {catalog.name}")
            times.append(item.seconds)
            continue
        where = f"{item.id}:"
        if item.name != exercise.name:
            bad(f"{where} name {item.name!r}, catalog says {exercise.name!r}")
        if tuple(item.primary) != tuple(exercise.primary):
            bad(f"{where} primary {item.primary}, catalog says {exercise.primary}")
        if tuple(item.secondary) != tuple(exercise.secondary):
            bad(f"{where} secondary {item.secondary}, catalog says {exercise.secondary}")
        if item.per_side != exercise.unilateral:
            bad(f"{where} per_side={item.per_side} but unilateral={exercise.unilateral}")

        amount: int | None = None
        intervals = routine.format == "intervals"
        if (item.reps is None) == (item.work_seconds is None):
            bad(f"{where} needs exactly one of reps / work seconds")
        elif item.dose == "hold" and exercise.dose != "hold":
            bad(f"{where} is called a hold but the catalog says {exercise.dose}")
        elif exercise.hold is not None or (intervals and item.dose == "timed"):
            if item.work_seconds is None:
                bad(f"{where} is dosed in seconds in the catalog but has reps")
            else:
                amount = item.work_seconds
                if exercise.hold is not None and not exercise.hold[0] <= amount <= exercise.hold[1]:
                    bad(f"{where} {amount} s outside {exercise.hold}")
        elif item.reps is None:
            bad(f"{where} has reps in the catalog but is dosed in seconds")
        else:
            amount = item.reps
            if not exercise.reps[0] <= amount <= exercise.reps[1]:
                bad(f"{where} {amount} reps outside {exercise.reps}")
        if amount is not None:
            expected = item_seconds(exercise, amount, by_reps=item.reps is not None)
            if item.seconds != expected:
                bad(f"{where} takes {item.seconds} s, recomputed {expected} s")
            sides = 2 if exercise.unilateral else 1
            per_side = work_per_side(exercise, amount, by_reps=item.reps is not None)
            work = Fraction(item.sets * sides * per_side)
            for muscle in exercise.primary:
                coverage[muscle] = coverage.get(muscle, Fraction(0)) + work
            for muscle in exercise.secondary:
                coverage[muscle] = coverage.get(muscle, Fraction(0)) + work / 2
        times.append(item.seconds)

        # equipment
        if exercise.bodyweight:
            if item.equipment != "none":
                bad(f"{where} bodyweight exercise done with {item.equipment!r}")
        elif item.equipment == "none":
            bad(f"{where} needs equipment but is done with 'none'")
        else:
            parts = frozenset(item.equipment.split("+"))
            missing = sorted(parts - set(request.equipment))
            if missing:
                bad(f"{where} uses {missing}, not at hand")
            if parts not in set(exercise.equipment):
                bad(f"{where} {item.equipment!r} is not one of the catalog's ways to do it")

        if LEVELS.index(exercise.level) > request_level:
            bad(f"{where} is {exercise.level}, above {request.level}")
        if request.level == "beginner" and exercise.skill == "high":
            bad(f"{where} is a high-skill move for a beginner")
        if set(exercise.tags) & set(request.avoid):
            bad(f"{where} carries avoided tags {sorted(set(exercise.tags) & set(request.avoid))}")
        if exercise.role != "main":
            bad(f"{where} is a {exercise.role} move in the main block")
        if item.id in request.exclude:
            bad(f"{where} was excluded")
        if not set(exercise.primary) & set(request.focus):
            bad(f"{where} works no focus muscle as a primary muscle")

    # ---- focus muscles
    primaries = {m for item in items for m in item.primary}
    for muscle in request.focus:
        if muscle not in primaries:
            bad(f"focus muscle {muscle} is no item's primary muscle")

    # ---- coverage as reported
    expected_cov = {m: round(s) for m, s in coverage.items()}
    if dict(routine.coverage) != expected_cov:
        bad(f"coverage {dict(routine.coverage)}, recomputed {expected_cov}")

    # ---- time: the main block fills its share; the blocks around it fit in the rest
    if straight:
        main = straight_seconds(items)
    else:
        main = routine_seconds(
            times, routine.rounds, request.rest_seconds, request.round_rest_seconds
        )
    warm = sum(i.seconds for i in routine.warmup)
    cool = sum(i.seconds for i in routine.cooldown)
    reserved_warm, reserved_cool = request.blocks
    if warm > reserved_warm or cool > reserved_cool:
        bad(f"warm-up {warm} s / cool-down {cool} s over {request.blocks}")
    for block in (*routine.warmup, *routine.cooldown):
        move = catalog.get(block.id)
        potentiation = block.block == "warmup" and block.id == items[0].id  # an easy set
        if move is None or (move.role != block.block and not potentiation):
            bad(f"{block.id} is not a {block.block} move of the catalog")
    total = main + warm + cool
    if routine.total_seconds != total:
        bad(f"total {routine.total_seconds} s, recomputed {total} s")
    if total > request.budget_seconds:
        bad(f"total {total} s over the budget of {request.budget_seconds} s")
    main_budget = request.budget_seconds - reserved_warm - reserved_cool
    if main > main_budget:
        bad(f"main block {main} s over its {main_budget} s")
    fill = min_fill_seconds(main_budget, request.min_fill)
    if main < fill:
        bad(f"main block {main} s under {fill} s (min_fill {request.min_fill})")
    return problems
