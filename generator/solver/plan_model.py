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
from datetime import datetime
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


# A plan of more than SINGLE_MODEL_WEEKS weeks is solved as blocks of about BLOCK_WEEKS
# weeks, the last block first, each tied to the blocks after it (``tie_to_later``) and kept
# above the least work growth allows (``floor_work``). Measured: a 12-week 4-day plan found
# no plan in one model in 30 s, nor in blocks of 4 weeks; in blocks of 2 it ends with one.
SINGLE_MODEL_WEEKS = 4
BLOCK_WEEKS = 2


def blocks(plan: PlanRequest) -> list[PlanRequest]:
    """The plan cut into blocks of whole weeks, each a plan of its own (weeks numbered from
    1; only the last keeps the deload week), as even as can be, the longer blocks last
    (with blocks of 2: 12 weeks are 6 x 2, and 5 are 1 + 2 + 2), so the deload week always
    has a week before it in its own block."""
    weeks = plan.rules.weeks
    count = -(-weeks // BLOCK_WEEKS)
    sizes = [weeks // count + (1 if n >= count - weeks % count else 0) for n in range(count)]
    out, first = [], 1
    for size in sizes:
        last = first + size - 1
        rules = replace(plan.rules, weeks=size, deload=plan.rules.deload and last == weeks)
        slots = tuple(
            replace(slot, week=slot.week - first + 1)
            for slot in plan.slots
            if first <= slot.week <= last
        )
        out.append(replace(plan, slots=slots, rules=rules))
        first = last + 1
    return out


@dataclass(frozen=True)
class Later:
    """What a block must fit before: the next block's first week's work, and the start and
    primary muscles of each session after this block (already solved)."""

    first_week_work: int
    sessions: tuple[tuple[datetime, frozenset[str]], ...]


def tie_to_later(pm: PlanModel, later: Later) -> None:
    """The plan's limits across the block's end, on its side (the later block is fixed):
    progression from its last week into the next block's first week (``Progression``),
    and recovery before the next block's sessions (``Recovery``)."""
    rules = pm.request.rules
    lo, hi = rules.progression
    last, after = pm.weekly_work[-1], later.first_week_work
    pm.model.add(after * 1000 >= last * round((1 + lo) * 1000))
    pm.model.add(after * 1000 <= last * round((1 + hi) * 1000))
    for slot, session in zip(pm.request.slots, pm.sessions, strict=True):
        for start, muscles in later.sessions:
            if abs((start - slot.start).total_seconds()) / 3600 >= rules.recovery_hours:
                continue
            for p, c in zip(session.picked, session.candidates, strict=True):
                if muscles & set(c.exercise.primary):
                    pm.model.add(p == 0)


def later_of(pm: PlanModel, solver: cp_model.CpSolver, before: Later | None) -> Later:
    """What the block before this solved one must fit: this block's first week's work, and
    its sessions with those after it."""
    mine = tuple(
        (
            slot.start,
            frozenset(
                m
                for p, c in zip(session.picked, session.candidates, strict=True)
                if solver.value(p)
                for m in c.exercise.primary
            ),
        )
        for slot, session in zip(pm.request.slots, pm.sessions, strict=True)
    )
    return Later(int(solver.value(pm.weekly_work[0])), mine + (before.sessions if before else ()))


def first_week(plan: PlanRequest) -> PlanRequest:
    """The plan's first week alone (its least work bounds every later week's from below)."""
    return blocks(replace(plan, rules=replace(plan.rules, weeks=1, deload=False)))[0]


def floor_work(pm: PlanModel, first: int, least: int) -> None:
    """Each progressive week of a block (its first is the plan's week ``first``) does at
    least what growth from the first week's least work (``least``) forces: the chain of
    ``Progression``, stated ahead, so a block solved before the weeks in front of it does
    not leave them too little room (an implied constraint: it removes no plan)."""
    rate = round((1 + pm.request.rules.progression[0]) * 1000)
    deload = deload_week_of(pm.request)
    floor = least
    for week in range(1, first + len(pm.weekly_work)):
        if week >= first and week - first + 1 != deload:
            pm.model.add(pm.weekly_work[week - first] >= floor)
        floor = -(-floor * rate // 1000)
