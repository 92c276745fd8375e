"""The CP-SAT model of a weekly plan: every session at once, so the week as a whole is right.

Each session is the routine model's session (its own budget, equipment, ranges, level and
focus). Across sessions:

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
from routinegen.solver.limits import DELOAD, DISTINCT, PROGRESSION, REPEATS, Limit, recovery_limit
from routinegen.solver.model import Limits, Session, add_session

DELOAD_SHARE = 0.6  # a deload week does at most this share of the week before's work
DELOAD_FILL = 0.5  # and needs to fill only half its time


@dataclass
class PlanModel:
    """The plan's CP-SAT model with each session's variables."""

    model: cp_model.CpModel
    request: PlanRequest
    sessions: list[Session]
    weekly_work: list[cp_model.IntVar]
    balance: list[cp_model.IntVar]  # per week
    guards: dict[Limit, cp_model.IntVar] = field(default_factory=dict)


def build_plan_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    """The optimisation model, with no objective: the search maximises ``sum(balance)``."""
    return _plan_model(catalog, plan, explain=False)


def build_plan_explain_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    return _plan_model(catalog, plan, explain=True)


def week_step(plan: PlanRequest, week: int) -> int:
    budget = sum(s.request.budget_seconds for s in plan.slots if s.week == week)
    return balance_step(budget)


def _plan_model(catalog: Catalog, plan: PlanRequest, explain: bool) -> PlanModel:
    model = cp_model.CpModel()
    limits = Limits(model, explain)
    slots = plan.slots
    rules = plan.rules
    deload_week = rules.weeks if rules.deload and rules.weeks > 1 else None
    sessions = []
    for n, slot in enumerate(slots):
        request = slot.request
        if slot.week == deload_week:
            request = replace(request, min_fill=min(request.min_fill, DELOAD_FILL))
        cands = candidates(catalog, request, keep_all=explain)
        sessions.append(add_session(model, cands, request, limits, prefix=f"s{n}:"))

    # Recovery: close sessions share no primary muscle.
    muscles = sorted({m for s in sessions for c in s.candidates for m in c.exercise.primary})

    @cache
    def uses(n: int, muscle: str) -> cp_model.IntVar | None:
        return _uses(model, sessions[n], muscle, f"s{n}:")

    for (a, sa), (b, sb) in combinations(enumerate(slots), 2):
        hours = abs((sb.start - sa.start).total_seconds()) / 3600
        if hours >= rules.recovery_hours:
            continue
        for muscle in muscles:
            uses_a, uses_b = uses(a, muscle), uses(b, muscle)
            if uses_a is None or uses_b is None:
                continue
            model.add(uses_a + uses_b <= 1).only_enforce_if(limits(recovery_limit(muscle)))

    # Variety within each week.
    for week in range(1, rules.weeks + 1):
        in_week = [n for n, s in enumerate(slots) if s.week == week]
        ids = sorted({c.exercise.id for n in in_week for c in sessions[n].candidates})
        for exercise_id in ids:
            picks = [
                sessions[n].picked[i]
                for n in in_week
                if (i := sessions[n].index_of(exercise_id)) is not None
            ]
            if len(picks) > rules.max_repeats:
                model.add(sum(picks) <= rules.max_repeats).only_enforce_if(limits(REPEATS))
        for a, b in combinations(in_week, 2):
            _differ(model, sessions[a], sessions[b], limits(DISTINCT))

    # Weekly work, progression and balance.
    weekly_work = []
    balance = []
    for week in range(1, rules.weeks + 1):
        week_sessions = [sessions[n] for n, s in enumerate(slots) if s.week == week]
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
    lo, hi = rules.progression
    for week in range(1, rules.weeks):
        before, after = weekly_work[week - 1], weekly_work[week]
        if week + 1 == deload_week:
            model.add(after * 100 <= before * round(DELOAD_SHARE * 100)).only_enforce_if(
                limits(DELOAD)
            )
            continue
        model.add(after * 1000 >= before * round((1 + lo) * 1000)).only_enforce_if(
            limits(PROGRESSION)
        )
        model.add(after * 1000 <= before * round((1 + hi) * 1000)).only_enforce_if(
            limits(PROGRESSION)
        )
    return PlanModel(model, plan, sessions, weekly_work, balance, limits.guards)


def _work(session: Session) -> cp_model.LinearExprT:
    """All work seconds of a session (every round, every side)."""
    return sum(
        var * r * session.candidates[i].prescriptions[k].work_seconds
        for (i, k, r), var in session.choice.items()
    )


def _uses(
    model: cp_model.CpModel, session: Session, muscle: str, prefix: str
) -> cp_model.IntVar | None:
    """A literal that is 1 when the session works ``muscle`` as primary (None: it can't)."""
    picks = [
        p
        for p, c in zip(session.picked, session.candidates, strict=True)
        if muscle in c.exercise.primary
    ]
    if not picks:
        return None
    uses = model.new_bool_var(f"{prefix}uses:{muscle}")
    for pick in picks:
        model.add(uses >= pick)
    return uses


def _differ(
    model: cp_model.CpModel, a: Session, b: Session, enforce: list[cp_model.IntVar]
) -> None:
    """The two sessions do not have exactly the same exercises."""
    only_one = []
    ids = {c.exercise.id for c in a.candidates} | {c.exercise.id for c in b.candidates}
    for exercise_id in sorted(ids):
        ia, ib = a.index_of(exercise_id), b.index_of(exercise_id)
        if ia is None or ib is None:
            if ia is not None:
                only_one.append(a.picked[ia])
            if ib is not None:
                only_one.append(b.picked[ib])
            continue
        diff = model.new_bool_var(f"differ:{exercise_id}")
        model.add(diff <= a.picked[ia] + b.picked[ib])
        model.add(diff <= 2 - a.picked[ia] - b.picked[ib])
        only_one.append(diff)
    model.add(sum(only_one) >= 1).only_enforce_if(enforce)
