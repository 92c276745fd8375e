"""Solving a routine: run CP-SAT deterministically and read the answer into a Routine (or
raise the explanation of why there is none, from ``explain``)."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import datetime

from ortools.sat.python import cp_model

from routinegen.catalog import BODYWEIGHT, Catalog
from routinegen.errors import RoutinegenError
from routinegen.request.routine import Request
from routinegen.results import Routine, RoutineItem, SolverInfo
from routinegen.solve_options import SolveOptions
from routinegen.solver.budget import routine_solver, time_limit
from routinegen.solver.candidates import PRIMARY_WEIGHT, SECONDARY_WEIGHT
from routinegen.solver.model import build_model, preferences
from routinegen.solver.search.guided import maximize
from routinegen.solver.search.relaxation import Relaxation
from routinegen.solver.session import Session


def solve_routine(
    catalog: Catalog, request: Request, options: SolveOptions | None = None
) -> Routine:
    """The best-balanced routine for ``request``, the seed breaking ties; raises Infeasible
    with the conflicting limits.

    Balance is the objective, proven optimal by a search that its linear relaxation
    guides (``guided.maximize``); the seed's variety preference then chooses among the
    equally balanced routines that search finds (see ``model`` for both).
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    rm = build_model(catalog, request, preprocess=options.preprocess)
    outcome = maximize(
        rm.model,
        rm.balance,
        narrow=lambda relaxed, best, widen: unused_choices(rm.session, relaxed, best, widen),
        new_solver=lambda seconds: routine_solver(request, options, seconds),
        time_limit=time_limit(options),
        hinted=[*rm.session.choice.values(), *rm.session.rounds.values()],
        prefer=preferences(rm.session, request.seed),
        splits=[list(rm.session.rounds.values()), list(rm.counts.values())],
    )
    if outcome.infeasible:
        from routinegen.solver.explain import explain  # only a refusal needs it: faster start

        raise explain(catalog, request, options)
    if outcome.solver is None:
        raise RoutinegenError(
            f"no routine found within the {time_limit(options):g} s time limit; "
            "allow more with --time-limit"
        )
    value = int(outcome.solver.value(rm.balance))
    info = SolverInfo(
        "OPTIMAL" if outcome.proven else "FEASIBLE",
        time.perf_counter() - started,
        value,
        value if outcome.proven else outcome.bound,
    )
    return read_session(rm.session, outcome.solver, catalog, info)


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
    rounds = next(r for r, var in session.rounds.items() if solver.boolean_value(var))
    chosen = [
        (c, c.prescriptions[k])
        for (i, k, _), var in session.choice.items()
        if solver.boolean_value(var)
        for c in [session.candidates[i]]
    ]
    order = {e.id: n for n, e in enumerate(catalog.exercises)}
    chosen.sort(key=lambda cp: (cp[0].exercise.by_seconds, order[cp[0].exercise.id]))
    items = tuple(
        RoutineItem(
            id=c.exercise.id,
            name=c.exercise.name,
            equipment="+".join(sorted(c.way or ())) or BODYWEIGHT,
            reps=None if c.exercise.by_seconds else p.amount,
            work_seconds=p.amount if c.exercise.by_seconds else None,
            dose=c.exercise.dose,
            per_side=c.exercise.unilateral,
            seconds=p.seconds,
            primary=c.exercise.primary,
            secondary=c.exercise.secondary,
        )
        for c, p in chosen
    )
    coverage: dict[str, float] = {}
    for c, p in chosen:
        for muscle in c.exercise.primary:
            coverage[muscle] = coverage.get(muscle, 0) + p.work_seconds * rounds
        for muscle in c.exercise.secondary:
            coverage[muscle] = (
                coverage.get(muscle, 0)
                + p.work_seconds * rounds * SECONDARY_WEIGHT / PRIMARY_WEIGHT
            )
    total = (
        rounds * (sum(p.seconds for _, p in chosen) + request.rest_seconds * (len(chosen) - 1))
        + (rounds - 1) * request.round_rest_seconds
    )
    assert total == solver.value(session.total), "model and reading disagree on the time"
    return Routine(
        request=request.effective(),
        items=items,
        rounds=rounds,
        rest_seconds=request.rest_seconds,
        round_rest_seconds=request.round_rest_seconds,
        budget_seconds=request.budget_seconds,
        total_seconds=total,
        coverage={m: round(s) for m, s in sorted(coverage.items(), key=lambda kv: -kv[1])},
        muscle_names=dict(catalog.muscles),
        solver=info,
    )
