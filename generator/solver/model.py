"""The CP-SAT model of one routine: a pure function of (catalog, request), no I/O.

The routine is a circuit: the chosen exercises, each once per round (per side when
unilateral), ``rounds`` times, with a rest between exercises and a longer one between rounds.
Each candidate exercise has a short menu of prescriptions (rep counts or hold times, with
their seconds); the model picks at most one per exercise and the number of rounds.

The objective and its tie-break:

1. Balance, the objective: the least-worked focus muscle gets as much work as possible.
   Work is counted in seconds over the whole routine, a primary muscle fully and a
   secondary one by half, in steps of 1/20 of the budget (at least 10 s): two routines whose
   weakest muscle differs by less than a step are equally balanced, which leaves room for
   the tie-break. This is what ``solve`` proves optimal.
2. Variety, the tie-break: a per-seed pseudo-random preference over exercises (with a bonus
   for exercises that use the equipment at hand), so a new seed gives a different routine
   and the same seed the same one. Among the equally balanced routines that the guided
   search meets, the most preferred wins (``guided.maximize``); it is not proven to be the
   most preferred of all, which would cost seconds where the rest costs milliseconds.

The explanation model is the same constraints as a feasibility problem, with every limit
group (time, fill, each focus muscle, equipment, level, exclusions, counts) behind its own
assumption literal, so CP-SAT can name a small set of limits that cannot hold together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from routinegen.catalog import LEVELS, Catalog
from routinegen.request.routine import Request
from routinegen.solver.candidates import (
    EQUIPMENT_BONUS,
    PRIMARY_WEIGHT,
    VARIETY_SCALE,
    Candidate,
    balance_step,
    candidates,
    muscle_weight,
    variety,
)
from routinegen.solver.limits import (
    COUNT,
    EQUIPMENT,
    EXCLUDE,
    FILL,
    LEVEL,
    MAX_TIME,
    ROUNDS,
    Limit,
    muscle_limit,
)
from routinegen.solver.preprocess import reduce

MAX_ROUNDS_EXPLAINED = 20


class Limits:
    """Enforcement literals per limit group.

    When optimising, every limit is hard: no literal. When explaining, each group gets one
    assumption literal, created on first use, so CP-SAT can name the groups that clash.
    """

    def __init__(self, model: cp_model.CpModel, explain: bool) -> None:
        self.model = model
        self.explain = explain
        self.guards: dict[Limit, cp_model.IntVar] = {}

    def __call__(self, limit: Limit) -> list[cp_model.IntVar]:
        if not self.explain:
            return []
        if limit not in self.guards:
            self.guards[limit] = self.model.new_bool_var(str(limit))
        return [self.guards[limit]]


@dataclass
class Session:
    """One session's variables inside a (routine or plan) model."""

    request: Request
    candidates: list[Candidate]
    choice: dict[tuple[int, int, int], cp_model.IntVar]  # (candidate, dose, rounds) -> picked
    rounds: dict[int, cp_model.IntVar]  # round count -> picked
    total: cp_model.IntVar  # seconds, whole session
    picked: list[cp_model.LinearExprT]  # per candidate: 1 when chosen
    horizon: int  # an upper bound on ``total``

    def work(self, muscle: str) -> cp_model.LinearExprT:
        """Weighted work on ``muscle`` over all rounds (primary counts 2, secondary 1)."""
        return sum(
            var * r * p.work_seconds * weight
            for (i, k, r), var in self.choice.items()
            for c in [self.candidates[i]]
            for p in [c.prescriptions[k]]
            if (weight := muscle_weight(c.exercise, muscle))
        )

    def primary(self, muscle: str) -> cp_model.LinearExprT:
        """How many chosen exercises work ``muscle`` as a primary muscle."""
        return sum(
            p
            for p, c in zip(self.picked, self.candidates, strict=True)
            if muscle in c.exercise.primary
        )

    def index_of(self, exercise_id: str) -> int | None:
        return next(
            (i for i, c in enumerate(self.candidates) if c.exercise.id == exercise_id), None
        )


@dataclass
class RoutineModel:
    """A CP-SAT model of one routine with the variables needed to read the answer back."""

    model: cp_model.CpModel
    session: Session
    balance: cp_model.IntVar  # the weakest focus muscle's work, in steps
    counts: dict[int, cp_model.IntVar]  # exercise count -> chosen (optimisation model only)
    guards: dict[Limit, cp_model.IntVar] = field(default_factory=dict)

    @property
    def request(self) -> Request:
        return self.session.request


def min_fill_seconds(request: Request) -> int:
    """The least time the routine must take: ceil(min_fill x budget), exactly."""
    return math.ceil(Fraction(repr(request.min_fill)) * request.budget_seconds)


def coverage_step(request: Request) -> int:
    """Balance is compared in steps of 1/20 of the budget, at least 10 s (weighted units)."""
    return balance_step(request.budget_seconds)


def build_model(catalog: Catalog, request: Request, preprocess: bool = True) -> RoutineModel:
    """The optimisation model over the exercises the request allows, with no objective: the
    search sets it (``balance`` first, then ``preferences``). ``preprocess=False`` keeps
    every allowed exercise and dose (``preprocess.reduce`` is exact; off only to measure)."""
    allowed = candidates(catalog, request)
    return _routine_model(reduce(allowed, request) if preprocess else allowed, request, False)


def build_explain_model(catalog: Catalog, request: Request) -> RoutineModel:
    """The feasibility model with one assumption literal per limit group, and no objective."""
    return _routine_model(candidates(catalog, request, keep_all=True), request, explain=True)


def _routine_model(cands: Sequence[Candidate], request: Request, explain: bool) -> RoutineModel:
    model = cp_model.CpModel()
    limits = Limits(model, explain)
    session = add_session(model, cands, request, limits)
    balance = model.new_int_var(0, _balance_bound(session), "balance")
    counts: dict[int, cp_model.IntVar] = {}
    if not explain:
        step = coverage_step(request)
        for muscle in request.focus:
            model.add(balance * step <= session.work(muscle))
        # The exercise count as one Boolean per value: the solver splits on them.
        lo, hi = request.exercise_count
        counts = {n: model.new_bool_var(f"count={n}") for n in range(lo, hi + 1)}
        model.add_exactly_one(counts.values())
        model.add(sum(session.picked) == sum(n * var for n, var in counts.items()))
    return RoutineModel(model, session, balance, counts, limits.guards)


def _balance_bound(session: Session) -> int:
    return PRIMARY_WEIGHT * session.horizon // coverage_step(session.request) + 1


def add_session(
    model: cp_model.CpModel,
    cands: Sequence[Candidate],
    request: Request,
    limits: Limits,
    prefix: str = "",
) -> Session:
    """One session's constraints, linear throughout.

    The number of rounds multiplies every time and every coverage, which is not linear. So
    each choice is made per round count: ``choice[i, k, r]`` means exercise ``i`` dosed ``k``
    in a session of ``r`` rounds, allowed only when ``rounds[r]`` is picked. Times and
    coverages are then plain sums, and the LP relaxation stays tight.
    """
    when = limits
    budget = request.budget_seconds
    r_lo, r_hi = request.rounds
    r_values = range(1, r_hi + 2) if limits.explain else range(r_lo, r_hi + 1)
    rounds = {r: model.new_bool_var(f"{prefix}rounds={r}") for r in r_values}
    model.add_exactly_one(rounds.values())
    for r, var in rounds.items():
        if not r_lo <= r <= r_hi:
            model.add(var == 0).only_enforce_if(when(ROUNDS))

    choice = {
        (i, k, r): model.new_bool_var(f"{prefix}{c.exercise.id}#{p.amount}x{r}")
        for i, c in enumerate(cands)
        for k, p in enumerate(c.prescriptions)
        for r in r_values
    }
    for i, c in enumerate(cands):
        for r, var in rounds.items():
            model.add(sum(choice[i, k, r] for k in range(len(c.prescriptions))) <= var)
    picked = [
        sum(choice[i, k, r] for k in range(len(c.prescriptions)) for r in r_values)
        for i, c in enumerate(cands)
    ]

    for i, c in enumerate(cands):
        rules = []
        if c.way is None:
            rules.append(EQUIPMENT)
        if LEVELS.index(c.exercise.level) > LEVELS.index(request.level):
            rules.append(LEVEL)
        if c.exercise.id in request.exclude:
            rules.append(EXCLUDE)
        for rule in rules:
            model.add(picked[i] == 0).only_enforce_if(when(rule))

    count = sum(picked)
    lo, hi = request.exercise_count
    model.add(count >= 1)
    model.add(count >= lo).only_enforce_if(when(COUNT))
    model.add(count <= hi).only_enforce_if(when(COUNT))

    # n exercises in r rounds: r * (their seconds + n - 1 rests) + (r - 1) round rests
    rest, round_rest = request.rest_seconds, request.round_rest_seconds
    total_expr = sum(
        var * r * (p.seconds + rest)
        for (i, k, r), var in choice.items()
        for p in [cands[i].prescriptions[k]]
    ) + sum(var * ((r - 1) * round_rest - r * rest) for r, var in rounds.items())
    horizon = max(r_values) * (
        sum(max(p.seconds for p in c.prescriptions) for c in cands) + rest * len(cands) + round_rest
    )
    horizon = max(horizon, budget)
    total = model.new_int_var(0, horizon, f"{prefix}total_seconds")
    model.add(total == total_expr)
    model.add(total <= budget).only_enforce_if(when(MAX_TIME))
    fill = min_fill_seconds(request)
    model.add(total >= fill).only_enforce_if(when(FILL))
    # The same limits per round count (implied, but they tighten the LP relaxation a lot).
    for r, var in rounds.items():
        in_r = sum(
            choice[i, k, r] * r * (p.seconds + rest)
            for i, c in enumerate(cands)
            for k, p in enumerate(c.prescriptions)
        )
        extra = (r - 1) * round_rest - r * rest
        model.add(in_r <= (budget - extra) * var).only_enforce_if(when(MAX_TIME))
        model.add(in_r >= (fill - extra) * var).only_enforce_if(when(FILL))

    session = Session(request, list(cands), choice, rounds, total, picked, horizon)
    for muscle in request.focus:
        model.add(session.primary(muscle) >= 1).only_enforce_if(when(muscle_limit(muscle)))
    return session


def preferences(session: Session, seed: int) -> cp_model.LinearExprT:
    """The variety term: the seed's preference for each chosen exercise."""
    return sum(
        (variety(seed, c.exercise.id) + (EQUIPMENT_BONUS if c.way else 0)) * picked
        for c, picked in zip(session.candidates, session.picked, strict=True)
    )


def variety_weight(max_picks: int) -> int:
    """A balance step outweighs any variety sum over ``max_picks`` exercises."""
    return (VARIETY_SCALE + EQUIPMENT_BONUS) * max_picks + 1


def whole_order(rm: RoutineModel) -> cp_model.LinearExprT:
    """Balance, then variety, as one weighted sum (a variety sum never outweighs one balance
    step): the whole order, for which preprocessing is exact. ``solve`` proves the balance
    and breaks ties by variety without proving the tie-break."""
    weight = variety_weight(rm.request.exercise_count[1])
    return rm.balance * weight + preferences(rm.session, rm.request.seed)
