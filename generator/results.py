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
    """One exercise of the circuit, as done in every round."""

    id: str
    name: str
    equipment: str  # the one item (or "a+b" combination) it is done with, or "none"
    reps: int | None  # per side when ``per_side``
    hold_seconds: int | None  # per side when ``per_side``
    per_side: bool
    seconds: int  # time in one round: set-up and both sides included, rests excluded
    primary: tuple[str, ...]
    secondary: tuple[str, ...]

    @property
    def muscles(self) -> tuple[str, ...]:
        return self.primary + self.secondary


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


@dataclass(frozen=True)
class Routine:
    """A solved circuit: ``rounds`` times through ``items``, with rests between them."""

    request: EffectiveRequest
    items: tuple[RoutineItem, ...]
    rounds: int
    rest_seconds: int  # between two exercises of a round
    round_rest_seconds: int  # between two rounds
    budget_seconds: int
    total_seconds: int
    coverage: dict[str, int]  # focus muscle -> work seconds over the whole routine
    muscle_names: dict[str, str] = field(default_factory=dict)
    solver: SolverInfo = field(default_factory=lambda: SolverInfo("OPTIMAL", 0.0, 0))

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
    progression: tuple[float, float]  # weekly work growth, e.g. (0.05, 0.10)
    deload: bool


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

    def muscle_name(self, muscle: str) -> str:
        return self.muscle_names.get(muscle, muscle)
