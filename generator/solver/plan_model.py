"""The CP-SAT model of a plan: one model of its recurring sessions, for any number of weeks.

A plan repeats. Each recurring session (the same weekday with the same focus, e.g. "Mon
upper") is one *template*: the same exercises and sets every week it comes, its doses
climbing the goal's range by double progression (``coaching.progression``), its deload
weeks at half the sets. So the model holds one session per template, whatever the plan's
length: a 12-week plan is as small as a one-week plan with the same days, and as provable.
A template's session is dosed at the top of its climb, its longest week, which must fit
the person's minutes and fill them; its earlier weeks climb to it from the bottom of each
exercise's range, in equal steps (``dose_at``).

Across the sessions of a week, the plan's limits (``limits.plan``, one class each):
recovery (no primary muscle on two days within ``recovery_hours``), repeats, distinct
sessions, and, when the plan splits its focus itself (no ``--split``), every focus muscle
trained some day of the week (``WeeklyFocus``).

The objective, in order, as one score:

1. Patterns, as in a routine: each session's big pattern families and loaded lifts.
2. Weekly volume: the focus muscle furthest from the bottom of its weekly hard-set target
   (``rules.volume``), in steps of 1/20 of the target, up to the target, summed over the
   progressive weeks. Above the target's bottom more sets add nothing; the exports mark
   a muscle above its target's top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import combinations

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.coaching.progression import climb, cycle_length
from routinegen.request.plan import PlanRequest, Slot
from routinegen.request.routine import Request
from routinegen.solver.candidates import CREDIT_SCALE, Prescription, candidates, dosed
from routinegen.solver.limits import Guards, Limit
from routinegen.solver.limits.plan import plan_limits
from routinegen.solver.limits.session import muscle_by_muscle
from routinegen.solver.model import lift_families
from routinegen.solver.session import Session, add_session

VOLUME_STEPS = 20  # a week's balance: steps of 1/20 of the bottom of the volume target


@dataclass(frozen=True)
class Layout:
    """Which template each slot of the plan follows, and where it stands in its climb."""

    keys: tuple[int, ...]  # per slot: its template
    places: tuple[int | None, ...]  # per slot: its progressive occurrence, None in a deload
    firsts: tuple[int, ...]  # per template: its first slot
    cycles: tuple[int, ...]  # per template: its climb's length in weeks
    weeks: tuple[tuple[int, ...], ...]  # per distinct progressive week: its templates
    week_counts: tuple[int, ...]  # how many weeks of the plan are each distinct week
    close: frozenset[tuple[int, int]]  # templates too close to share a primary muscle


def layout_of(plan: PlanRequest) -> Layout:
    """The templates of ``plan``: slots with the same weekday and focus share one."""
    rules = plan.rules
    index: dict[tuple[str, str], int] = {}
    keys = [index.setdefault((s.weekday, s.focus_label), len(index)) for s in plan.slots]
    deloads = set(rules.deload_weeks)
    seen: dict[int, int] = {}
    places: list[int | None] = []
    for key, slot in zip(keys, plan.slots, strict=True):
        if slot.week in deloads:
            places.append(None)
        else:
            places.append(seen.get(key, 0))
            seen[key] = seen.get(key, 0) + 1
    climbing = plan.base.progressive
    cycles = tuple(cycle_length(seen.get(t, 1)) if climbing else 1 for t in range(len(index)))
    per_week: dict[tuple[int, ...], int] = {}
    for week in range(1, rules.weeks + 1):
        if week not in deloads:
            week_keys = tuple(k for k, s in zip(keys, plan.slots, strict=True) if s.week == week)
            per_week[week_keys] = per_week.get(week_keys, 0) + 1
    close = frozenset(
        (min(keys[a], keys[b]), max(keys[a], keys[b]))
        for (a, sa), (b, sb) in combinations(enumerate(plan.slots), 2)
        if _hours(sa, sb) < rules.recovery_hours
    )
    return Layout(
        tuple(keys),
        tuple(places),
        tuple(keys.index(t) for t in range(len(index))),
        cycles,
        tuple(per_week),
        tuple(per_week.values()),
        close,
    )


def _hours(a: Slot, b: Slot) -> float:
    return abs((b.start - a.start).total_seconds()) / 3600


@dataclass
class PlanModel:
    """The plan's CP-SAT model: one session per template, and the plan's score."""

    model: cp_model.CpModel
    request: PlanRequest
    layout: Layout
    sessions: list[Session]  # per template
    score: cp_model.LinearExprT
    guards: dict[Limit, cp_model.IntVar] = field(default_factory=dict)

    def dose_at(self, template: int, place: int) -> Callable[[int, int], Prescription]:
        """Candidate ``i`` at menu dose ``k``, ``place`` weeks into the template's climb."""
        return dose_at(self.sessions[template], self.layout.cycles[template], place)


def dose_at(session: Session, cycle: int, place: int) -> Callable[[int, int], Prescription]:
    def dose(i: int, k: int) -> Prescription:
        cand = session.candidates[i]
        top = cand.prescriptions[k]
        if cand.span is None or cycle == 1:
            return top
        return dosed(cand, climb((cand.span[0], top.amount), cycle, cand.dose)[place % cycle])

    return dose


class PlanParts:
    """What the plan's limits are stated on: the templates' sessions, the layout, and each
    distinct progressive week's hard sets per focus muscle."""

    def __init__(
        self, model: cp_model.CpModel, plan: PlanRequest, layout: Layout, sessions: list[Session]
    ) -> None:
        self.model = model
        self.plan = plan
        self.layout = layout
        self.sessions = sessions
        self.uses = cache(self._uses)

    def week_sets(self, week: int, muscle: str) -> cp_model.LinearExprT:
        """Hard sets (tenths) on ``muscle`` in the distinct week ``week``."""
        return sum(self.sessions[t].sets(muscle) for t in self.layout.weeks[week])

    def _uses(self, template: int, muscle: str) -> cp_model.IntVar | None:
        """A literal that is 1 when the template works ``muscle`` as primary (None: it
        can't)."""
        session = self.sessions[template]
        picks = [
            p
            for p, c in zip(session.picked, session.candidates, strict=True)
            if muscle in c.exercise.primary
        ]
        if not picks:
            return None
        uses = self.model.new_bool_var(f"t{template}:uses:{muscle}")
        for pick in picks:
            self.model.add(uses >= pick)
        return uses


def splits_itself(plan: PlanRequest) -> bool:
    """Whether the model decides which focus muscles each session trains: no named split
    fixes them, and the focus is trained muscle by muscle (not by patterns)."""
    return plan.rules.split is None and muscle_by_muscle(plan.base)


def template_requests(plan: PlanRequest, layout: Layout) -> list[Request]:
    """Each template's session request (its first slot's, undated)."""
    return [replace(plan.slots[first].request, start=None) for first in layout.firsts]


def build_plan_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    """The optimisation model, with no objective: the search maximises ``score``."""
    return _plan_model(catalog, plan, explain=False)


def build_plan_explain_model(catalog: Catalog, plan: PlanRequest) -> PlanModel:
    return _plan_model(catalog, plan, explain=True)


def _plan_model(catalog: Catalog, plan: PlanRequest, explain: bool) -> PlanModel:
    model = cp_model.CpModel()
    guards = Guards(model, explain)
    layout = layout_of(plan)
    each_muscle = not splits_itself(plan)
    sessions = [
        add_session(
            model,
            candidates(catalog, request, keep_all=explain),
            request,
            guards,
            prefix=f"t{t}:",
            each_muscle=each_muscle,
        )
        for t, request in enumerate(template_requests(plan, layout))
    ]
    parts = PlanParts(model, plan, layout, sessions)
    muscles = sorted({m for s in sessions for c in s.candidates for m in c.exercise.primary})
    for limit in plan_limits(muscles, plan.focus if splits_itself(plan) else ()):
        limit.add(parts, guards)
    score: cp_model.LinearExprT = 0
    if not explain:
        score = _score(parts)
    return PlanModel(model, plan, layout, sessions, score, guards.literals)


def _score(parts: PlanParts) -> cp_model.LinearExprT:
    """Patterns first, then weekly volume (see the module's docstring)."""
    model, layout = parts.model, parts.layout
    patterns: list[cp_model.IntVar] = []
    for t, session in enumerate(parts.sessions):
        for family in session.request.patterns:
            covered = model.new_bool_var(f"t{t}:covers={family}")
            model.add(covered <= session.family(family))
            patterns.append(covered)
        for family in lift_families(session):
            lifted = model.new_bool_var(f"t{t}:lifts={family}")
            model.add(lifted <= session.family(family, lifts_only=True))
            patterns.append(lifted)
    targets = {m: low for m, low, _ in parts.plan.rules.volume if low > 0}
    balance: list[cp_model.LinearExprT] = []
    for week, count in enumerate(layout.week_counts):
        level = model.new_int_var(0, VOLUME_STEPS, f"volume_w{week}")
        for muscle, low in targets.items():
            model.add(level * low * CREDIT_SCALE <= VOLUME_STEPS * parts.week_sets(week, muscle))
        balance.append(count * level)
    most = VOLUME_STEPS * sum(layout.week_counts)
    return (most + 1) * sum(patterns) + sum(balance)
