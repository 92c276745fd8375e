"""The catalog's records: immutable exercises and the vocabulary they are written in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FORMAT = 1
LEVELS = ("beginner", "intermediate", "advanced")
BODYWEIGHT = "none"


@dataclass(frozen=True)
class Exercise:
    """One exercise and everything the model needs to time it and credit its muscles."""

    id: str
    name: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    # Ways to do it: each a set of items needed together; empty means bodyweight.
    equipment: tuple[frozenset[str], ...]
    level: str
    reps: tuple[int, int] | None  # rep range, or None for a timed hold
    hold: tuple[int, int] | None  # hold range in seconds
    seconds_per_rep: float
    setup_seconds: int
    unilateral: bool

    @property
    def is_hold(self) -> bool:
        return self.hold is not None

    @property
    def sides(self) -> int:
        return 2 if self.unilateral else 1

    @property
    def bodyweight(self) -> bool:
        return not self.equipment

    def way_with(self, available: Iterable[str]) -> frozenset[str] | None:
        """The first way to do it with ``available`` items (empty set = bodyweight)."""
        if not self.equipment:
            return frozenset()
        have = set(available)
        return next((way for way in self.equipment if way <= have), None)


@dataclass(frozen=True)
class Catalog:
    """A validated set of exercises with the muscle, group and equipment vocabulary."""

    name: str
    title: str
    muscles: Mapping[str, str]  # id -> display name
    groups: Mapping[str, tuple[str, ...]]  # group name -> muscle ids
    equipment: Mapping[str, str]  # id -> display name
    exercises: tuple[Exercise, ...]
    sources: tuple[str, ...] = field(default=())

    def get(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)
