"""What each training goal prescribes: the format, rep ranges, effort, rests and sets.

The numbers are the usual guideline ranges (ACSM 2009; NSCA rest by goal), each a default:
endurance is the seed's circuit of 12-25 reps; hypertrophy straight sets of 6-12 at 1-3
reps in reserve; strength 3-6 reps on the main lifts with 2-5 minutes of rest; conditioning
timed intervals. Level scales rests and sets the way they grow with training age: heavier
loads need longer rests, and a beginner needs fewer sets.
"""

from __future__ import annotations

from dataclasses import dataclass

from routinegen.catalog import Exercise

GOALS = ("endurance", "hypertrophy", "strength", "conditioning")
DEFAULT_GOAL = "endurance"
FORMATS = ("circuit", "straight_sets", "intervals")
# The numbers a coach writes on a card: reps, and seconds of a hold or of timed work.
COACH_REPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50)
COACH_SECONDS = (10, 15, 20, 30, 40, 45, 60, 75, 90, 120)
SWITCH_SECONDS = 5  # the pause between the two sides of a unilateral move
TRANSITION_SECONDS = 60  # straight sets: from the last set of one lift to the next lift
# Within one session more than about 8-10 hard sets for a muscle adds little (COACHING.md).
SESSION_SET_CAP = {"beginner": 6, "intermediate": 8, "advanced": 10}

Levels = dict[str, int]


@dataclass(frozen=True)
class Goal:
    """One goal's prescription. Rests are seconds by level; ranges are inclusive."""

    name: str
    format: str  # one of FORMATS
    main_reps: tuple[int, int]  # main lifts: loaded compound exercises
    accessory_reps: tuple[int, int]  # every other exercise dosed in reps
    hold_seconds: tuple[int, int]
    timed_seconds: tuple[int, int]
    reps_in_reserve: tuple[int, int]
    rest: Levels  # circuit: between exercises; straight sets: between accessory sets
    main_rest: Levels  # straight sets: between sets of a main lift
    round_rest: Levels  # circuit and intervals: between rounds
    main_sets: tuple[int, int]  # straight sets: sets of a main lift
    accessory_sets: tuple[int, int]
    counts_conditioning: bool  # whether conditioning moves count as hard sets
    interval: Levels | None = None  # intervals: seconds of work per interval, by level
    # A circuit takes a move whose range misses the goal's at the nearest value it allows
    # (10 pull-ups rather than none): any set close to failure trains endurance.
    nearest_outside: bool = False

    def is_main_lift(self, exercise: Exercise) -> bool:
        """A loaded multi-joint lift: what carries a strength or hypertrophy session."""
        return exercise.loaded and exercise.mechanic == "compound"

    def reps_for(self, exercise: Exercise) -> tuple[int, int]:
        return self.main_reps if self.is_main_lift(exercise) else self.accessory_reps

    def sets_for(self, exercise: Exercise, level: str) -> tuple[int, int]:
        """The sets range of an exercise in straight sets; a beginner does the fewest."""
        low, high = self.main_sets if self.is_main_lift(exercise) else self.accessory_sets
        return (low, low + 1 if level == "beginner" and high > low else high)

    def rest_for(self, exercise: Exercise, level: str) -> int:
        table = self.main_rest if self.is_main_lift(exercise) else self.rest
        return table[level]

    def counts(self, exercise: Exercise) -> bool:
        """Whether a set of ``exercise`` is a hard set for this goal."""
        if exercise.role != "main" or exercise.pattern == "mobility":
            return False
        return self.counts_conditioning or exercise.pattern != "conditioning"


def _levels(beginner: int, intermediate: int, advanced: int) -> Levels:
    return {"beginner": beginner, "intermediate": intermediate, "advanced": advanced}


GOAL_TABLE: dict[str, Goal] = {
    "endurance": Goal(
        "endurance",
        "circuit",
        main_reps=(12, 25),
        accessory_reps=(12, 25),
        hold_seconds=(20, 45),
        timed_seconds=(30, 45),
        reps_in_reserve=(2, 4),
        rest=_levels(30, 20, 15),
        main_rest=_levels(30, 20, 15),
        round_rest=_levels(90, 60, 45),
        main_sets=(1, 1),
        accessory_sets=(1, 1),
        counts_conditioning=False,
        nearest_outside=True,
    ),
    "hypertrophy": Goal(
        "hypertrophy",
        "straight_sets",
        main_reps=(6, 12),
        accessory_reps=(8, 15),
        hold_seconds=(30, 45),
        timed_seconds=(30, 45),
        reps_in_reserve=(1, 3),
        rest=_levels(60, 75, 90),
        main_rest=_levels(90, 120, 120),
        round_rest=_levels(0, 0, 0),
        main_sets=(2, 4),
        accessory_sets=(2, 3),
        counts_conditioning=False,
    ),
    "strength": Goal(
        "strength",
        "straight_sets",
        main_reps=(3, 6),
        accessory_reps=(6, 12),
        hold_seconds=(20, 45),
        timed_seconds=(20, 40),
        reps_in_reserve=(2, 3),
        rest=_levels(60, 90, 90),
        main_rest=_levels(120, 150, 180),
        round_rest=_levels(0, 0, 0),
        main_sets=(3, 5),
        accessory_sets=(2, 3),
        counts_conditioning=False,
    ),
    "conditioning": Goal(
        "conditioning",
        "intervals",
        main_reps=(10, 20),
        accessory_reps=(10, 20),
        hold_seconds=(20, 40),
        timed_seconds=(20, 40),
        reps_in_reserve=(2, 3),
        rest=_levels(30, 20, 20),
        main_rest=_levels(30, 20, 20),
        round_rest=_levels(60, 60, 45),
        main_sets=(1, 1),
        accessory_sets=(1, 1),
        counts_conditioning=True,
        interval=_levels(30, 40, 40),
    ),
}


def goal_of(name: str) -> Goal:
    return GOAL_TABLE[name]


def coach_values(low: int, high: int, values: tuple[int, ...]) -> tuple[int, ...]:
    """The numbers a coach would write inside ``[low, high]``: the round ones strictly
    inside when there are any (so that a range end is not used to fill time), else the
    ends themselves."""
    inside = tuple(v for v in values if low < v < high)
    return inside or tuple(sorted({low, high}))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int] | None:
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low <= high else None


def dose_range(
    goal: Goal, exercise: Exercise, level: str, progressive: bool = False
) -> tuple[str, tuple[int, int] | None]:
    """The dose kind and the range of amounts a goal allows for an exercise: reps, or
    seconds of a hold or of timed work; None when the goal's range and the exercise's do
    not meet. In intervals every dynamic move is timed work of the interval's length. A
    plan over weeks (``progressive``) climbs this range (``coaching.progression``)."""
    if goal.format == "intervals" and goal.interval is not None and exercise.dose != "hold":
        length = goal.interval[level]
        return "timed", (length, length)
    if exercise.reps is not None:
        return "reps", _meeting(goal, goal.reps_for(exercise), exercise.reps, progressive)
    assert exercise.hold is not None
    wanted = goal.hold_seconds if exercise.dose == "hold" else goal.timed_seconds
    return exercise.dose, _meeting(goal, wanted, exercise.hold, progressive)


def dose_values(goal: Goal, exercise: Exercise, level: str) -> tuple[str, tuple[int, ...]]:
    """The dose kind and the amounts of one session's menu (``dose_range``, the numbers a
    coach writes). Empty when the goal's range and the exercise's do not meet."""
    dose, rng = dose_range(goal, exercise, level)
    if rng is None:
        return dose, ()
    if rng[0] == rng[1]:
        return dose, (rng[0],)
    return dose, coach_values(*rng, COACH_REPS if dose == "reps" else COACH_SECONDS)


def _meeting(
    goal: Goal, wanted: tuple[int, int], own: tuple[int, int], progressive: bool = False
) -> tuple[int, int] | None:
    """Where the goal's range and the exercise's meet; for a lenient goal, else the
    exercise's value nearest to the goal's range. A lenient goal's plan over weeks climbs
    from that value to the exercise's top when the ranges miss (10 pull-ups, then more)."""
    rng = overlap(wanted, own)
    if rng is None and goal.nearest_outside:
        nearest = own[1] if own[1] < wanted[0] else own[0]
        return (nearest, own[1] if progressive else nearest)
    return rng


def load_cue(reps: int, reps_in_reserve: tuple[int, int]) -> str:
    """Loads are given as effort, since routinegen does not know the person's maxima."""
    return f"a weight you could lift about {reps + reps_in_reserve[0]} times"
