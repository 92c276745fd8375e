"""The order of the main block, by rule rather than by the catalog file's order.

Power and skill moves come first, while fresh; then heavy multi-joint lifts; then the
other multi-joint moves; then single-joint lifts; then core work and holds; conditioning
last (COACHING.md, "Order and structure of a session"). Within one of those tiers a circuit
also alternates muscles: the same primary muscle does not come twice in a row when some
order of the tier avoids it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise, permutations
from typing import TypeVar

from routinegen.catalog import Exercise

T = TypeVar("T")
MAX_PERMUTED = 7  # a tier this long or shorter is ordered exactly; a longer one greedily
CORE_PATTERNS = ("core_anti_extension", "core_rotation", "core_flexion", "carry")


def tier(exercise: Exercise) -> int:
    """The exercise's place in a session: 0 first, 5 last."""
    if exercise.pattern == "conditioning":
        return 5
    if exercise.power or exercise.skill == "high":
        return 0
    if exercise.is_hold or exercise.pattern in CORE_PATTERNS:
        return 4
    if exercise.mechanic == "isolation" or exercise.pattern == "isolation":
        return 3
    return 1 if exercise.loaded else 2


REGIONS = {
    "squat": "lower",
    "lunge": "lower",
    "hinge": "lower",
    "horizontal_push": "upper",
    "vertical_push": "upper",
    "horizontal_pull": "upper",
    "vertical_pull": "upper",
    "core_anti_extension": "core",
    "core_rotation": "core",
    "core_flexion": "core",
}


def clashes(a: Exercise, b: Exercise) -> int:
    """How badly two exercises follow each other in a circuit: 2 when they share a primary
    muscle, 1 when they load the same region (upper, lower, core), else 0."""
    if set(a.primary) & set(b.primary):
        return 2
    region = REGIONS.get(a.pattern or "")
    return int(region is not None and region == REGIONS.get(b.pattern or ""))


def ordered(
    items: Sequence[T], exercise: Callable[[T], Exercise], alternate: bool, tiered: bool = True
) -> list[T]:
    """``items`` in tier order (stable within a tier). With ``alternate`` (a circuit), each
    tier is arranged so that the fewest neighbours share a primary muscle or a region,
    counting the last item of the tier before; ties keep the original order. Intervals
    are not ``tiered``: every move is timed work, and they alternate across the whole list
    (upper, lower, core)."""
    tiers: dict[int, list[T]] = {}
    for item in items:
        tiers.setdefault(tier(exercise(item)) if tiered else 0, []).append(item)
    out: list[T] = []
    for rank in sorted(tiers):
        group = tiers[rank]
        if alternate and len(group) > 1:
            group = _alternating(group, exercise, out[-1] if out else None)
        out.extend(group)
    return out


def _alternating(group: list[T], exercise: Callable[[T], Exercise], before: T | None) -> list[T]:
    def cost(order: Sequence[T]) -> int:
        chain = [before, *order] if before is not None else list(order)
        return sum(clashes(exercise(a), exercise(b)) for a, b in pairwise(chain))

    if len(group) <= MAX_PERMUTED:
        best = min(permutations(range(len(group))), key=lambda p: cost([group[i] for i in p]))
        return [group[i] for i in best]
    rest, out, last = list(group), [], before
    while rest:

        def badness(x: T, last: T | None = last, rest: list[T] = rest) -> tuple[int, int]:
            clash = 0 if last is None else clashes(exercise(last), exercise(x))
            region = REGIONS.get(exercise(x).pattern or "")
            crowd = sum(REGIONS.get(exercise(y).pattern or "") == region for y in rest)
            return clash, -crowd  # the most crowded region first, so none is left to cluster

        pick = min(rest, key=badness)
        rest.remove(pick)
        out.append(pick)
        last = pick
    return out
