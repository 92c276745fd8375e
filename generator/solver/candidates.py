"""The candidates of a session model: exercises with their menu of doses, and their credit.

Free of OR-Tools, so that preprocessing (which shrinks the candidate list) and the model
(which is built from it) both stand on it without importing each other. The goal decides
the doses (``coaching.goals``); the credit is hard sets, counted fractionally.
"""

from __future__ import annotations

from dataclasses import dataclass

from routinegen.catalog import LEVELS, Exercise
from routinegen.catalog.records import Catalog
from routinegen.coaching.blocks import FAMILY
from routinegen.coaching.goals import (
    COACH_REPS,
    COACH_SECONDS,
    SWITCH_SECONDS,
    Goal,
    coach_values,
    dose_range,
    dose_values,
    goal_of,
)
from routinegen.coaching.progression import tops
from routinegen.coaching.variety import variety as _variety
from routinegen.request.routine import Request

PRIMARY_WEIGHT, SECONDARY_WEIGHT = 2, 1  # work-second weights (plans balance work seconds)
CREDIT_SCALE = 10  # hard sets are counted in tenths: a primary muscle's set is 10
VARIETY_SCALE = 12  # per-exercise variety preferences lie in [0, VARIETY_SCALE)
QUALITY_STEP = 5  # a quality tier weighs about half the variety range: quality leads, seeds vary

BALANCE_STEPS = 20  # plans: balance is compared in steps of 1/20 of the budget,
MIN_STEP_SECONDS = 10  # and at least 10 s
HEAVIEST = "barbell"  # the equipment that loads a lift the most
SEED_SALT = 1009  # session n of a plan takes its variety from seed * SEED_SALT + n


def balance_step(budget_seconds: int) -> int:
    """The step a plan's balance is compared in (weighted work seconds) for a week's budget:
    two plans whose weakest muscle differs by less than a step are equally balanced."""
    return PRIMARY_WEIGHT * max(MIN_STEP_SECONDS, budget_seconds // BALANCE_STEPS)


def session_seed(seed: int, session: int) -> int:
    """The variety seed of a plan's ``session``-th session (0-based)."""
    return seed * SEED_SALT + session


@dataclass(frozen=True)
class Prescription:
    """One way to dose an exercise: reps or seconds (per side), and what one set costs."""

    amount: int
    seconds: int  # one set: set-up, every side, switching sides
    work_seconds: int  # time under work, all sides


@dataclass(frozen=True)
class Candidate:
    """An exercise the model may choose, with the equipment it would use and its menu."""

    exercise: Exercise
    way: frozenset[str] | None  # None: the equipment at hand cannot do it
    prescriptions: tuple[Prescription, ...]
    dose: str = "reps"  # how the goal doses it: "reps", "hold" or "timed"
    sets: tuple[int, int] | None = None  # straight sets: its sets range; None in a circuit
    rest_seconds: int = 0  # straight sets: between its sets
    credit: tuple[tuple[str, int], ...] = ()  # muscle -> tenths of a hard set, per set
    fits_goal: bool = True  # the goal can dose it (else the menu is the exercise's own)
    main_lift: bool = False
    family: str | None = None  # its pattern family ("legs", "hinge", "push", ...)
    # A plan's climb over weeks (``coaching.progression``): the range from whose bottom
    # it climbs to its dose, the top; None when it does not climb (one-off sessions).
    span: tuple[int, int] | None = None

    def credit_for(self, muscle: str) -> int:
        return next((tenths for m, tenths in self.credit if m == muscle), 0)


def prescriptions(
    exercise: Exercise, goal: Goal | None = None, level: str = "intermediate"
) -> tuple[Prescription, ...]:
    """The exercise's menu of doses for ``goal`` and what each set costs in seconds."""
    dose, amounts, _, _ = _amounts(exercise, goal or goal_of("endurance"), level)
    return _menu(exercise, dose, amounts)


def _amounts(
    exercise: Exercise, goal: Goal, level: str, progressive: bool = False
) -> tuple[str, tuple[int, ...], bool, tuple[int, int] | None]:
    """The dose kind, the menu's amounts, whether the goal doses it, and (a plan over
    weeks) the range it climbs: its menu is then the climb's possible tops, the round
    values in the range's upper half and its top (``coaching.progression.tops``)."""
    if progressive:
        dose, span = dose_range(goal, exercise, level, progressive=True)
        if span is not None:
            return dose, tops(span, COACH_REPS if dose == "reps" else COACH_SECONDS), True, span
    dose, amounts = dose_values(goal, exercise, level)
    if amounts:
        return dose, amounts, True, None
    if exercise.reps is not None:  # the exercise's own range: for explanations only
        return "reps", coach_values(*exercise.reps, COACH_REPS), False, None
    assert exercise.hold is not None
    return exercise.dose, coach_values(*exercise.hold, COACH_SECONDS), False, None


def dosed(cand: Candidate, amount: int) -> Prescription:
    """The candidate at another amount of its dose (a later week of a plan's climb)."""
    return _menu(cand.exercise, cand.dose, (amount,))[0]


def _menu(exercise: Exercise, dose: str, amounts: tuple[int, ...]) -> tuple[Prescription, ...]:
    menu = []
    for amount in amounts:
        per_side = amount if dose != "reps" else round(amount * exercise.seconds_per_rep)
        work = per_side * exercise.sides
        seconds = exercise.setup_seconds + work + SWITCH_SECONDS * (exercise.sides - 1)
        menu.append(Prescription(amount, seconds, work))
    return tuple(menu)


def forbidden_by_level(exercise: Exercise, level: str) -> bool:
    """Above the person's level, or a high-skill move for a beginner."""
    too_hard = LEVELS.index(exercise.level) > LEVELS.index(level)
    return too_hard or (level == "beginner" and exercise.skill == "high")


def wrong_for_goal(candidate: Candidate, request: Request) -> bool:
    """The goal cannot dose it, or it is conditioning in a strength or size session."""
    if not candidate.fits_goal:
        return True
    goal = goal_of(request.goal)
    return candidate.exercise.pattern == "conditioning" and not goal.counts_conditioning


def allowed(candidate: Candidate, request: Request) -> bool:
    """Whether the request allows the candidate: it trains the focus, and level, goal,
    safety, exclusions and equipment permit it. A back routine is made of back exercises."""
    exercise = candidate.exercise
    return (
        any(m in request.focus for m in exercise.primary)
        and not forbidden_by_level(exercise, request.level)
        and not wrong_for_goal(candidate, request)
        and not exercise.tags & request.avoid
        and exercise.id not in request.exclude
        and candidate.way is not None
    )


def candidate(exercise: Exercise, request: Request) -> Candidate:
    """The exercise as this request would dose and credit it."""
    goal = goal_of(request.goal)
    dose, amounts, fits, span = _amounts(exercise, goal, request.level, request.progressive)
    main = goal.is_main_lift(exercise)
    straight = goal.format == "straight_sets"
    rest = request.rest_seconds
    if main and request.main_rest_seconds is not None:
        rest = request.main_rest_seconds
    counts = goal.counts(exercise)
    credit = tuple(
        (m, round(exercise.share(m) * CREDIT_SCALE) if counts else 0)
        for m in (*exercise.primary, *exercise.secondary)
    )
    return Candidate(
        exercise,
        exercise.way_with(request.equipment),
        _menu(exercise, dose, amounts),
        dose=dose,
        sets=goal.sets_for(exercise, request.level) if straight else None,
        rest_seconds=rest if straight else 0,
        credit=credit,
        fits_goal=fits,
        main_lift=main,
        family=FAMILY.get(exercise.pattern or ""),
        span=span,
    )


def candidates(catalog: Catalog, request: Request, keep_all: bool = False) -> list[Candidate]:
    """The exercises to model: only the allowed ones, or for explanations every main
    exercise that works a focus muscle as primary."""
    out = []
    for exercise in catalog.exercises:
        if exercise.role != "main" or not any(m in request.focus for m in exercise.primary):
            continue
        cand = candidate(exercise, request)
        if keep_all or allowed(cand, request):
            out.append(cand)
    return out


def quality(cand: Candidate) -> int:
    """How much a coach prefers the move, in tiers: a barbell lift first (it loads
    heaviest), then another loaded multi-joint lift with the equipment at hand, then a
    multi-joint move or a loaded single-joint one."""
    exercise = cand.exercise
    uses_kit = bool(cand.way)
    if exercise.loaded and uses_kit and exercise.mechanic == "compound":
        return 3 if cand.way and HEAVIEST in cand.way else 2
    return 1 if exercise.mechanic == "compound" or (exercise.loaded and uses_kit) else 0


def variety(seed: int, exercise_id: str) -> int:
    """A stable pseudo-random preference in [0, VARIETY_SCALE) for this seed and exercise."""
    return _variety(seed, exercise_id, VARIETY_SCALE)


def preference(cand: Candidate, seed: int) -> int:
    """The candidate's term in the objective's preference sum (quality, then variety)."""
    return quality(cand) * QUALITY_STEP + variety(seed, cand.exercise.id)


def muscle_weight(exercise: Exercise, muscle: str) -> int:
    """Work-second weight (plans): 2 for a primary muscle, 1 for a secondary one."""
    if muscle in exercise.primary:
        return PRIMARY_WEIGHT
    return SECONDARY_WEIGHT if muscle in exercise.secondary else 0
