"""Solving a weekly plan: one CP-SAT model for every session, read back into a Plan.

A direct search proves most plans within a small deterministic work budget; when it stalls
(long plans, big catalogs) the LP-guided search of ``guided`` takes over, which finds plans
where the direct search finds none (measured: a 4-week plan on the imported catalog)."""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.errors import Infeasible, RoutinegenError
from routinegen.request.plan import PlanRequest
from routinegen.request.routine import Request
from routinegen.results import Plan, PlannedSession, SolverInfo
from routinegen.solve_options import PLAN_TIME_LIMIT, SolveOptions
from routinegen.solver.budget import make_solver, routine_solver
from routinegen.solver.candidates import VARIETY_SCALE, session_seed, variety
from routinegen.solver.explain import (
    conflicting_limits,
    conflicts_alone,
    explain,
    session_conflicts,
)
from routinegen.solver.limits.plan import PlanWords, explain_plan_core
from routinegen.solver.model import preferences
from routinegen.solver.plan_model import PlanModel, build_plan_explain_model, build_plan_model
from routinegen.solver.search import interruptible
from routinegen.solver.search.guided import Outcome, maximize
from routinegen.solver.solve import read_session, unused_choices

DIRECT_WORK_BUDGET = 1.0  # deterministic seconds for one direct search before the guided one
NOT_EXPLAINED_PLAN = "no plan meets these limits (the explanation was switched off)"


def solve_plan(catalog: Catalog, plan: PlanRequest, options: SolveOptions | None = None) -> Plan:
    """The best plan for ``plan``; raises Infeasible with the conflicting limits.

    The objective is the weeks' balance, summed (``plan_model``); the seed steers the
    direct search through a hint (``_seed_hints``) and breaks ties in the guided one.
    """
    options = replace(options or SolveOptions(), time_limit=plan_time_limit(options))
    started = time.perf_counter()
    pm = build_plan_model(catalog, plan)
    objective = sum(pm.balance)
    pm.model.maximize(objective)
    _seed_hints(pm, plan)
    direct = make_solver(plan.base, options, plan_time_limit(options))
    direct.parameters.max_deterministic_time = DIRECT_WORK_BUDGET
    status = interruptible.solve(direct, pm.model)
    if status == cp_model.INFEASIBLE:
        raise explain_plan(catalog, plan, options)
    if status == cp_model.OPTIMAL:
        outcome = Outcome(direct, proven=True)
    else:  # stalled: the guided search, which finds plans where this one finds none
        outcome = maximize(
            pm.model,
            objective,
            narrow=lambda relaxed, best, widen: [
                index
                for session in pm.sessions
                for index in unused_choices(session, relaxed, best, widen)
            ],
            new_solver=lambda seconds: routine_solver(plan.base, options, seconds),
            time_limit=max(0.01, plan_time_limit(options) - (time.perf_counter() - started)),
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
            raise explain_plan(catalog, plan, options)
        if status == cp_model.FEASIBLE and (
            outcome.solver is None or outcome.solver.value(objective) < direct.value(objective)
        ):
            outcome = Outcome(direct, proven=False, bound=outcome.bound)
    if outcome.solver is None:
        raise RoutinegenError(
            f"no plan found within the {plan_time_limit(options):g} s time limit; "
            "allow more with --time-limit"
        )
    solver = outcome.solver
    value = int(solver.value(objective))
    info = SolverInfo(
        "OPTIMAL" if outcome.proven else "FEASIBLE",
        time.perf_counter() - started,
        value,
        value if outcome.proven else outcome.bound,
    )
    sessions = tuple(
        PlannedSession(
            slot.date,
            slot.start,
            slot.week,
            slot.focus_label,
            read_session(session, solver, catalog, info, start=slot.start),
        )
        for slot, session in zip(plan.slots, pm.sessions, strict=True)
    )
    weekly_coverage = []
    for week in range(1, plan.weeks + 1):
        totals: dict[str, int] = {}
        for s in sessions:
            if s.week == week:
                for muscle, seconds in s.routine.coverage.items():
                    totals[muscle] = totals.get(muscle, 0) + seconds
        weekly_coverage.append(dict(sorted(totals.items(), key=lambda kv: -kv[1])))
    base = plan.base.effective()
    first_start = plan.slots[0].start
    return Plan(
        request=replace(
            base,
            focus=plan.focus,
            focus_label=plan.rules.split or base.focus_label,
            start=first_start,
        ),
        rules=plan.rules,
        sessions=sessions,
        weekly_work_seconds=tuple(int(solver.value(w)) for w in pm.weekly_work),
        weekly_coverage=tuple(weekly_coverage),
        muscle_names=dict(catalog.muscles),
        solver=info,
    )


def plan_time_limit(options: SolveOptions | None) -> float:
    return (options or SolveOptions()).seconds(PLAN_TIME_LIMIT)


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
    sessions = _distinct_sessions(plan)
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


def _distinct_sessions(plan: PlanRequest) -> list[Request]:
    """Each different session request once, in plan order (their dates aside)."""
    return list(dict.fromkeys(replace(slot.request, start=None) for slot in plan.slots))
