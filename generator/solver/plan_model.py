"""The CP-SAT model of a weekly plan: every session at once, so the week as a whole is right.

Each session is the routine model's session (its own budget, equipment, ranges, level and
focus). Across sessions, the plan's limits (``limits.plan``, one class each):

- Recovery: a muscle worked as primary in one session is not worked as primary in another
  that starts less than ``recovery_hours`` later (48 h: not on the next calendar day).
- Variety: an exercise at most ``max_repeats`` times a week; no two sessions of a week have
  the same exercises.
- Progression: each week's total work grows on the last by the given range (e.g. 5-10 %);
  an optional deload week at the end drops to at most 60 % of the week before.

Objective: the balance of each week (the weekly work of its least-worked focus muscle, in
steps of 1/20 of the week's budget), summed over weeks. Unlike ``make``, the seed's variety
does not enter the objective: across five sessions its tie-break multiplies the proof's
work a hundredfold (measured), while the week rules above already force variety. The seed
instead steers the search: a partial solution hint keeps each session away from a
seed-chosen half of its exercises, and CP-SAT's own random seed is the request's seed (when
the direct search stalls, ``plan_solve`` hands over to the guided search, where the seed's
preference breaks ties instead). The plan is still proven best on the objective; a new seed
usually, not always, changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from itertools import combinations

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.request.plan import PlanRequest
from routinegen.solver.candidates import PRIMARY_WEIGHT, balance_step, candidates
from routinegen.solver.limits import Guards, Limit
from routinegen.solver.limits.plan import plan_limits
from routinegen.solver.session import Session, add_session

DELOAD_FILL = 0.5  # a deload week needs to fill only half its time


@dataclass
class PlanModel:
    """The plan's CP-SAT model with each session's variables."""

    model: cp_model.CpModel
    request: PlanRequest
    sessions: list[Session]
    weekly_work: list[cp_model.IntVar]
    balance: list[cp_model.IntVar]  # per week
    guards: dict[Limit, cp_model.IntVar] = field(default_factory=dict)


class PlanParts:
    """What the plan's limits are stated on: the sessions, which of them are too close to
    rest between, and each week's total work."""

    def __init__(
        self,
        model: cp_model.CpModel,
        plan: PlanRequest,
        sessions: list[Session],
        weekly_work: list[cp_model.IntVar],
    ) -> None:
        self.model = model
        self.plan = plan
        self.sessions = sessions
        self.weekly_work = weekly_work
        rules = plan.rules
        self.deload_week = deload_week_of(plan)
        self.close_pairs = [
            (a, b)
            for (a, sa), (b, sb) in combinations(enumerate(plan.slots), 2)
            if abs((sb.start - sa.start).total_seconds()) / 3600 < rules.recovery_hours
        ]
        self.uses = cache(self._uses)

    def weeks(self) -> list[list[int]]:
        """The sessions of each week, by index."""
        return [
            [n for n, s in enumerate(self.plan.slots) if s.week == week]
            for week in range(1, self.plan.rules.weeks + 1)
        ]

    def _uses(self, n: int, muscle: str) -> cp_model.IntVar | None:
        """A literal that is 1 when session ``n`` works ``muscle`` as primary (None: it
        can't)."""
        session = self.sessions[n]
        picks = [
            p
            for p, c in zip(session.picked, session.candidates, strict=True)
            if muscle in c.exercise.primary
        ]
        if not picks:
            return None
        uses = self.model.new_bool_var(f"s{n}:uses:{muscle}")
        for pick in picks:
            self.model.add(uses >= pick)
        return uses


def build_plan_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    """The optimisation model, with no objective: the search maximises ``sum(balance)``."""
    return _plan_model(catalog, plan, explain=False)


def build_plan_explain_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    return _plan_model(catalog, plan, explain=True)


def deload_week_of(plan: PlanRequest) -> int | None:
    """The deload week: the last, when asked for and the plan is longer than one week."""
    rules = plan.rules
    return rules.weeks if rules.deload and rules.weeks > 1 else None


def week_step(plan: PlanRequest, week: int) -> int:
    budget = sum(s.request.budget_seconds for s in plan.slots if s.week == week)
    return balance_step(budget)


def _plan_model(catalog: Catalog, plan: PlanRequest, explain: bool) -> PlanModel:
    model = cp_model.CpModel()
    guards = Guards(model, explain)
    rules = plan.rules
    deload_week = deload_week_of(plan)
    sessions = []
    for n, slot in enumerate(plan.slots):
        request = slot.request
        if slot.week == deload_week:
            request = replace(request, min_fill=min(request.min_fill, DELOAD_FILL))
        cands = candidates(catalog, request, keep_all=explain)
        sessions.append(add_session(model, cands, request, guards, prefix=f"s{n}:"))

    # Weekly work and balance.
    weekly_work = []
    balance = []
    for week in range(1, rules.weeks + 1):
        week_sessions = [sessions[n] for n, s in enumerate(plan.slots) if s.week == week]
        bound = sum(s.horizon for s in week_sessions) * PRIMARY_WEIGHT
        work = model.new_int_var(0, bound, f"work_w{week}")
        model.add(work == sum(_work(s) for s in week_sessions))
        weekly_work.append(work)
        level = model.new_int_var(0, bound // week_step(plan, week) + 1, f"balance_w{week}")
        if not explain:
            step = week_step(plan, week)
            for muscle in plan.focus:
                coverage = sum(s.work(muscle) for s in week_sessions)
                model.add(level * step <= coverage)
        balance.append(level)

    parts = PlanParts(model, plan, sessions, weekly_work)
    muscles = sorted({m for s in sessions for c in s.candidates for m in c.exercise.primary})
    for limit in plan_limits(muscles):
        limit.add(parts, guards)
    return PlanModel(model, plan, sessions, weekly_work, balance, guards.literals)


def _work(session: Session) -> cp_model.LinearExprT:
    """All work seconds of a session (every round, every side)."""
    return sum(
        var * r * session.candidates[i].prescriptions[k].work_seconds
        for (i, k, r), var in session.choice.items()
    )
