"""Why a request cannot be met: a small set of its limits that cannot hold together.

Cheapest first:

1. ``counted_conflict``: exercise filters that leave a focus muscle no exercise, or a budget
   too short for the fewest exercises and rounds allowed, found by counting (no solver)
   and minimal by construction.
2. The explanation model (``build_explain_model``): every limit behind its own assumption
   literal, so CP-SAT names a set of them that conflict.
3. A deletion filter: each named limit is dropped in turn and stays out if the rest still
   conflict, so the person hears only the limits that matter.

Every CP-SAT check has a deterministic work budget (``CHECK_WORK``) and the deletion filter
another in all (``FILTER_WORK``): the same request gets the same explanation on any machine,
busy or idle, and wall time is only the safety net. A check that runs out of work counts as
"no conflict", so its limit stays named: the set still conflicts, and it is minimal unless a
check ran out.
"""

from __future__ import annotations

from functools import cache

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.errors import Infeasible
from routinegen.request.routine import Request
from routinegen.solve_options import SolveOptions
from routinegen.solver.budget import work_solver
from routinegen.solver.candidates import candidates
from routinegen.solver.limits import Explanation, Limit
from routinegen.solver.limits.conflicts import explain_session, too_long, unreachable
from routinegen.solver.limits.session import Fill, MaxTime, Words
from routinegen.solver.model import build_explain_model
from routinegen.solver.search import interruptible
from routinegen.solver.search.relaxation import relax

CHECK_WORK = 1.0  # deterministic seconds for one conflict check
FILTER_WORK = 4.0  # deterministic seconds for the whole deletion filter
NOT_EXPLAINED = "no routine meets these limits (the explanation was switched off)"


def explain(catalog: Catalog, request: Request, options: SolveOptions) -> Infeasible:
    """The error saying which limits cannot hold together (a small conflicting set)."""
    if not options.explain:
        return Infeasible([NOT_EXPLAINED])
    core = counted_conflict(catalog, request)
    if core is None:
        rm = build_explain_model(catalog, request)
        core = conflicting_limits(rm.model, rm.guards, request, options)
    if core is None:
        return Infeasible(["no routine was found, though no single set of limits is to blame"])
    why = session_conflicts(catalog, request, core, options)
    return Infeasible([why.sentence], why.limits, why.suggestion)


def conflicts_alone(catalog: Catalog, request: Request, options: SolveOptions) -> bool:
    """Whether ``request`` cannot be met on its own, checked with its limits fixed on (fast:
    presolve or the relaxation usually settles it); an unsettled check says no."""
    if counted_conflict(catalog, request) is not None:
        return True
    rm = build_explain_model(catalog, request)
    return Checks(rm.model, rm.guards, request, options).conflict(set(rm.guards))


def counted_conflict(catalog: Catalog, request: Request) -> set[Limit] | None:
    """A minimal conflict found by counting, without a solver, if there is one of the kinds
    that come up most: a focus muscle no exercise reaches, or a budget too short."""
    cands = candidates(catalog, request, keep_all=True)
    found = unreachable(cands, request)
    return found if found is not None else too_long(cands, request)


def conflicting_limits(
    model: cp_model.CpModel,
    guards: dict[Limit, cp_model.IntVar],
    request: Request,
    options: SolveOptions,
) -> set[Limit] | None:
    """A minimal set of limits that cannot hold together, or None if none is found."""
    checks = Checks(model, guards, request, options)
    core = checks.core()
    if core is None and checks.conflict(set(guards)):
        # The assumptions were not settled (presolve cannot use them: measured, a 2-week
        # plan took 4.4 s this way and 0.01 s with the limits fixed), but all the limits
        # together do conflict: the deletion filter below narrows them down.
        core = set(guards)
    if core is None:
        return None
    checks.spent = 0.0
    for limit in sorted(core):
        if checks.spent > FILTER_WORK:
            break  # still a true conflict, only perhaps not the smallest
        if checks.conflict(core - {limit}):
            core = core - {limit}
    return core


class Checks:
    """Conflict checks on one explanation model, counting the deterministic work done."""

    def __init__(
        self,
        model: cp_model.CpModel,
        guards: dict[Limit, cp_model.IntVar],
        request: Request,
        options: SolveOptions,
    ) -> None:
        self.model = model
        self.guards = guards
        self.request = request
        self.options = options
        self.spent = 0.0

    def conflict(self, on: set[Limit]) -> bool:
        """Whether the limits ``on`` alone conflict (the others switched off)."""
        copy = with_limits(self.model, self.guards, on)
        if relax(copy) is None:
            return True
        return bool(self._solve(copy) == cp_model.INFEASIBLE)

    def core(self) -> set[Limit] | None:
        """The limits CP-SAT names as enough to conflict, from the assumption literals."""
        self.model.clear_assumptions()
        self.model.add_assumptions(list(self.guards.values()))
        solver = work_solver(self.request, self.options, CHECK_WORK)
        status = interruptible.solve(solver, self.model)
        self.spent += solver.response_proto.deterministic_time
        if status != cp_model.INFEASIBLE:
            return None
        by_index = {guard.index: limit for limit, guard in self.guards.items()}
        return {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}

    def _solve(self, model: cp_model.CpModel) -> int:
        solver = work_solver(self.request, self.options, CHECK_WORK)
        status = int(interruptible.solve(solver, model))
        self.spent += solver.response_proto.deterministic_time
        return status


def with_limits(
    model: cp_model.CpModel, guards: dict[Limit, cp_model.IntVar], on: set[Limit]
) -> cp_model.CpModel:
    """A copy of an explanation model with the limits ``on`` switched on and the others
    off. The guards are fixed rather than assumed, so presolve can use them: measured,
    0.03 s instead of 1.2 s a conflict check for a 10-minute full-body request."""
    copy = model.clone()
    copy.clear_assumptions()
    for limit, guard in guards.items():
        domain = copy.proto.variables[guard.index].domain
        domain[0] = domain[1] = int(limit in on)
    return copy


def minimum_seconds(
    catalog: Catalog, request: Request, core: set[Limit], options: SolveOptions
) -> int | None:
    """The shortest routine meeting every limit but the time ones; if there is none, the
    shortest meeting the conflicting ones (``core``) but the time ones; None if neither
    is found."""
    rm = build_explain_model(catalog, request)
    for on in (set(rm.guards), core):
        model = with_limits(rm.model, rm.guards, on - {MaxTime(), Fill()})
        model.minimize(rm.session.total)
        solver = work_solver(request, options, CHECK_WORK)
        if interruptible.solve(solver, model) == cp_model.OPTIMAL:
            return int(solver.value(rm.session.total))
    return None


def session_conflicts(
    catalog: Catalog, request: Request, core: set[Limit], options: SolveOptions
) -> Explanation:
    """Why the session limits ``core`` of ``request`` cannot hold together."""
    shortest = cache(lambda: minimum_seconds(catalog, request, core, options))
    return explain_session(core, Words(catalog, request, shortest))
