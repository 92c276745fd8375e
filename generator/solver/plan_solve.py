"""Solving a plan: one CP-SAT model of its recurring sessions (``plan_model``), read back
into a Plan with each week's doses (``plan_read``).

A direct search proves most plans within a small deterministic work budget; when it stalls
(big catalogs) the LP-guided search of ``guided`` takes over, which finds plans where the
direct search finds none.

Both run on shares of one deterministic budget (``plan_work``: CP-SAT's measure of work,
the same on any machine), so a request and its time limit give the same plan on a busy
machine and an idle one; the wall clock only stops a search the machine is too slow for,
and the result then says so (``SolverInfo.stopped_by_wall_clock``)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.errors import Infeasible, RoutinegenError
from routinegen.request.plan import PlanRequest
from routinegen.request.routine import Request
from routinegen.results import Plan, SolverInfo
from routinegen.solve_options import PLAN_WORK_PER_SECOND, SolveOptions
from routinegen.solver.budget import Ledger, routine_solver
from routinegen.solver.candidates import VARIETY_SCALE, session_seed, variety
from routinegen.solver.explain import (
    conflicting_limits,
    conflicts_alone,
    explain,
    session_conflicts,
)
from routinegen.solver.limits.plan import PlanWords, explain_plan_core
from routinegen.solver.model import preferences
from routinegen.solver.plan_model import (
    PlanModel,
    build_plan_explain_model,
    build_plan_model,
    splits_itself,
)
from routinegen.solver.plan_read import read_plan
from routinegen.solver.search import interruptible
from routinegen.solver.search.guided import maximize
from routinegen.solver.solve import unused_choices

DIRECT_SHARE = 0.5  # of the plan's deterministic budget, for the direct search
NOT_EXPLAINED_PLAN = "no plan meets these limits (the explanation was switched off)"


@dataclass(frozen=True)
class Found:
    """The best plan a search found (in ``solver``'s response), and what is proven of it."""

    solver: cp_model.CpSolver | None  # None: no plan within the budget
    proven: bool
    bound: int | None  # an upper bound on the objective, when one is known


def solve_plan(catalog: Catalog, plan: PlanRequest, options: SolveOptions | None = None) -> Plan:
    """The best plan for ``plan``; raises Infeasible with the conflicting limits.

    The objective is the plan's score (``plan_model``); the seed steers the direct search
    through a hint (``_seed_hints``) and breaks ties in the guided one. Every search runs
    on a share of one deterministic budget (``plan_work``), so the plan does not depend on
    the machine's speed or load; the wall-time limit bounds the whole call (model,
    searches, explanation) as a safety net, and the result says when it cut a search
    short (``SolverInfo.stopped_by_wall_clock``).
    """
    options = options or SolveOptions()
    wall = options.plan_seconds(plan.weeks)
    options = replace(options, time_limit=wall)
    started = time.perf_counter()
    ledger = Ledger(plan_work(options, plan.weeks), started + wall)
    pm = build_plan_model(catalog, plan)
    found = _search(pm, pm.score, plan, options, ledger)
    if found is None:
        raise explain_plan(catalog, plan, replace(options, time_limit=ledger.wall_left()))
    if found.solver is None:
        raise _not_found(ledger, wall)
    value = int(found.solver.value(pm.score))
    info = SolverInfo(
        "OPTIMAL" if found.proven else "FEASIBLE",
        time.perf_counter() - started,
        value,
        value if found.proven else found.bound,
        stopped_by_wall_clock=ledger.cut_by_wall_clock(),
        work_seconds=round(ledger.used(), 3),
    )
    return read_plan(catalog, pm, found.solver, info)


def _not_found(ledger: Ledger, wall: float) -> RoutinegenError:
    """No plan within the budget."""
    if ledger.cut_by_wall_clock():
        return RoutinegenError(
            f"no plan found within the {wall:g} s time limit; allow more with --time-limit"
        )
    return RoutinegenError(
        f"no plan found within the search's budget ({ledger.work:.3g} deterministic seconds, "
        f"from the {wall:g} s time limit); allow more with --time-limit"
    )


def plan_work(options: SolveOptions, weeks: int) -> float:
    """The plan's deterministic budget: ``max_deterministic_time`` when the options set
    it, else a share of the wall-time limit (``PLAN_WORK_PER_SECOND``)."""
    given = options.parameters.get("max_deterministic_time")
    if given is not None:
        return float(given)
    return PLAN_WORK_PER_SECOND * options.plan_seconds(weeks)


def _search(
    pm: PlanModel,
    objective: cp_model.LinearExprT,
    plan: PlanRequest,
    options: SolveOptions,
    ledger: Ledger,
) -> Found | None:
    """The best plan within the ledger's budget; None when there is provably none.

    A direct search first (most plans are proven within a few deterministic seconds);
    when it stalls, the LP-guided search of ``guided``, which finds plans where the direct
    one finds none (measured: a 4-week plan on the imported catalog)."""
    pm.model.maximize(objective)
    _seed_hints(pm, plan)
    direct = routine_solver(
        plan.base, options, ledger.wall_left(), ledger.solver(DIRECT_SHARE * ledger.work)
    )
    status = interruptible.solve(direct, pm.model)
    if status == cp_model.INFEASIBLE:
        return None
    if status == cp_model.OPTIMAL:
        return Found(direct, True, int(direct.value(objective)))
    bound = _bound(direct) if status == cp_model.FEASIBLE else None  # UNKNOWN: none known
    outcome = maximize(
        pm.model,
        objective,
        narrow=lambda relaxed, best, widen: [
            index
            for session in pm.sessions
            for index in unused_choices(session, relaxed, best, widen)
        ],
        new_solver=lambda seconds: routine_solver(plan.base, options, seconds, ledger.solver()),
        time_limit=ledger.wall_left(),
        hinted=[
            var
            for session in pm.sessions
            for var in (*session.choice.values(), *session.rounds.values())
        ],
        prefer=sum(
            preferences(session, session_seed(plan.base.seed, n))
            for n, session in enumerate(pm.sessions)
        ),
    )
    if outcome.infeasible:
        return None
    if outcome.bound is not None:
        bound = outcome.bound if bound is None else min(bound, outcome.bound)
    best = outcome.solver
    if status == cp_model.FEASIBLE and (
        best is None or best.value(objective) < direct.value(objective)
    ):
        best = direct
    if best is not None and bound is not None and best.value(objective) >= bound:
        return Found(best, True, bound)
    return Found(best, outcome.proven, bound)


def _bound(solver: cp_model.CpSolver) -> int | None:
    """The search's proven upper bound on the (whole-number) objective, if it has one."""
    bound = float(solver.best_objective_bound)
    if not math.isfinite(bound) or abs(bound) > 2**62:
        return None
    return math.floor(bound + 1e-6)


def _seed_hints(pm: PlanModel, plan: PlanRequest) -> None:
    """Steer the direct search with the seed: each session is hinted away from a
    seed-chosen half of its exercises (a hint, so the proof is unaffected)."""
    for n, session in enumerate(pm.sessions):
        salt = session_seed(plan.base.seed, n)
        for (i, _, _), var in session.choice.items():
            if variety(salt, session.candidates[i].exercise.id) < VARIETY_SCALE // 2:
                pm.model.add_hint(var, 0)


def explain_plan(catalog: Catalog, plan: PlanRequest, options: SolveOptions) -> Infeasible:
    """The error saying which limits of the plan cannot hold together.

    A session that cannot be met even on its own is explained as that session: its model
    is small and its answer plain ("lats cannot be worked with bodyweight only"), where the
    whole plan's model took seconds to say the same, or too long to say it at all.
    """
    if not options.explain:
        return Infeasible([NOT_EXPLAINED_PLAN])
    sessions = _distinct_sessions(plan) if _alone_applies(plan) else []
    for request in sessions:
        if conflicts_alone(catalog, request, options):
            alone = explain(catalog, request, options)
            if len(sessions) == 1:
                return alone
            label = request.focus_label
            if "," in label:  # a list of muscle ids: say their names
                label = " and ".join(catalog.muscles.get(m, m) for m in request.focus)
            said = [f"the {label} sessions: {alone.conflicts[0]}", *alone.conflicts[1:]]
            return Infeasible(said, alone.limits, alone.suggestion)
    pm = build_plan_explain_model(catalog, plan)
    core = conflicting_limits(pm.model, pm.guards, plan.base, options)
    if core is None:
        return Infeasible(["no plan was found, though no single set of limits is to blame"])
    first = plan.slots[0].request
    why = explain_plan_core(
        core,
        PlanWords(catalog, plan),
        lambda limits: session_conflicts(catalog, first, limits, options),
    )
    return Infeasible([why.sentence], why.limits, why.suggestion)


def _alone_applies(plan: PlanRequest) -> bool:
    """Whether a session on its own says why: not when the plan splits a focus of several
    muscles itself, since no session then needs every focus muscle."""
    return not splits_itself(plan) or len(plan.focus) == 1


def _distinct_sessions(plan: PlanRequest) -> list[Request]:
    """Each different session request once, in plan order (their dates aside)."""
    return list(dict.fromkeys(replace(slot.request, start=None) for slot in plan.slots))
