"""Solving a weekly plan: one CP-SAT model for every session, read back into a Plan (a
plan longer than ``SINGLE_MODEL_WEEKS``: one model per block of weeks, see ``plan_model``).

A direct search proves most plans within a small deterministic work budget; when it stalls
(long plans, big catalogs) the LP-guided search of ``guided`` takes over, which finds plans
where the direct search finds none (measured: a 4-week plan on the imported catalog).

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
from routinegen.results import Plan, PlannedSession, SolverInfo
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
    SINGLE_MODEL_WEEKS,
    Later,
    PlanModel,
    blocks,
    build_plan_explain_model,
    build_plan_model,
    first_week,
    floor_work,
    later_of,
    tie_to_later,
)
from routinegen.solver.search import interruptible
from routinegen.solver.search.guided import maximize
from routinegen.solver.search.relaxation import relax
from routinegen.solver.solve import read_session, unused_choices

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

    The objective is the weeks' balance, summed (``plan_model``); the seed steers the
    direct search through a hint (``_seed_hints``) and breaks ties in the guided one.
    Every search runs on a share of one deterministic budget (``plan_work``), so the plan
    does not depend on the machine's speed or load; the wall-time limit bounds the whole
    call (model, searches, explanation) as a safety net, and the result says when it cut
    a search short (``SolverInfo.stopped_by_wall_clock``).
    """
    options = options or SolveOptions()
    wall = options.plan_seconds(plan.weeks)
    options = replace(options, time_limit=wall)
    started = time.perf_counter()
    work, deadline = plan_work(options, plan.weeks), started + wall
    pieces = blocks(plan) if plan.weeks > SINGLE_MODEL_WEEKS else [plan]
    offsets = [sum(len(p.slots) for p in pieces[:n]) for n in range(len(pieces))]
    ledgers: list[Ledger] = []
    solved: list[tuple[PlanModel, cp_model.CpSolver]] = []
    later: Later | None = None
    least = _least_work(catalog, plan, options, work, deadline, ledgers) if len(pieces) > 1 else 0
    value, proven = 0, True
    bound: int | None = 0
    for n in reversed(range(len(pieces))):  # the last block first: see ``BLOCK_WEEKS``
        piece = pieces[n]
        spent = sum(ledger.used() for ledger in ledgers)
        ledgers.append(Ledger(max(0.0, work - spent) / (n + 1), deadline))
        pm = build_plan_model(catalog, piece)
        objective = sum(pm.balance)
        alone = _alone_bound(pm, objective) if len(pieces) > 1 else None
        if later is not None:
            tie_to_later(pm, later)
        if least:
            floor_work(pm, sum(p.weeks for p in pieces[:n]) + 1, least)
        goal = objective
        if len(pieces) > 1:  # ties broken toward more work, leaving room for the weeks before
            goal = objective * (_most(pm.weekly_work[0]) + 1) + pm.weekly_work[0]
        found = _search(pm, goal, piece, options, ledgers[-1], offsets[n])
        if found is None and later is None:  # not even on its own: say why
            raise explain_plan(catalog, plan, replace(options, time_limit=ledgers[-1].wall_left()))
        if found is None or found.solver is None:
            raise _not_found(ledgers, wall, None if found else _weeks(pieces, n))
        solved.insert(0, (pm, found.solver))
        later = later_of(pm, found.solver, later)
        value += int(found.solver.value(objective))
        proven = proven and found.proven
        piece_bound = found.bound if len(pieces) == 1 else alone
        bound = bound + piece_bound if bound is not None and piece_bound is not None else None
    proven = (proven and len(pieces) == 1) or (bound is not None and value >= bound)
    info = SolverInfo(
        "OPTIMAL" if proven else "FEASIBLE",
        time.perf_counter() - started,
        value,
        value if proven else bound,
        stopped_by_wall_clock=any(ledger.cut_by_wall_clock() for ledger in ledgers),
        work_seconds=round(sum(ledger.used() for ledger in ledgers), 3),
    )
    return _read_plan(catalog, plan, solved, info)


def _most(var: cp_model.IntVar) -> int:
    return int(var.proto.domain[-1])


def _alone_bound(pm: PlanModel, objective: cp_model.LinearExprT) -> int | None:
    """A bound on a block's objective in any plan: its relaxation before it is tied to the
    blocks after it (which only takes plans away), so the blocks' bounds add up to one on
    the whole plan's objective."""
    pm.model.maximize(objective)
    relaxed = relax(pm.model)
    return None if relaxed is None else relaxed.bound


LEAST_SHARE = 0.05  # of a long plan's budget, to find its first week's least work


def _least_work(
    catalog: Catalog,
    plan: PlanRequest,
    options: SolveOptions,
    work: float,
    deadline: float,
    ledgers: list[Ledger],
) -> int:
    """A lower bound on the first week's work (its least, when proven): with the growth
    each week must show, it tells how much work every later week needs at least."""
    ledgers.append(Ledger(LEAST_SHARE * work, deadline))
    pm = build_plan_model(catalog, first_week(plan))
    pm.model.minimize(pm.weekly_work[0])
    solver = routine_solver(plan.base, options, ledgers[-1].wall_left(), ledgers[-1].solver())
    status = interruptible.solve(solver, pm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
        return 0
    bound = float(solver.best_objective_bound)
    return max(0, math.ceil(bound - 1e-6)) if math.isfinite(bound) else 0


def _weeks(pieces: list[PlanRequest], n: int) -> str:
    first = sum(p.weeks for p in pieces[:n]) + 1
    return f"weeks {first}-{first + pieces[n].weeks - 1}"


def _not_found(ledgers: list[Ledger], wall: float, weeks: str | None) -> RoutinegenError:
    """No plan within the budget (or none for ``weeks`` that leads into the weeks after)."""
    if weeks is not None:
        return RoutinegenError(
            f"no plan found: {weeks} cannot lead into the weeks planned after them (their "
            "progression and recovery); try fewer weeks, --progression 0-10 or no --deload"
        )
    if any(ledger.cut_by_wall_clock() for ledger in ledgers):
        return RoutinegenError(
            f"no plan found within the {wall:g} s time limit; allow more with --time-limit"
        )
    work = sum(ledger.work for ledger in ledgers)
    return RoutinegenError(
        f"no plan found within the search's budget ({work:.3g} deterministic seconds, from "
        f"the {wall:g} s time limit); allow more with --time-limit"
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
    offset: int = 0,
) -> Found | None:
    """The best plan within the ledger's budget; None when there is provably none.

    A direct search first (most plans are proven within a few deterministic seconds);
    when it stalls, the LP-guided search of ``guided``, which finds plans where the direct
    one finds none (measured: a 4-week plan on the imported catalog)."""
    pm.model.maximize(objective)
    _seed_hints(pm, plan, offset)
    direct = routine_solver(
        plan.base, options, ledger.wall_left(), ledger.solver(DIRECT_SHARE * ledger.work)
    )
    status = interruptible.solve(direct, pm.model)
    if status == cp_model.INFEASIBLE:
        return None
    if status == cp_model.OPTIMAL:
        return Found(direct, True, int(direct.value(objective)))
    bound = _bound(direct)
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
            for n, session in enumerate(pm.sessions, offset)
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


def _read_plan(
    catalog: Catalog,
    plan: PlanRequest,
    solved: list[tuple[PlanModel, cp_model.CpSolver]],
    info: SolverInfo,
) -> Plan:
    """The solved blocks (one, unless the plan is long) as plain result data."""
    routines = [
        read_session(session, solver, catalog, info, start=slot.start)
        for pm, solver in solved
        for slot, session in zip(pm.request.slots, pm.sessions, strict=True)
    ]
    sessions = tuple(
        PlannedSession(slot.date, slot.start, slot.week, slot.focus_label, routine)
        for slot, routine in zip(plan.slots, routines, strict=True)
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
    return Plan(
        request=replace(
            base,
            focus=plan.focus,
            focus_label=plan.rules.split or base.focus_label,
            start=plan.slots[0].start,
        ),
        rules=plan.rules,
        sessions=sessions,
        weekly_work_seconds=tuple(
            int(solver.value(w)) for pm, solver in solved for w in pm.weekly_work
        ),
        weekly_coverage=tuple(weekly_coverage),
        muscle_names=dict(catalog.muscles),
        solver=info,
    )


def _seed_hints(pm: PlanModel, plan: PlanRequest, offset: int = 0) -> None:
    """Steer the direct search with the seed: each session is hinted away from a
    seed-chosen half of its exercises (a hint, so the proof is unaffected)."""
    for n, session in enumerate(pm.sessions, offset):
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
