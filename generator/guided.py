"""Maximise an objective fast and provably, then break ties: a search guided by the LP.

CP-SAT's single worker often needs seconds to prove a routine's balance optimal on a big
catalog, and most of that time goes into *finding* the best routine, not bounding it. The
linear relaxation (``relaxation.relax``) gives the bound in milliseconds, and it is almost
always tight once rounded down; its solution also says which exercises matter. So:

1. Solve the relaxation: an upper bound on the objective, and the variables it uses.
2. Guided searches: copies of the model where only the exercises the relaxation uses (then
   a few more, the most promising by reduced cost) may be picked; the caller's ``narrow``
   says which Booleans each copy fixes to 0. They are small, so CP-SAT solves each in
   milliseconds. An answer that reaches the bound is proven optimal.
3. Otherwise the whole model is searched from the best answer so far, with the bound as a
   cut, until it is proven or the time runs out.

Then the tie-break (``prefer``): among answers as good as the one found, guided searches
look for the most preferred, starting from that answer. The tie-break is not part of the
proof: it steers the choice among equally good answers without the cost of proving that no
other tie is preferred more (measured: that proof alone took up to 10 s, where the rest
takes milliseconds).

Every step is deterministic: one worker, a fixed seed and deterministic work budgets; only
the overall time limit is wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from routinegen import interruptible
from routinegen.relaxation import Relaxation, relax

GUIDED_WORK_BUDGET = 0.25  # deterministic seconds per guided search for the objective
TIE_BREAK_WORK_BUDGET = 0.1  # and for the tie-break, which is best effort
WIDENINGS = (0, 10, 25)  # more promising choices per guided search for the objective
TIE_BREAK_WIDENINGS = (10,)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)

# The Booleans (proto indices) a guided search fixes to 0, given the relaxation, the best
# answer so far (its choices stay open) and how many more of the most promising choices
# the relaxation does not use to leave open.
Narrow = Callable[[Relaxation, cp_model.CpSolver | None, int], Sequence[int]]
NewSolver = Callable[[float], cp_model.CpSolver]  # a configured solver for so many seconds


@dataclass(frozen=True)
class Outcome:
    """The best answer (in ``solver``'s response) and whether its objective is proven."""

    solver: cp_model.CpSolver | None  # None: no answer within the time limit
    proven: bool
    infeasible: bool = False  # proven: no answer exists
    bound: int | None = None  # the relaxation's bound on the objective


@dataclass
class _Search:
    model: cp_model.CpModel
    narrow: Narrow
    new_solver: NewSolver
    hinted: Sequence[cp_model.IntVar]
    deadline: float

    def solver(self) -> cp_model.CpSolver:
        return self.new_solver(max(0.01, self.deadline - time.perf_counter()))

    def guided(
        self,
        goal: cp_model.LinearExprT,
        relaxed: Relaxation,
        best: cp_model.CpSolver | None,
        widenings: Sequence[int],
        budget: float = GUIDED_WORK_BUDGET,
    ) -> cp_model.CpSolver | None:
        """The best answer of the guided searches (or ``best``), stopping at the bound."""
        for widen in widenings:
            if best is not None and best.value(goal) >= relaxed.bound:
                break
            ruled_out = self.narrow(relaxed, best, widen)
            copy = self.model.clone()
            for index in ruled_out:
                copy.proto.variables[index].domain[1] = 0
            _hint(copy, self.hinted, best)
            solver = self.solver()
            solver.parameters.max_deterministic_time = budget
            status = interruptible.solve(solver, copy)
            if status in FOUND and (best is None or solver.value(goal) > best.value(goal)):
                best = solver
        return best


def maximize(
    model: cp_model.CpModel,
    objective: cp_model.LinearExprT,
    narrow: Narrow,
    new_solver: NewSolver,
    time_limit: float,
    hinted: Sequence[cp_model.IntVar] = (),
    prefer: cp_model.LinearExprT | None = None,
) -> Outcome:
    """Maximise ``objective`` (proven when the time allows), then ``prefer`` among ties.

    ``hinted`` are the variables that carry an answer from one search to the next. The
    model gains constraints (the bound, then the objective held at its value).
    """
    search = _Search(model, narrow, new_solver, hinted, time.perf_counter() + time_limit)
    model.maximize(objective)
    relaxed = relax(model)
    if relaxed is None:  # not even the relaxation has a solution
        return Outcome(None, proven=True, infeasible=True)
    best = search.guided(objective, relaxed, None, WIDENINGS)
    proven = best is not None and best.value(objective) >= relaxed.bound
    if not proven:
        model.add(objective <= relaxed.bound)
        _hint(model, hinted, best)
        solver = search.solver()
        status = interruptible.solve(solver, model)
        if status == cp_model.INFEASIBLE:
            return Outcome(None, proven=True, infeasible=True)
        if status in FOUND and (best is None or solver.value(objective) >= best.value(objective)):
            best = solver
        proven = status == cp_model.OPTIMAL
    if best is None:
        return Outcome(None, proven=False, bound=relaxed.bound)
    if prefer is not None:
        model.add(objective >= int(best.value(objective)))
        model.maximize(prefer)
        tie_break = relax(model)
        if tie_break is not None:  # None only if the simplex disagrees with CP-SAT
            widenings, budget = TIE_BREAK_WIDENINGS, TIE_BREAK_WORK_BUDGET
            best = search.guided(prefer, tie_break, best, widenings, budget)
    return Outcome(best, proven, bound=relaxed.bound)


def _hint(
    model: cp_model.CpModel, hinted: Sequence[cp_model.IntVar], solver: cp_model.CpSolver | None
) -> None:
    model.clear_hints()
    if solver is not None:
        for var in hinted:
            model.add_hint(var, solver.value(var))
