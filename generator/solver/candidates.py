"""The candidates of a session model: exercises with their menu of doses, and their credit.

Free of OR-Tools, so that preprocessing (which shrinks the candidate list) and the model
(which is built from it) both stand on it without importing each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from routinegen.catalog import LEVELS, Exercise
from routinegen.catalog.records import Catalog
from routinegen.request.routine import Request

SWITCH_SECONDS = 5  # changing sides on a unilateral move
PRIMARY_WEIGHT, SECONDARY_WEIGHT = 2, 1  # coverage weights (so secondary counts half)
VARIETY_SCALE = 4  # per-exercise variety preferences lie in [0, VARIETY_SCALE)
EQUIPMENT_BONUS = 2  # a person who brings a kettlebell expects to use it


BALANCE_STEPS = 20  # balance is compared in steps of 1/20 of the budget,
MIN_STEP_SECONDS = 10  # and at least 10 s
SEED_SALT = 1009  # session n of a plan takes its variety from seed * SEED_SALT + n


def balance_step(budget_seconds: int) -> int:
    """The step balance is compared in (weighted units), for a session's or a week's budget:
    two routines whose weakest muscle differs by less than a step are equally balanced."""
    return PRIMARY_WEIGHT * max(MIN_STEP_SECONDS, budget_seconds // BALANCE_STEPS)


def session_seed(seed: int, session: int) -> int:
    """The variety seed of a plan's ``session``-th session (0-based)."""
    return seed * SEED_SALT + session


@dataclass(frozen=True)
class Prescription:
    """One way to dose an exercise: reps or hold seconds (per side), and its time."""

    amount: int
    seconds: int  # one round: set-up, every side, switching sides
    work_seconds: int  # time under work, all sides


@dataclass(frozen=True)
class Candidate:
    """An exercise the model may choose, with the equipment it would use and its menu."""

    exercise: Exercise
    way: frozenset[str] | None  # None: the equipment at hand cannot do it
    prescriptions: tuple[Prescription, ...]


def amounts(low: int, high: int, hold: bool, count: int = 4) -> list[int]:
    """Up to ``count`` round numbers a coach would write, spread over ``[low, high]``."""
    step = 5 if hold else (2 if high - low <= 16 else 5)
    values = {low, high}
    for n in range(1, count - 1):
        value = low + (high - low) * n / (count - 1)
        values.add(min(high, max(low, round(value / step) * step)))
    return sorted(values)


def prescriptions(exercise: Exercise) -> tuple[Prescription, ...]:
    """The exercise's menu of doses and what each costs in seconds."""
    menu = []
    rng = exercise.hold or exercise.reps
    assert rng is not None
    for amount in amounts(*rng, hold=exercise.by_seconds):
        per_side = amount if exercise.by_seconds else round(amount * exercise.seconds_per_rep)
        work = per_side * exercise.sides
        seconds = exercise.setup_seconds + work + SWITCH_SECONDS * (exercise.sides - 1)
        menu.append(Prescription(amount, seconds, work))
    return tuple(menu)


def allowed(exercise: Exercise, request: Request) -> bool:
    """Whether the request allows the exercise: it trains the focus, and level, exclusions
    and equipment permit it. A back routine is made of exercises that work the back."""
    return (
        any(m in request.focus for m in exercise.primary)
        and LEVELS.index(exercise.level) <= LEVELS.index(request.level)
        and exercise.id not in request.exclude
        and exercise.way_with(request.equipment) is not None
    )


def candidates(catalog: Catalog, request: Request, keep_all: bool = False) -> list[Candidate]:
    """The exercises to model: only the allowed ones, or all of them for explanations."""
    return [
        Candidate(e, e.way_with(request.equipment), prescriptions(e))
        for e in catalog.exercises
        if allowed(e, request) or (keep_all and any(m in request.focus for m in e.primary))
    ]


def variety(seed: int, exercise_id: str) -> int:
    """A stable pseudo-random preference in [0, VARIETY_SCALE) for this seed and exercise."""
    digest = hashlib.blake2b(f"{seed}:{exercise_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest) % VARIETY_SCALE


def muscle_weight(exercise: Exercise, muscle: str) -> int:
    if muscle in exercise.primary:
        return PRIMARY_WEIGHT
    return SECONDARY_WEIGHT if muscle in exercise.secondary else 0
