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

The constraints are the session's limits (``limits.session``, one class each). The
explanation model is the same limits as a feasibility problem, each behind its own
assumption literal, so CP-SAT can name a small set of limits that cannot hold together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.request.routine import Request
from routinegen.solver.candidates import (
    EQUIPMENT_BONUS,
    PRIMARY_WEIGHT,
    VARIETY_SCALE,
    Candidate,
    balance_step,
    candidates,
    variety,
)
from routinegen.solver.limits import Guards, Limit
from routinegen.solver.preprocess import reduce
from routinegen.solver.session import Session, add_session


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


def coverage_step(request: Request) -> int:
    """Balance is compared in steps of 1/20 of the budget, at least 10 s (weighted units)."""
    return balance_step(request.budget_seconds)


def build_model(catalog: Catalog, request: Request, preprocess: bool = True) -> RoutineModel:
    """The optimisation model over the exercises the request allows, with no objective: the
    search sets it (``balance`` first, then ``preferences``). ``preprocess=False`` keeps
    every allowed exercise and dose (``preprocess.reduce`` is exact; off only to measure). A
    request that keeps exercises is not reduced: it may keep one that reduction would drop,
    and its few free choices make a small model anyway."""
    allowed = candidates(catalog, request)
    if preprocess and not request.keep:
        allowed = reduce(allowed, request)
    return _routine_model(allowed, request, False)


def build_explain_model(catalog: Catalog, request: Request) -> RoutineModel:
    """The feasibility model with one assumption literal per limit, and no objective."""
    return _routine_model(candidates(catalog, request, keep_all=True), request, explain=True)


def _routine_model(cands: Sequence[Candidate], request: Request, explain: bool) -> RoutineModel:
    model = cp_model.CpModel()
    guards = Guards(model, explain)
    session = add_session(model, cands, request, guards)
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
    return RoutineModel(model, session, balance, counts, guards.literals)


def _balance_bound(session: Session) -> int:
    return PRIMARY_WEIGHT * session.horizon // coverage_step(session.request) + 1


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
