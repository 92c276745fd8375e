"""One session inside a CP-SAT model: its variables, and its limits added to them.

The routine model is one session; the plan model is many, tied by the plan's limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from routinegen.coaching.goals import TRANSITION_SECONDS, goal_of
from routinegen.request.routine import Request
from routinegen.solver.candidates import Candidate, muscle_weight
from routinegen.solver.limits import Guards
from routinegen.solver.limits.session import session_limits


@dataclass
class Session:
    """One session's variables inside a (routine or plan) model.

    ``choice[i, k, s]`` is candidate ``i`` at dose ``k`` done ``s`` times: in a circuit (or
    intervals) ``s`` is the session's round count, in straight sets the exercise's sets."""

    request: Request
    candidates: list[Candidate]
    choice: dict[tuple[int, int, int], cp_model.IntVar]  # (candidate, dose, sets) -> picked
    rounds: dict[int, cp_model.IntVar]  # circuit: round count -> picked; straight sets: {}
    total: cp_model.IntVar  # seconds, whole session
    picked: list[cp_model.LinearExprT]  # per candidate: 1 when chosen
    horizon: int  # an upper bound on ``total``
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def work(self, muscle: str) -> cp_model.LinearExprT:
        """Weighted work on ``muscle`` over all rounds (primary counts 2, secondary 1)."""
        return sum(
            var * r * p.work_seconds * weight
            for (i, k, r), var in self.choice.items()
            for c in [self.candidates[i]]
            for p in [c.prescriptions[k]]
            if (weight := muscle_weight(c.exercise, muscle))
        )

    def sets(self, muscle: str) -> cp_model.LinearExprT:
        """Hard sets on ``muscle``, in tenths (a primary muscle's set is 10)."""
        return sum(
            var * s * credit
            for (i, _, s), var in self.choice.items()
            if (credit := self.candidates[i].credit_for(muscle))
        )

    def family(self, family: str, lifts_only: bool = False) -> cp_model.LinearExprT:
        """How many chosen exercises of a pattern family count for the goal (only the
        loaded multi-joint lifts with the equipment at hand, with ``lifts_only``)."""
        return sum(
            p
            for p, c in zip(self.picked, self.candidates, strict=True)
            if c.family == family
            and any(tenths for _, tenths in c.credit)
            and (not lifts_only or (c.main_lift and bool(c.way)))
        )

    def primary(self, muscle: str) -> cp_model.LinearExprT:
        """How many chosen exercises work ``muscle`` as a primary muscle."""
        return sum(
            p
            for p, c in zip(self.picked, self.candidates, strict=True)
            if muscle in c.exercise.primary
        )

    def round_seconds(self, r: int) -> cp_model.LinearExprT:
        """The seconds of the exercises chosen for ``r`` rounds, each with one rest."""
        rest = self.request.rest_seconds
        return sum(
            self.choice[i, k, r] * r * (p.seconds + rest)
            for i, c in enumerate(self.candidates)
            for k, p in enumerate(c.prescriptions)
        )

    def round_overhead(self, r: int) -> int:
        """What ``r`` rounds add to ``round_seconds``: round rests, less the rest after the
        last exercise of each round."""
        return (r - 1) * self.request.round_rest_seconds - r * self.request.rest_seconds

    def index_of(self, exercise_id: str) -> int | None:
        """The candidate's index by exercise id (None: not a candidate)."""
        if len(self._index) != len(self.candidates):
            self._index = {c.exercise.id: i for i, c in enumerate(self.candidates)}
        return self._index.get(exercise_id)


def add_session(
    model: cp_model.CpModel,
    cands: Sequence[Candidate],
    request: Request,
    guards: Guards,
    prefix: str = "",
    each_muscle: bool = True,
) -> Session:
    """One session's variables, with its limits (``session_limits``) on them.

    In a circuit the number of rounds multiplies every time and every coverage, which is
    not linear. So each choice is made per round count: ``choice[i, k, r]`` means exercise
    ``i`` dosed ``k`` in a session of ``r`` rounds, allowed only when ``rounds[r]`` is
    picked. Times and coverages are then plain sums, and the LP relaxation stays tight. An
    explanation model also has one round count past the range, so that the range itself
    can be blamed. Straight sets need no such split: each exercise has its own set count.
    Without ``each_muscle`` (a plan that splits the focus itself) no focus muscle is
    required of the session on its own.
    """
    if goal_of(request.goal).format == "straight_sets":
        choice, rounds, total_expr, horizon = _straight_sets(model, cands, prefix)
    else:
        choice, rounds, total_expr, horizon = _circuit(model, cands, request, guards, prefix)
    picked = [sum(group) for group in _by_candidate(choice, len(cands))]
    model.add(sum(picked) >= 1)
    horizon = max(horizon, request.main_seconds)
    total = model.new_int_var(0, horizon, f"{prefix}total_seconds")
    model.add(total == total_expr)

    session = Session(request, list(cands), choice, rounds, total, picked, horizon)
    for limit in session_limits(request, each_muscle):
        limit.add(model, session, guards)
    return session


Parts = tuple[
    dict[tuple[int, int, int], cp_model.IntVar],
    dict[int, cp_model.IntVar],
    cp_model.LinearExprT,
    int,
]


def _circuit(
    model: cp_model.CpModel,
    cands: Sequence[Candidate],
    request: Request,
    guards: Guards,
    prefix: str,
) -> Parts:
    """A circuit: every exercise once per round, the round count shared.

    n exercises in r rounds take r * (their seconds + n - 1 rests) + (r - 1) round rests.
    """
    r_lo, r_hi = request.rounds
    r_values = range(1, r_hi + 2) if guards.explain else range(r_lo, r_hi + 1)
    rounds = {r: model.new_bool_var(f"{prefix}rounds={r}") for r in r_values}
    model.add_exactly_one(rounds.values())
    choice = {
        (i, k, r): model.new_bool_var(f"{prefix}{c.exercise.id}#{p.amount}x{r}")
        for i, c in enumerate(cands)
        for k, p in enumerate(c.prescriptions)
        for r in r_values
    }
    for i, c in enumerate(cands):
        for r, var in rounds.items():
            model.add(sum(choice[i, k, r] for k in range(len(c.prescriptions))) <= var)
    rest, round_rest = request.rest_seconds, request.round_rest_seconds
    total = sum(
        var * r * (p.seconds + rest)
        for (i, k, r), var in choice.items()
        for p in [cands[i].prescriptions[k]]
    ) + sum(var * ((r - 1) * round_rest - r * rest) for r, var in rounds.items())
    horizon = max(r_values) * (
        sum(max(p.seconds for p in c.prescriptions) for c in cands) + rest * len(cands) + round_rest
    )
    return choice, rounds, total, horizon


def set_seconds(cand: Candidate, seconds: int, sets: int) -> int:
    """Straight sets: ``sets`` sets of ``seconds`` with the rests between them, and the
    move to the next exercise."""
    return sets * seconds + (sets - 1) * cand.rest_seconds + TRANSITION_SECONDS


def _straight_sets(model: cp_model.CpModel, cands: Sequence[Candidate], prefix: str) -> Parts:
    """Straight sets: each exercise its own number of sets in a row; one transition less
    than exercises (the session picks at least one)."""
    choice: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for i, c in enumerate(cands):
        assert c.sets is not None
        for k, p in enumerate(c.prescriptions):
            for s in range(c.sets[0], c.sets[1] + 1):
                choice[i, k, s] = model.new_bool_var(f"{prefix}{c.exercise.id}#{p.amount}x{s}")
    for group in _by_candidate(choice, len(cands)):
        model.add_at_most_one(group)
    total = (
        sum(
            var * set_seconds(cands[i], cands[i].prescriptions[k].seconds, s)
            for (i, k, s), var in choice.items()
        )
        - TRANSITION_SECONDS
    )
    horizon = sum(
        max(set_seconds(c, p.seconds, c.sets[1]) for p in c.prescriptions)
        for c in cands
        if c.sets is not None
    )
    return choice, {}, total, horizon


def _by_candidate(
    choice: dict[tuple[int, int, int], cp_model.IntVar], count: int
) -> list[list[cp_model.IntVar]]:
    groups: list[list[cp_model.IntVar]] = [[] for _ in range(count)]
    for (i, _, _), var in choice.items():
        groups[i].append(var)
    return groups
