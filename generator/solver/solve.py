"""Solving a routine: run CP-SAT deterministically and read the answer into a Routine (or
raise the explanation of why there is none, from ``explain``)."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import datetime

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.errors import RoutinegenError
from routinegen.request.routine import Request
from routinegen.results import Proof, Routine, SolverInfo
from routinegen.solve_options import SolveOptions
from routinegen.solver.budget import routine_solver, time_limit
from routinegen.solver.candidates import CREDIT_SCALE
from routinegen.solver.model import (
    BALANCE_STEP,
    RoutineModel,
    balance_cap,
    build_model,
    preferences,
)
from routinegen.solver.prescribe import main_seconds, routine_of
from routinegen.solver.search.guided import maximize
from routinegen.solver.search.relaxation import Relaxation
from routinegen.solver.session import Session


def solve_routine(
    catalog: Catalog, request: Request, options: SolveOptions | None = None
) -> Routine:
    """The best routine for ``request``; raises Infeasible with the conflicting limits.

    The score (patterns, then hard-set balance) is the objective, proven optimal by a
    search that its linear relaxation guides (``guided.maximize``); the preference (quality,
    then the seed's variety) then chooses among the routines within the tolerance
    (``tolerance``; see ``model``).
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    rm = build_model(catalog, request, preprocess=options.preprocess)
    outcome = maximize(
        rm.model,
        rm.score,
        narrow=lambda relaxed, best, widen: unused_choices(rm.session, relaxed, best, widen),
        new_solver=lambda seconds: routine_solver(request, options, seconds),
        time_limit=time_limit(options),
        hinted=[*rm.session.choice.values(), *rm.session.rounds.values()],
        prefer=preferences(rm.session, request.seed),
        splits=[
            *([list(rm.session.rounds.values())] if rm.session.rounds else []),
            list(rm.counts.values()),
        ],
        tolerance=lambda score: tolerance(rm, score),
    )
    if outcome.infeasible:
        from routinegen.solver.explain import explain  # only a refusal needs it: faster start

        raise explain(catalog, request, options)
    if outcome.solver is None:
        raise RoutinegenError(
            f"no routine found within the {time_limit(options):g} s time limit; "
            "allow more with --time-limit"
        )
    best = int(outcome.best_value if outcome.best_value is not None else 0)
    info = SolverInfo(  # the score's proof; the chosen routine's value is in its Proof
        "OPTIMAL" if outcome.proven else "FEASIBLE",
        time.perf_counter() - started,
        best,
        best if outcome.proven else outcome.bound,
    )
    routine = read_session(rm.session, outcome.solver, catalog, info)
    return replace(routine, proof=proof(rm, outcome.solver, best, outcome.proven))


TOLERANCE = 1  # a seed may choose a routine one balance step (one hard set) below the best,
TOLERANCE_FROM = 4  # when the best gives the least-trained muscle at least 4 hard sets


def tolerance(rm: RoutineModel, score: int) -> int:
    """How far below the best score a seed may choose: one hard set when the best is at
    least 4 sets (so a seed never gives up more than a quarter of the stimulus), else 0."""
    steps = _balance_of(rm, score)
    return TOLERANCE if steps * BALANCE_STEP >= TOLERANCE_FROM * CREDIT_SCALE else 0


def _balance_of(rm: RoutineModel, score: int) -> int:
    """The balance part of a score (the patterns part counts in units of cap + 1)."""
    return score % (balance_cap(rm.request) + 1) if rm.families or rm.lifts else score


def proof(rm: RoutineModel, solver: cp_model.CpSolver, best: int, proven: bool) -> Proof:
    """What was proven, in hard sets: the best score, and the chosen routine's."""
    request = rm.request
    covered = tuple(f for f, var in rm.families.items() if solver.boolean_value(var))
    best_balance = _balance_of(rm, best)
    return Proof(
        objective="hard sets for the least-trained focus muscle"
        + (", after the most pattern families covered" if rm.families else "")
        + (", after the most patterns trained by a loaded lift" if rm.lifts else ""),
        unit="hard sets",
        best=best_balance * BALANCE_STEP / CREDIT_SCALE,
        value=int(solver.value(rm.balance)) * BALANCE_STEP / CREDIT_SCALE,
        tolerance=tolerance(rm, best) * BALANCE_STEP / CREDIT_SCALE,
        proven=proven,
        patterns_covered=covered,
        patterns_missing=tuple(f for f in request.patterns if f not in covered),
    )


def unused_choices(
    session: Session, relaxed: Relaxation, best: cp_model.CpSolver | None, widen: int
) -> list[int]:
    """The choices of the exercises a guided search leaves out (proto indices): it keeps
    those the relaxation uses, those in the best routine so far, and ``widen`` more of the
    most promising others (smallest reduced cost)."""
    costs = relaxed.reduced_costs
    chosen = best.response_proto.solution if best is not None else None
    promise: dict[int, float] = {}
    keep: set[int] = set()
    for (i, _, _), var in session.choice.items():
        index = var.index
        promise[i] = min(promise.get(i, math.inf), abs(costs[index]))
        if index in relaxed.used or (chosen is not None and chosen[index]):
            keep.add(i)
    others = sorted((i for i in promise if i not in keep), key=lambda i: (promise[i], i))
    keep.update(others[:widen])
    return [var.index for (i, _, _), var in session.choice.items() if i not in keep]


def read_session(
    session: Session,
    solver: cp_model.CpSolver,
    catalog: Catalog,
    info: SolverInfo,
    start: datetime | None = None,
) -> Routine:
    """Turn one session's solved variables into plain result data."""
    request = session.request if start is None else replace(session.request, start=start)
    rounds = next((r for r, var in session.rounds.items() if solver.boolean_value(var)), 1)
    chosen = [
        (session.candidates[i], session.candidates[i].prescriptions[k], s)
        for (i, k, s), var in session.choice.items()
        if solver.boolean_value(var)
    ]
    assert main_seconds(request, chosen, rounds) == solver.value(session.total), (
        "model and reading disagree on the time"
    )
    return routine_of(catalog, request, chosen, rounds, info)
