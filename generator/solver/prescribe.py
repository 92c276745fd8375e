"""From the model's choice to a prescription a coach would write: the main block in its
order, each exercise with its sets, dose, rest, effort and load cue, and the warm-up and
cool-down around it. Free of OR-Tools: it reads the chosen candidates, not the solver."""

from __future__ import annotations

from collections.abc import Sequence

from routinegen.catalog import BODYWEIGHT, Catalog, Exercise
from routinegen.coaching import blocks
from routinegen.coaching.goals import SWITCH_SECONDS, TRANSITION_SECONDS, goal_of, load_cue
from routinegen.coaching.order import ordered
from routinegen.request.routine import Request
from routinegen.results import Routine, RoutineItem, SolverInfo
from routinegen.solver.candidates import (
    CREDIT_SCALE,
    PRIMARY_WEIGHT,
    SECONDARY_WEIGHT,
    Candidate,
    Prescription,
    forbidden_by_level,
)

Chosen = Sequence[tuple[Candidate, Prescription, int]]  # candidate, dose, sets (or rounds)


def main_seconds(request: Request, chosen: Chosen, rounds: int) -> int:
    """The main block's seconds, rests included, as the model counts them."""
    if goal_of(request.goal).format == "straight_sets":
        return (
            sum(s * p.seconds + (s - 1) * c.rest_seconds + TRANSITION_SECONDS for c, p, s in chosen)
            - TRANSITION_SECONDS
        )
    rest = request.rest_seconds
    return (
        rounds * (sum(p.seconds for _, p, _ in chosen) + rest * (len(chosen) - 1))
        + (rounds - 1) * request.round_rest_seconds
    )


def usable(request: Request):  # type: ignore[no-untyped-def]
    """The way to do a warm-up or cool-down move with what the request allows, or None."""

    def way(exercise: Exercise) -> frozenset[str] | None:
        if (
            forbidden_by_level(exercise, request.level)
            or exercise.tags & request.avoid
            or exercise.id in request.exclude
        ):
            return None
        return exercise.way_with(request.equipment)

    return way


def routine_of(
    catalog: Catalog, request: Request, chosen: Chosen, rounds: int, info: SolverInfo
) -> Routine:
    """The routine the chosen candidates make, with its blocks."""
    goal = goal_of(request.goal)
    straight = goal.format == "straight_sets"
    main = ordered(
        [_main_item(request, c, p, s if straight else rounds) for c, p, s in chosen],
        lambda pair: pair[1],
        alternate=not straight,
        tiered=goal.format != "intervals",
    )
    items = tuple(item for item, _ in main)
    hard_sets: dict[str, float] = {}
    coverage: dict[str, float] = {}
    for c, p, s in chosen:
        sets = s if straight else rounds
        for muscle, tenths in c.credit:
            hard_sets[muscle] = hard_sets.get(muscle, 0) + sets * tenths / CREDIT_SCALE
        for muscle in c.exercise.primary:
            coverage[muscle] = coverage.get(muscle, 0) + p.work_seconds * sets
        for muscle in c.exercise.secondary:
            share = SECONDARY_WEIGHT / PRIMARY_WEIGHT
            coverage[muscle] = coverage.get(muscle, 0) + p.work_seconds * sets * share
    warm_seconds, cool_seconds = request.blocks
    way = usable(request)
    warmup = blocks.warmup(
        catalog, way, [(e, item.reps) for item, e in main], warm_seconds, request.seed
    )
    worked = sorted(hard_sets, key=lambda m: (-hard_sets[m], m))
    cooldown = blocks.cooldown(catalog, way, worked, cool_seconds, request.seed)
    warm = tuple(_block_item(m, "warmup") for m in warmup)
    cool = tuple(_block_item(m, "cooldown") for m in cooldown)
    total = (
        main_seconds(request, chosen, rounds)
        + sum(i.seconds for i in warm)
        + sum(i.seconds for i in cool)
    )
    interval = None
    if goal.format == "intervals" and goal.interval is not None:
        interval = (goal.interval[request.level], request.rest_seconds)
    return Routine(
        request=request.effective(),
        items=items,
        rounds=1 if straight else rounds,
        rest_seconds=request.rest_seconds,
        round_rest_seconds=0 if straight else request.round_rest_seconds,
        budget_seconds=request.budget_seconds,
        total_seconds=total,
        coverage={m: round(s) for m, s in sorted(coverage.items(), key=lambda kv: -kv[1])},
        muscle_names=dict(catalog.muscles),
        solver=info,
        format=goal.format,
        warmup=warm,
        cooldown=cool,
        hard_sets={m: round(hard_sets[m], 2) for m in worked if hard_sets[m] > 0},
        interval=interval,
    )


def _main_item(
    request: Request, c: Candidate, p: Prescription, sets: int
) -> tuple[RoutineItem, Exercise]:
    goal = goal_of(request.goal)
    e = c.exercise
    reps = p.amount if c.dose == "reps" else None
    rir = goal.reps_in_reserve if reps is not None else None
    item = RoutineItem(
        id=e.id,
        name=e.name,
        equipment=_equipment(c.way),
        reps=reps,
        work_seconds=None if reps is not None else p.amount,
        per_side=e.unilateral,
        seconds=p.seconds,
        primary=e.primary,
        secondary=e.secondary,
        block="main",
        dose=c.dose,
        pattern=e.pattern,
        mechanic=e.mechanic,
        loaded=e.loaded,
        sets=sets,
        rest_seconds=c.rest_seconds if goal.format == "straight_sets" else request.rest_seconds,
        reps_in_reserve=rir,
        load_cue=load_cue(reps, rir) if e.loaded and reps is not None and rir else None,
        switch_seconds=SWITCH_SECONDS if e.unilateral else 0,
        shares=tuple((m, tenths / CREDIT_SCALE) for m, tenths in c.credit),
        cues=e.cues,
    )
    return item, e


def _block_item(move: blocks.BlockMove, block: str) -> RoutineItem:
    e = move.exercise
    return RoutineItem(
        id=e.id,
        name=e.name,
        equipment=_equipment(move.way),
        reps=move.amount if move.dose == "reps" else None,
        work_seconds=None if move.dose == "reps" else move.amount,
        per_side=e.unilateral,
        seconds=move.seconds,
        primary=e.primary,
        secondary=e.secondary,
        block=block,
        dose=move.dose,
        pattern=e.pattern,
        mechanic=e.mechanic,
        loaded=False,
        sets=1,
        switch_seconds=SWITCH_SECONDS if e.unilateral else 0,
        cues=(move.note,) if move.note else e.cues,
    )


def _equipment(way: frozenset[str] | None) -> str:
    return "+".join(sorted(way or ())) or BODYWEIGHT
