"""Maximise an objective fast and provably, then break ties: a search guided by the LP.

CP-SAT's single worker often needs seconds to prove a routine's balance optimal on a big
catalog, and most of that time goes into *finding* the best routine, not bounding it. The
linear relaxation (``relaxation.relax``) gives a bound in milliseconds, nearly always tight
once rounded down, and its solution says which exercises matter. So, in order, each step
only if the ones before have not closed the gap between the best answer and the bound:

1. The relaxation: an upper bound, and the variables its solution uses.
2. Guided searches: copies of the model where only the exercises the relaxation uses may
   be picked, then also the most promising others by reduced cost (the caller's ``narrow``
   says which Booleans to fix to 0). They are small, so CP-SAT solves each in
   milliseconds. An answer that reaches the bound is proven optimal.
3. A short yes-or-no search of the whole model: can the bound be reached at all? "No"
   lowers the bound by one, which often meets the answer already found.
4. Cases (``splits``): each round count, and each exercise count of a round count still
   open, is a model of its own with a tighter relaxation; steps 1-2 run on each.
5. A longer yes-or-no search, then the whole model from the best answer so far with the
   bound as a cut, until it is proven or the time runs out.

Then the tie-break (``prefer``): among answers as good as the one found, a guided search
looks for the most preferred, starting from that answer. The tie-break is not part of the
proof: it steers the choice among equally good answers without the cost of proving that no
other tie is preferred more (measured: that proof alone took up to 10 s on the imported
catalog, where the rest takes milliseconds).

Every step is deterministic: one worker, a fixed seed and deterministic work budgets; only
the overall time limit is wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from routinegen.solver.search import interruptible
from routinegen.solver.search.relaxation import Relaxation, Rows, relax

GUIDED_WORK_BUDGET = 0.25  # deterministic seconds per guided search for the objective
TIE_BREAK_WORK_BUDGET = 0.1  # and for the tie-break, which is best effort
WIDENINGS = (0, 10, 25)  # more promising choices per guided search for the objective
TIE_BREAK_WIDENINGS = (10,)
QUICK_REACH_WORK_BUDGET = 0.05  # deterministic seconds to settle the bound early
REACH_WORK_BUDGET = 2.0  # and later, when the guided searches could not reach it
REACH_TRIES = 3  # bounds to try each time (the relaxation is rarely more than 1 too high)
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
    best_value: int | None = None  # the best objective found, before the tie-break


@dataclass
class _Search:
    """One maximisation: the best answer so far and the best bound, both kept current."""

    model: cp_model.CpModel
    goal: cp_model.LinearExprT
    narrow: Narrow
    new_solver: NewSolver
    hinted: Sequence[cp_model.IntVar]
    deadline: float
    relaxed: Relaxation
    best: cp_model.CpSolver | None = None
    bound: int = 0
    proven: bool = False  # the best answer is optimal
    infeasible: bool = False  # proven: there is no answer at all
    split: bool = False  # replaced by its cases, which cover all its answers

    def __post_init__(self) -> None:
        self.bound = self.relaxed.bound

    @property
    def done(self) -> bool:
        if self.proven or self.infeasible:
            return True
        return self.best is not None and self.best.value(self.goal) >= self.bound

    def open_above(self, value: int | None) -> bool:
        """Whether this case may still hold an answer better than ``value``."""
        return not self.done and (value is None or self.bound > value)

    def guided(self, widenings: Sequence[int], budget: float) -> None:
        """Guided searches, narrowest first, until one reaches the bound. A search that
        rules nothing out is the whole model, and proves its answer optimal."""
        previous: Sequence[int] | None = None
        for widen in widenings:
            ruled_out = self.narrow(self.relaxed, self.best, widen)
            if self.done or ruled_out == previous:
                continue
            previous = ruled_out
            copy = self.model.clone()
            for index in ruled_out:
                copy.proto.variables[index].domain[1] = 0
            status = self._solve(copy, budget)
            if not ruled_out:
                self._settle(status)

    def reach(self, budget: float) -> None:
        """Ask whether the bound itself can be reached (a yes-or-no question is often
        settled far sooner than the optimisation), lowering it while the answer is no."""
        for _ in range(REACH_TRIES):
            if self.done:
                return
            copy = self.model.clone()
            copy.clear_objective()
            copy.add(self.goal >= self.bound)
            status = self._solve(copy, budget)
            if status != cp_model.INFEASIBLE:
                return
            self.bound -= 1

    def exhaust(self) -> None:
        """Search the whole model, the bound as a cut, until proven or out of time."""
        if not self.done:
            self.model.add(self.goal <= self.bound)
            self._settle(self._solve(self.model, None))

    def _settle(self, status: cp_model.CpSolverStatus) -> None:
        """What a search of the whole model proves."""
        self.proven = status == cp_model.OPTIMAL
        self.infeasible = status == cp_model.INFEASIBLE

    def _solve(self, model: cp_model.CpModel, budget: float | None) -> cp_model.CpSolverStatus:
        _hint(model, self.hinted, self.best)
        solver = self.new_solver(max(0.01, self.deadline - time.perf_counter()))
        if budget is not None:
            solver.parameters.max_deterministic_time = budget
        status = interruptible.solve(solver, model)
        if status in FOUND and (
            self.best is None or solver.value(self.goal) > self.best.value(self.goal)
        ):
            self.best = solver
        return status


def maximize(
    model: cp_model.CpModel,
    objective: cp_model.LinearExprT,
    narrow: Narrow,
    new_solver: NewSolver,
    time_limit: float,
    hinted: Sequence[cp_model.IntVar] = (),
    prefer: cp_model.LinearExprT | None = None,
    splits: Sequence[Sequence[cp_model.IntVar]] = (),
    tolerance: Callable[[int], int] = lambda best: 0,
) -> Outcome:
    """Maximise ``objective`` (proven when the time allows), then ``prefer`` among the
    answers within ``tolerance(best)`` of the best found.

    ``hinted`` are the variables that carry an answer from one search to the next.

    ``splits`` are groups of Booleans of which every answer has exactly one true (for a
    routine: its round count, then its exercise count). The model is split into one case
    per Boolean of the first group, and a case the cheap steps leave open is split again
    by the next group. Each case is far easier for CP-SAT than the disjunction, and its
    own relaxation is tighter, so a case that cannot beat the best answer so far is
    skipped (measured: a 60-minute full-body routine proven in 0.3 s instead of not
    within 10 s; the hardest of 30 requests on a 10,000-exercise catalog in 1.9 s instead of 5.8 s).
    """
    deadline = time.perf_counter() + time_limit
    model.maximize(objective)

    rows = Rows.of(model)  # every case is a copy of the model: build its LP rows once

    def cases(parent: cp_model.CpModel, group: Sequence[cp_model.IntVar | None]) -> list[_Search]:
        found = []
        for literal in group:
            copy = parent.clone()
            if literal is not None:
                copy.proto.variables[literal.index].domain[0] = 1
            relaxed = relax(copy, rows)
            if relaxed is not None:  # else not even the relaxation has a solution
                found.append(
                    _Search(copy, objective, narrow, new_solver, hinted, deadline, relaxed)
                )
        return sorted(found, key=lambda search: -search.bound)  # the most promising first

    searches = cases(model, [*splits[0]] if splits else [None])
    _run(searches, searches, objective, _CHEAP_STEPS)
    for group in splits[1:]:
        value = _best(searches, objective)[0]
        for search in [s for s in searches if not s.split and s.open_above(value)]:
            search.split = True
            children = cases(search.model, group)
            searches += children
            _run(searches, children, objective, _GUIDED_STEPS)  # their parent's reach failed
    _run(searches, searches, objective, _COSTLY_STEPS)

    value, winner = _best(searches, objective)
    leaves = [search for search in searches if not search.split]
    if value is None or winner is None or winner.best is None:
        infeasible = all(search.infeasible for search in leaves)
        return Outcome(None, proven=infeasible, infeasible=infeasible)
    proven = not any(search.open_above(value) for search in leaves)
    best = winner.best
    if prefer is not None:
        # Ties are sought in the winning case; a tolerance opens every case (the model).
        slack = tolerance(value)
        near = winner.model if slack == 0 else model.clone()
        near.add(objective >= value - slack)
        near.maximize(prefer)
        tie_break = relax(near, rows)
        if tie_break is not None:  # None only if the simplex disagrees with CP-SAT
            ties = _Search(near, prefer, narrow, new_solver, hinted, deadline, tie_break, best)
            ties.guided(TIE_BREAK_WIDENINGS, TIE_BREAK_WORK_BUDGET)
            best = ties.best
    bound = max(value, *(search.bound for search in leaves))
    return Outcome(best, proven, bound=bound, best_value=value)


Step = Callable[["_Search"], None]
_GUIDED_STEPS: tuple[Step, ...] = (
    lambda search: search.guided(WIDENINGS[:1], GUIDED_WORK_BUDGET),
    lambda search: search.guided(WIDENINGS[1:], GUIDED_WORK_BUDGET),
)
_CHEAP_STEPS: tuple[Step, ...] = (
    *_GUIDED_STEPS,
    lambda search: search.reach(QUICK_REACH_WORK_BUDGET),
)
_COSTLY_STEPS: tuple[Step, ...] = (
    lambda search: search.reach(REACH_WORK_BUDGET),
    lambda search: search.exhaust(),
)


def _run(
    everything: Sequence[_Search],
    searches: Sequence[_Search],
    objective: cp_model.LinearExprT,
    steps: Sequence[Step],
) -> None:
    """Each step on each open case that could still beat the best answer of all."""
    for step in steps:
        for search in searches:
            if not search.split and search.open_above(_best(everything, objective)[0]):
                step(search)


def _best(
    searches: Sequence[_Search], objective: cp_model.LinearExprT
) -> tuple[int | None, _Search | None]:
    """The best objective value found and the first search that found it."""
    value, winner = None, None
    for search in searches:
        if search.best is not None:
            found = int(search.best.value(objective))
            if value is None or found > value:
                value, winner = found, search
    return value, winner


def _hint(
    model: cp_model.CpModel, hinted: Sequence[cp_model.IntVar], solver: cp_model.CpSolver | None
) -> None:
    """Start the next search from ``solver``'s answer (written to the proto in one go:
    ``add_hint`` per variable cost 0.16 s a request on a 10,000-exercise catalog)."""
    model.clear_hints()
    if solver is not None:
        solution = solver.response_proto.solution
        indices = [var.index for var in hinted]
        model.proto.solution_hint.vars.extend(indices)
        model.proto.solution_hint.values.extend([solution[i] for i in indices])
