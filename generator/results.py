"""The result types: plain data, the only thing exporters ever see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SolverInfo:
    """How the answer was found: CP-SAT's status, the wall time and the objective value."""

    status: str  # "OPTIMAL" or "FEASIBLE"
    wall_seconds: float
    objective: int
    bound: int | None = None  # the best proven bound on the objective (= objective if OPTIMAL)
    # The wall-time safety net ended a search before its deterministic budget: the answer
    # may then differ on a faster or less busy machine.
    stopped_by_wall_clock: bool = False
    work_seconds: float | None = None  # deterministic seconds the searches used (CP-SAT's)

    @property
    def gap(self) -> float:
        """How far from proven: 0.0 when optimal, else (bound - objective) / bound."""
        if self.bound is None or self.bound == 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / abs(self.bound))

    @property
    def proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"


@dataclass(frozen=True)
class RoutineItem:
    """One exercise as prescribed: its block, dose, sets, rest and how hard to go.

    In a circuit or an interval block it is done once per round (``sets`` = the rounds); in
    straight sets it is done ``sets`` times in a row with ``rest_seconds`` between sets."""

    id: str
    name: str
    equipment: str  # the one item (or "a+b" combination) it is done with, or "none"
    reps: int | None  # per side when ``per_side``; None when dosed in seconds
    work_seconds: int | None  # a hold's or timed work's seconds per set (per side)
    per_side: bool
    seconds: int  # one set: set-up, every side and the switch between sides, no rest
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    block: str = "main"  # "warmup", "main" or "cooldown"
    dose: str = "reps"  # "reps", "hold" (isometric) or "timed" (dynamic work for a time)
    pattern: str | None = None
    mechanic: str = "compound"
    loaded: bool = False
    sets: int = 1
    rest_seconds: int = 0  # after each set (straight sets) or after the exercise (circuit)
    reps_in_reserve: tuple[int, int] | None = None  # how far from failure each set stops
    load_cue: str | None = None  # "a weight you could lift about 12 times"
    switch_seconds: int = 0  # the pause between the two sides of a unilateral move
    shares: tuple[tuple[str, float], ...] = ()  # hard-set credit per muscle for one set
    cues: tuple[str, ...] = ()
    progression: str | None = None  # a plan's week: what it asks beyond the week before

    @property
    def muscles(self) -> tuple[str, ...]:
        return self.primary + self.secondary

    @property
    def hold_seconds(self) -> int | None:
        """The seconds of an isometric hold (None for reps and for timed work)."""
        return self.work_seconds if self.dose == "hold" else None


@dataclass(frozen=True)
class Proof:
    """What the solver proved about a routine, in the objective's own unit.

    ``best`` is the proven best value of the objective, ``value`` the chosen routine's; a
    seed may choose any routine within ``tolerance`` of the best, so that seeds vary."""

    objective: str  # what is maximised, in words
    unit: str  # e.g. "hard sets"
    best: float  # the proven best (an upper bound when the search was cut short)
    value: float  # the chosen routine's value
    tolerance: float  # how far below ``best`` a seed may choose
    proven: bool  # whether ``best`` is proven (the search finished)
    patterns_covered: tuple[str, ...] = ()  # full-body: the pattern groups it covers
    patterns_missing: tuple[str, ...] = ()  # and those no routine could cover, with why


@dataclass(frozen=True)
class EffectiveRequest:
    """What the person asked for after presets and flags were merged: echoed into results."""

    minutes: float
    equipment: tuple[str, ...]
    focus: tuple[str, ...]  # muscle ids
    focus_label: str  # what the person typed, e.g. "back"
    level: str
    seed: int
    catalog: str
    start: datetime | None = None  # timezone-aware; when the session takes place
    tz: str = "UTC"
    goal: str = "endurance"
    avoid: tuple[str, ...] = ()  # safety tags the routine leaves out
    warmup: bool = True
    cooldown: bool = True


@dataclass(frozen=True)
class Routine:
    """A solved session: a warm-up, the main block and a cool-down.

    The main block is ``items`` in its ``format``: a circuit or intervals go ``rounds``
    times through the items, with ``rest_seconds`` between exercises and
    ``round_rest_seconds`` between rounds; straight sets do each item's sets in a row."""

    request: EffectiveRequest
    items: tuple[RoutineItem, ...]  # the main block, in the order to do it
    rounds: int
    rest_seconds: int  # between two exercises of a round (circuit, intervals)
    round_rest_seconds: int  # between two rounds
    budget_seconds: int
    total_seconds: int  # every block, rests included
    coverage: dict[str, int]  # muscle -> work seconds of the main block
    muscle_names: dict[str, str] = field(default_factory=dict)
    solver: SolverInfo = field(default_factory=lambda: SolverInfo("OPTIMAL", 0.0, 0))
    format: str = "circuit"  # "circuit", "straight_sets" or "intervals"
    warmup: tuple[RoutineItem, ...] = ()
    cooldown: tuple[RoutineItem, ...] = ()
    hard_sets: dict[str, float] = field(default_factory=dict)  # muscle -> hard sets
    proof: Proof | None = None
    interval: tuple[int, int] | None = None  # intervals: (work, rest) seconds, e.g. (40, 20)

    @property
    def blocks(self) -> tuple[tuple[str, tuple[RoutineItem, ...]], ...]:
        """The non-empty blocks in session order: warm-up, main, cool-down."""
        named = (("warmup", self.warmup), ("main", self.items), ("cooldown", self.cooldown))
        return tuple((name, items) for name, items in named if items)

    @property
    def block_seconds(self) -> dict[str, int]:
        """Seconds of the warm-up and cool-down blocks (the main block is the rest)."""
        return {
            "warmup": sum(i.seconds for i in self.warmup),
            "cooldown": sum(i.seconds for i in self.cooldown),
        }

    def muscle_name(self, muscle: str) -> str:
        return self.muscle_names.get(muscle, muscle)


@dataclass(frozen=True)
class PlannedSession:
    """One dated session of a plan and its routine."""

    date: date
    start: datetime  # timezone-aware
    week: int  # 1-based
    focus_label: str  # the session's focus, e.g. "upper" in an upper/lower split
    routine: Routine


@dataclass(frozen=True)
class PlanRules:
    """The week-level rules the plan was made under: echoed so a reader can check them."""

    days: tuple[str, ...]  # e.g. ("mon=20", "wed", "fri")
    weeks: int
    split: str | None
    recovery_hours: int
    max_repeats: int
    progression: tuple[float, float]  # the load raise after a climb's top, e.g. (0.05, 0.10)
    deload: bool
    # Weekly hard-set target per focus muscle: (muscle, low, high), by level or --volume.
    volume: tuple[tuple[str, int, int], ...] = ()
    deload_weeks: tuple[int, ...] = ()  # with ``deload``: the last week of each mesocycle


@dataclass(frozen=True)
class VolumeRow:
    """One line of a week's volume table."""

    muscle: str
    name: str
    sets: float
    target: tuple[int, int]

    @property
    def status(self) -> str:
        """ "in" the target range, or "below" or "above" it."""
        low, high = self.target
        return "below" if self.sets < low else "above" if self.sets > high else "in"


@dataclass(frozen=True)
class Progress:
    """One exercise of one recurring session across the weeks: what to do each week."""

    session: str  # e.g. "Mon upper"
    exercise_id: str
    name: str
    weeks: tuple[tuple[int, str], ...]  # (week, dose as written, e.g. "3 x 8")


@dataclass(frozen=True)
class Plan:
    """A solved weekly plan: one model for all sessions, so the week as a whole is right."""

    request: EffectiveRequest
    rules: PlanRules
    sessions: tuple[PlannedSession, ...]
    weekly_work_seconds: tuple[int, ...]  # total work (all muscles) per week
    weekly_coverage: tuple[dict[str, int], ...]  # per week: muscle -> work seconds
    muscle_names: dict[str, str] = field(default_factory=dict)
    solver: SolverInfo = field(default_factory=lambda: SolverInfo("OPTIMAL", 0.0, 0))
    # Per week: focus muscle -> hard sets (``rules.volume`` holds the targets).
    weekly_volume: tuple[dict[str, float], ...] = ()
    progression: tuple[Progress, ...] = ()  # each exercise's doses week by week

    def volume_rows(self, week: int) -> list[VolumeRow]:
        """The volume table of a week (1-based): each focus muscle's hard sets against
        its target."""
        sets = self.weekly_volume[week - 1] if 0 < week <= len(self.weekly_volume) else {}
        return [
            VolumeRow(m, self.muscle_name(m), sets.get(m, 0.0), (lo, hi))
            for m, lo, hi in self.rules.volume
        ]

    def muscle_name(self, muscle: str) -> str:
        return self.muscle_names.get(muscle, muscle)
