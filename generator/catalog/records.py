"""The catalog's records: immutable exercises and the vocabulary they are written in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FORMAT = 2  # the newest catalog format; format 1 files still load (see docs/catalogs.md)
FORMATS = (1, 2)
LEVELS = ("beginner", "intermediate", "advanced")
BODYWEIGHT = "none"

# The movement patterns a coach builds a session from (COACHING.md, "Movement patterns").
PATTERNS = (
    "squat",
    "hinge",
    "lunge",
    "horizontal_push",
    "vertical_push",
    "horizontal_pull",
    "vertical_pull",
    "carry",
    "core_anti_extension",
    "core_rotation",
    "core_flexion",
    "isolation",
    "conditioning",
    "mobility",
)
MECHANICS = ("compound", "isolation")
DOSES = ("reps", "hold", "timed")  # hold: isometric only; timed: dynamic work for a time
SKILLS = ("low", "moderate", "high")
ROLES = ("main", "warmup", "cooldown")
# Safety tags a person can avoid (COACHING.md, "Safety"), with what each means; a catalog
# may declare its own under ``tags`` (format 2).
SAFETY_TAG_NAMES = {
    "spinal_loading": "Loads the spine (a bar on the back, a heavy hinge or carry)",
    "spinal_flexion": "Bends the spine under effort (crunches, sit-ups)",
    "overhead": "Arms overhead under load or body weight",
    "deep_knee_flexion": "Knees bent deeply under load (deep squats, lunges, pistols)",
    "impact": "Jumping or landing",
    "wrist_loading": "Body weight on the hands with the wrists bent back",
    "grip": "Hard on the grip (hangs, heavy holds)",
}
SAFETY_TAGS = tuple(SAFETY_TAG_NAMES)
PRIMARY_SHARE, SECONDARY_SHARE = 1.0, 0.5  # a set's credit to a muscle, unless weighted


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
    reps: tuple[int, int] | None  # rep range, or None when dosed in seconds
    hold: tuple[int, int] | None  # seconds range of a hold or of timed work (see ``dose``)
    seconds_per_rep: float
    setup_seconds: int
    unilateral: bool
    # Format 2 (format 1 files get these defaults, documented in docs/catalogs.md):
    dose: str = "reps"  # "reps", "hold" (isometric) or "timed" (dynamic work for a time)
    pattern: str | None = None  # one of PATTERNS; None when the catalog does not say
    mechanic: str = "compound"  # "compound" (several joints) or "isolation"
    loaded: bool = False  # takes an external load the person chooses (a weight to pick)
    skill: str = "low"  # one of SKILLS: beginners get no high-skill moves
    power: bool = False  # explosive (swings, jumps, cleans): done first, while fresh
    tags: frozenset[str] = frozenset()  # safety tags such as "spinal_loading" or "impact"
    weights: tuple[tuple[str, float], ...] = ()  # explicit muscle shares (0-1), if any
    role: str = "main"  # "main", "warmup" or "cooldown"
    cues: tuple[str, ...] = ()  # form cues, one short sentence each

    @property
    def by_seconds(self) -> bool:
        """Dosed in seconds (a hold or timed work) rather than in reps."""
        return self.hold is not None

    @property
    def is_hold(self) -> bool:
        """An isometric hold: the only kind of timed dose that is called a hold."""
        return self.dose == "hold"

    def share(self, muscle: str) -> float:
        """What one set gives ``muscle``, in hard sets: the catalog's weight when it gives
        one, else 1 for a primary muscle and 0.5 for a secondary one (fractional counting)."""
        for name, weight in self.weights:
            if name == muscle:
                return weight
        if muscle in self.primary:
            return PRIMARY_SHARE
        return SECONDARY_SHARE if muscle in self.secondary else 0.0

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
    # Safety tag id -> what it means: SAFETY_TAG_NAMES plus the catalog's own (format 2).
    tags: Mapping[str, str] = field(default_factory=lambda: dict(SAFETY_TAG_NAMES))

    def get(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)
