"""The limits of one session.

Each class adds its constraint to a session (``add``) and says its clause of an
explanation (``clause``, given every limit of its class in the conflict). ``session_limits``
lists a request's limits; ``limits.conflicts`` finds and says a conflict among them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Self

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.coaching.blocks import block_seconds
from routinegen.coaching.goals import goal_of
from routinegen.request.routine import Request
from routinegen.solver.candidates import Candidate, forbidden_by_level, wrong_for_goal
from routinegen.solver.limits import Guards, Limit, joined

if TYPE_CHECKING:
    from routinegen.solver.session import Session


@dataclass(frozen=True)
class Words:
    """What the clauses of a session's explanation are said from."""

    catalog: Catalog
    request: Request
    minimum_seconds: Callable[[], int | None]  # the shortest routine, worked out on demand


class SessionLimit(Limit):
    """A limit on one session. ``place`` orders the clauses of an explanation."""

    place: ClassVar[int]

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        raise NotImplementedError

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        raise NotImplementedError

    @classmethod
    def suggestion(cls, members: Sequence[Self], words: Words) -> str | None:
        """A change to this limit that would work, when one is known."""
        return None


class Rounds(SessionLimit):
    """The number of rounds lies in the requested range."""

    kind = "rounds"
    place = 9

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        lo, hi = session.request.rounds
        for r, var in session.rounds.items():
            if not lo <= r <= hi:
                model.add(var == 0).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        lo, hi = words.request.rounds
        return f"{lo}-{hi} rounds" if lo != hi else _exactly(lo, "round")


class Count(SessionLimit):
    """The number of exercises lies in the requested range."""

    kind = "count"
    place = 8

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        lo, hi = session.request.exercise_count
        count = sum(session.picked)
        model.add(count >= lo).only_enforce_if(guards(self))
        model.add(count <= hi).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        lo, hi = words.request.exercise_count
        return f"{lo}-{hi} exercises" if lo != hi else _exactly(lo, "exercise")


class MaxTime(SessionLimit):
    """The session fits in the budget. Stated per round count too: implied, but it
    tightens the LP relaxation a lot."""

    kind = "max_time"
    place = 0

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        budget = session.request.main_seconds
        model.add(session.total <= budget).only_enforce_if(guards(self))
        for r, var in session.rounds.items():
            bound = (budget - session.round_overhead(r)) * var
            model.add(session.round_seconds(r) <= bound).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        budget = words.request.budget_seconds
        needed = _needed(words)
        if needed is not None and needed > budget:
            return f"this needs at least {minutes(needed)} minutes, not {minutes(budget)}"
        return f"fitting in {minutes(budget)} minutes"

    @classmethod
    def suggestion(cls, members: Sequence[Self], words: Words) -> str | None:
        needed = _needed(words)
        main = words.minimum_seconds()
        if needed is None or main is None or needed <= words.request.budget_seconds:
            return None
        request = words.request
        whole = math.ceil(main / 60)  # a longer session also has longer warm-up and cool-down
        while main + sum(block_seconds(whole * 60, request.warmup, request.cooldown)) > whole * 60:
            whole += 1
        return f"allow at least {whole} minutes"


def _needed(words: Words) -> int | None:
    """The shortest whole session: the shortest main block, with the warm-up and cool-down."""
    main = words.minimum_seconds()
    return None if main is None else main + sum(words.request.blocks)


class Fill(SessionLimit):
    """The session fills at least ``min_fill`` of the budget (per round count too)."""

    kind = "fill"
    place = 1

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        fill = min_fill_seconds(session.request)
        model.add(session.total >= fill).only_enforce_if(guards(self))
        for r, var in session.rounds.items():
            bound = (fill - session.round_overhead(r)) * var
            model.add(session.round_seconds(r) >= bound).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        request = words.request
        return (
            f"filling at least {round(request.min_fill * 100)}% of "
            f"{minutes(request.main_seconds)} minutes of main work"
        )


class FocusMuscle(SessionLimit):
    """A focus muscle is worked as a primary muscle by at least one exercise."""

    __slots__ = ("muscle",)
    kind = "muscle"
    place = 2

    def __init__(self, muscle: str) -> None:
        self.muscle = muscle

    @property
    def subject(self) -> str:
        return self.muscle

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        model.add(session.primary(self.muscle) >= 1).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return "working " + ", ".join(_names(members, words))

    @classmethod
    def unreachable(
        cls, members: Sequence[Self], filters: Sequence[ExerciseFilter], words: Words
    ) -> str:
        """The sentence when only exercise filters stand between these muscles and work."""
        subject = joined(_names(members, words))
        if not filters:
            return f"no exercise in the catalog works {subject} as a primary muscle"
        return f"{subject} cannot be worked {' '.join(f.how(words) for f in filters)}"


class ExerciseFilter(SessionLimit):
    """A limit that rules out single exercises."""

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        raise NotImplementedError

    def how(self, words: Words) -> str:
        """The words after "cannot be worked"."""
        raise NotImplementedError

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        for candidate, picked in zip(session.candidates, session.picked, strict=True):
            if self.forbids(candidate, session.request):
                model.add(picked == 0).only_enforce_if(guards(self))


class Equipment(ExerciseFilter):
    """Only exercises doable with the equipment at hand (or bodyweight)."""

    kind = "equipment"
    place = 3

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        return candidate.way is None

    def how(self, words: Words) -> str:
        return equipment_words(words.request, words.catalog)

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return equipment_words(words.request, words.catalog)


class Level(ExerciseFilter):
    """Only exercises at or below the person's level."""

    kind = "level"
    place = 4

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        return forbidden_by_level(candidate.exercise, request.level)

    def how(self, words: Words) -> str:
        return f"at {words.request.level} level"

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return f"at {words.request.level} level"


class GoalFit(ExerciseFilter):
    """Only exercises the goal can dose: its rep or time range meets the exercise's, and
    no conditioning moves in a strength or hypertrophy session."""

    kind = "goal"
    place = 5

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        return wrong_for_goal(candidate, request)

    def how(self, words: Words) -> str:
        return f"with {_goal_words(words.request)}"

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return f"doses for {_goal_words(words.request)}"


def _goal_words(request: Request) -> str:
    goal = goal_of(request.goal)
    low, high = goal.main_reps
    return f"the {goal.name} goal ({low}-{high} reps)"


class Avoid(ExerciseFilter):
    """None of the exercises that carry a safety tag the person avoids."""

    kind = "avoid"
    place = 6

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        return bool(candidate.exercise.tags & request.avoid)

    def how(self, words: Words) -> str:
        return "while avoiding " + _tags(words.request)

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return "avoiding " + _tags(words.request)


def _tags(request: Request) -> str:
    return joined(sorted(tag.replace("_", " ") for tag in request.avoid))


class Exclude(ExerciseFilter):
    """None of the excluded exercises."""

    kind = "exclude"
    place = 7

    def forbids(self, candidate: Candidate, request: Request) -> bool:
        return candidate.exercise.id in request.exclude

    def how(self, words: Words) -> str:
        return "without the excluded exercises"

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        return "without " + ", ".join(sorted(words.request.exclude))


class Keep(SessionLimit):
    """An exercise the routine must have: a swap keeps the exercises it does not replace."""

    __slots__ = ("exercise",)
    kind = "keep"
    place = 10

    def __init__(self, exercise: str) -> None:
        self.exercise = exercise

    @property
    def subject(self) -> str:
        return self.exercise

    def add(self, model: cp_model.CpModel, session: Session, guards: Guards) -> None:
        index = session.index_of(self.exercise)
        if index is None:  # not allowed here at all
            model.add_bool_or([]).only_enforce_if(guards(self))
        else:
            model.add(session.picked[index] == 1).only_enforce_if(guards(self))

    @classmethod
    def clause(cls, members: Sequence[Self], words: Words) -> str:
        names = [e.name if (e := words.catalog.get(m.exercise)) else m.exercise for m in members]
        return "keeping " + ", ".join(sorted(names))


def min_fill_seconds(request: Request) -> int:
    """The least time the main block must take: ceil(min_fill x its budget), exactly."""
    return math.ceil(Fraction(repr(request.min_fill)) * request.main_seconds)


def session_limits(request: Request, each_muscle: bool = True) -> list[SessionLimit]:
    """Every limit of one session, in the order they are added to its model (without
    ``each_muscle``, no focus muscle is required of the session on its own)."""
    circuit = goal_of(request.goal).format != "straight_sets"
    return [
        *([Rounds()] if circuit else []),
        Equipment(),
        Level(),
        GoalFit(),
        *([Avoid()] if request.avoid else []),
        Exclude(),
        Count(),
        MaxTime(),
        Fill(),
        *(FocusMuscle(m) for m in request.focus if each_muscle and muscle_by_muscle(request)),
        *(Keep(e) for e in sorted(request.keep)),
    ]


def muscle_by_muscle(request: Request) -> bool:
    """Whether each focus muscle must be some exercise's primary muscle. A full-body or a
    conditioning session is built from the movement patterns instead (the model scores
    them), or a strength session would need a calf raise and a curl before its squat."""
    return not request.patterns and not goal_of(request.goal).counts_conditioning


def _names(members: Sequence[FocusMuscle], words: Words) -> list[str]:
    return [words.catalog.muscles.get(m.muscle, m.muscle) for m in members]


def equipment_words(request: Request, catalog: Catalog) -> str:
    if not request.equipment:
        return "with bodyweight only"
    items = sorted(catalog.equipment.get(q, q).lower() for q in request.equipment)
    return (
        "with only "
        + " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
        + " and bodyweight"
    )


def minutes(seconds: float) -> str:
    return f"{seconds / 60:g}" if seconds % 60 == 0 else f"{seconds / 60:.1f}"


def _exactly(n: int, noun: str) -> str:
    return f"exactly {n} {noun}{'s' if n != 1 else ''}"
