"""The warm-up and the cool-down around the main block, chosen by rule after the solve.

A RAMP warm-up (Jeffreys): Raise with light general movement, Activate and mobilise with a
drill for each of the session's patterns, Potentiate with an easy set of the first main lift.
A cool-down of easy stretches for the muscles the session worked. Both take their time from
the budget (``block_seconds``) before the main block is optimised, so the whole session fits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from routinegen.catalog import Catalog, Exercise
from routinegen.coaching.goals import SWITCH_SECONDS
from routinegen.coaching.variety import variety

WARMUP_SHARE, WARMUP_RANGE = 0.10, (180, 480)  # 5-10% of a session, about 3-8 minutes
COOLDOWN_SHARE, COOLDOWN_RANGE = 0.07, (120, 300)  # about 2-5 minutes
# In a short session the blocks take at most a third of it less 100 s: 5 minutes of 20,
# 3 of 15 and under 2 of 10, so that the main block keeps its rounds.
MOST_OF_BUDGET, SHORT_SESSION_RELIEF = 1 / 3, 100
STEP = 30  # block lengths are whole half-minutes
WARMUP_SECONDS = 40  # one warm-up drill or one stretch (per side when unilateral)
STRETCH_SECONDS = 30
# Patterns that a drill of the first prepares for the second.
FAMILY = {
    "squat": "legs",
    "lunge": "legs",
    "hinge": "hinge",
    "horizontal_push": "push",
    "vertical_push": "push",
    "horizontal_pull": "pull",
    "vertical_pull": "pull",
    "core_anti_extension": "core",
    "core_rotation": "core",
    "core_flexion": "core",
    "carry": "core",
}

Usable = Callable[[Exercise], frozenset[str] | None]  # the way to do it at hand, or None


@dataclass(frozen=True)
class BlockMove:
    """One move of a warm-up or cool-down, dosed."""

    exercise: Exercise
    way: frozenset[str]
    dose: str  # "reps", "hold" or "timed"
    amount: int  # reps, or seconds (per side when unilateral)
    seconds: int  # all sides, the switch and set-up included
    note: str | None = None  # e.g. "easy set, light weight"


def block_seconds(budget: int, warmup: bool, cooldown: bool) -> tuple[int, int]:
    """Seconds set aside for the warm-up and the cool-down of a ``budget``-second session."""
    wanted = (
        _clamp(budget * WARMUP_SHARE, WARMUP_RANGE) if warmup else 0,
        _clamp(budget * COOLDOWN_SHARE, COOLDOWN_RANGE) if cooldown else 0,
    )
    room = max(0.0, budget * MOST_OF_BUDGET - SHORT_SESSION_RELIEF)
    scale = min(1.0, room / sum(wanted)) if sum(wanted) else 1.0
    return (STEP * int(wanted[0] * scale // STEP), STEP * int(wanted[1] * scale // STEP))


def _clamp(value: float, bounds: tuple[int, int]) -> int:
    return int(min(bounds[1], max(bounds[0], value)))


def has_moves(catalog: Catalog, role: str, usable: Usable) -> bool:
    return any(e.role == role and usable(e) is not None for e in catalog.exercises)


def warmup(
    catalog: Catalog,
    usable: Usable,
    main: Sequence[tuple[Exercise, int | None]],
    seconds: int,
    seed: int,
) -> list[BlockMove]:
    """Raise, activate and mobilise for the main block's patterns, potentiate: moves that
    fill at most ``seconds``. ``main`` is the main block in order, each with its reps."""
    drills = _ranked([e for e in catalog.exercises if e.role == "warmup"], usable, seed)
    raise_moves = [e for e in drills if e.pattern == "conditioning"] or [
        e for e in drills if e.pattern in (None, "mobility")
    ]
    wanted: list[str] = []
    for exercise, _ in main:
        family = FAMILY.get(exercise.pattern or "")
        if family and family not in wanted:
            wanted.append(family)
    plan: list[Exercise] = raise_moves[:1]
    for family in wanted:
        plan += [e for e in drills if FAMILY.get(e.pattern or "") == family][:1]
    plan += [e for e in drills if e not in plan]  # more drills while time is left
    moves: list[BlockMove] = []
    potentiate = _potentiation(main, usable)
    left = seconds - (potentiate.seconds if potentiate else 0)
    for exercise in plan:
        move = _dosed(exercise, usable, WARMUP_SECONDS)
        if move is not None and move.seconds <= left:
            moves.append(move)
            left -= move.seconds
    if potentiate is not None and potentiate.seconds <= seconds:
        moves.append(potentiate)
    return moves


def cooldown(
    catalog: Catalog, usable: Usable, worked: Iterable[str], seconds: int, seed: int
) -> list[BlockMove]:
    """Easy stretches for the ``worked`` muscles (most worked first) within ``seconds``."""
    stretches = _ranked([e for e in catalog.exercises if e.role == "cooldown"], usable, seed)
    moves: list[BlockMove] = []
    left, chosen = seconds, set()
    for muscle in worked:
        for exercise in stretches:
            if muscle in exercise.primary and exercise.id not in chosen:
                move = _dosed(exercise, usable, STRETCH_SECONDS)
                if move is not None and move.seconds <= left:
                    moves.append(move)
                    chosen.add(exercise.id)
                    left -= move.seconds
                break
    return moves


def _ranked(moves: list[Exercise], usable: Usable, seed: int) -> list[Exercise]:
    """The usable moves, in the seed's order (so a new seed brings other drills forward)."""
    usable_moves = [e for e in moves if usable(e) is not None]
    return sorted(usable_moves, key=lambda e: (variety(seed, e.id, 1000), e.id))


def _dosed(exercise: Exercise, usable: Usable, target: int) -> BlockMove | None:
    """The move at about ``target`` seconds per side: its seconds range clipped, or reps."""
    way = usable(exercise)
    if way is None:
        return None
    sides = exercise.sides
    switch = SWITCH_SECONDS * (sides - 1)
    if exercise.hold is not None:
        low, high = exercise.hold
        amount = min(high, max(low, target))
        work = amount
    else:
        assert exercise.reps is not None
        low, high = exercise.reps
        amount = min(high, max(low, round(target / exercise.seconds_per_rep)))
        work = round(amount * exercise.seconds_per_rep)
    dose = exercise.dose if exercise.hold is not None else "reps"
    return BlockMove(exercise, way, dose, amount, exercise.setup_seconds + work * sides + switch)


def _potentiation(main: Sequence[tuple[Exercise, int | None]], usable: Usable) -> BlockMove | None:
    """An easy set of the first main lift: half its reps with a light weight."""
    if not main:
        return None
    exercise, reps = main[0]
    way = usable(exercise)
    if not exercise.loaded or reps is None or way is None:
        return None
    amount = max(3, reps // 2)
    work = round(amount * exercise.seconds_per_rep) * exercise.sides
    seconds = exercise.setup_seconds + work + SWITCH_SECONDS * (exercise.sides - 1)
    return BlockMove(exercise, way, "reps", amount, seconds, "easy set, light weight")
