"""The CP-SAT model of one routine: a pure function of (catalog, request), no I/O.

The main block is a circuit (the chosen exercises once per round, ``rounds`` times), an
interval block (the same, every exercise timed) or straight sets (each exercise its own
sets in a row), as the goal says (``coaching.goals``). Each candidate has a short menu of
doses that a coach would write; the model picks at most one dose and set count per exercise.

The objective, in order:

1. Patterns: a full-body session covers as many of the big pattern families (legs, hinge,
   push, pull, core) as the catalog and the time allow; and every family that a loaded
   multi-joint lift with the equipment at hand can train is trained by one (a barbell
   session is carried by the squat, the deadlift, the press and the row).
2. Balance: the least-trained focus muscle gets as many hard sets as possible. A set counts
   for each muscle by its share (primary 1, secondary 0.5, or the catalog's weights), in
   whole sets, up to a per-session cap (more sets past about 8 add little).
   Patterns and balance are one score, which ``solve`` proves optimal.
3. Preference, among routines within a tolerance of the proven best score (one balance
   step by default): loaded multi-joint lifts with the equipment at hand first, then the
   seed's pseudo-random variety, so a new seed gives another routine that is nearly as
   good. This choice is a best effort, not proven.

The constraints are the session's limits (``limits.session``, one class each). The
explanation model is the same limits as a feasibility problem, each behind its own
assumption literal, so CP-SAT can name a small set of limits that cannot hold together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.coaching.goals import SESSION_SET_CAP, goal_of
from routinegen.request.routine import Request
from routinegen.solver.candidates import (
    CREDIT_SCALE,
    QUALITY_STEP,
    VARIETY_SCALE,
    Candidate,
    candidates,
    preference,
)
from routinegen.solver.limits import Guards, Limit
from routinegen.solver.preprocess import reduce
from routinegen.solver.session import Session, add_session


@dataclass
class RoutineModel:
    """A CP-SAT model of one routine with the variables needed to read the answer back."""

    model: cp_model.CpModel
    session: Session
    balance: cp_model.IntVar  # the weakest focus muscle's hard sets, in steps
    counts: dict[int, cp_model.IntVar]  # exercise count -> chosen (optimisation model only)
    guards: dict[Limit, cp_model.IntVar] = field(default_factory=dict)
    families: dict[str, cp_model.IntVar] = field(default_factory=dict)  # covered -> 1
    lifts: dict[str, cp_model.IntVar] = field(default_factory=dict)  # has a main lift -> 1
    score: cp_model.LinearExprT = 0  # patterns, then balance: what ``solve`` proves

    @property
    def request(self) -> Request:
        return self.session.request


BALANCE_STEP = CREDIT_SCALE  # balance is compared in whole hard sets (tenths of a set: 10)


def balance_cap(request: Request) -> int:
    """The most balance steps one session can score: the per-session cap on hard sets."""
    return SESSION_SET_CAP[request.level] * CREDIT_SCALE // BALANCE_STEP


def build_model(catalog: Catalog, request: Request, preprocess: bool = True) -> RoutineModel:
    """The optimisation model over the exercises the request allows, with no objective: the
    search sets it (``balance`` first, then ``preferences``). ``preprocess=False`` keeps
    every allowed exercise and dose (``preprocess.reduce`` is exact; off only to measure). A
    request that keeps exercises is not reduced: it may keep one that reduction would drop,
    and its few free choices make a small model anyway."""
    allowed = candidates(catalog, request)
    if preprocess and not request.keep:
        allowed = reduce(allowed, request)
    return _routine_model(allowed, request, False)


def build_explain_model(catalog: Catalog, request: Request) -> RoutineModel:
    """The feasibility model with one assumption literal per limit, and no objective."""
    return _routine_model(candidates(catalog, request, keep_all=True), request, explain=True)


def _routine_model(cands: Sequence[Candidate], request: Request, explain: bool) -> RoutineModel:
    model = cp_model.CpModel()
    guards = Guards(model, explain)
    session = add_session(model, cands, request, guards)
    cap = balance_cap(request)
    balance = model.new_int_var(0, cap, "balance")
    counts: dict[int, cp_model.IntVar] = {}
    families: dict[str, cp_model.IntVar] = {}
    lifts: dict[str, cp_model.IntVar] = {}
    score: cp_model.LinearExprT = balance
    if not explain:
        for muscle in request.focus:
            model.add(balance * BALANCE_STEP <= session.sets(muscle))
        for family in request.patterns:
            covered = families[family] = model.new_bool_var(f"covers={family}")
            model.add(covered <= session.family(family))
        for family in lift_families(session):
            lifted = lifts[family] = model.new_bool_var(f"lifts={family}")
            model.add(lifted <= session.family(family, lifts_only=True))
        score = (cap + 1) * (sum(families.values()) + sum(lifts.values())) + balance
        # The exercise count as one Boolean per value: the solver splits on them.
        lo, hi = request.exercise_count
        counts = {n: model.new_bool_var(f"count={n}") for n in range(lo, hi + 1)}
        model.add_exactly_one(counts.values())
        model.add(sum(session.picked) == sum(n * var for n, var in counts.items()))
    return RoutineModel(model, session, balance, counts, guards.literals, families, lifts, score)


def lift_families(session: Session) -> list[str]:
    """The pattern families a loaded multi-joint lift can train with the equipment at hand:
    with a barbell, a coach expects the squat, the deadlift, the press and the row to carry
    the session, so each such family with a main lift in it scores before the balance."""
    if goal_of(session.request.goal).counts_conditioning:
        return []  # conditioning is timed work, not lifting
    found = {c.family for c in session.candidates if is_lift(c) and c.family}
    return sorted(found)


def is_lift(cand: Candidate) -> bool:
    """A main lift done with the equipment at hand that counts for the goal."""
    return cand.main_lift and bool(cand.way) and any(tenths for _, tenths in cand.credit)


def preferences(session: Session, seed: int) -> cp_model.LinearExprT:
    """The preference term: quality, then the seed's variety, for each chosen exercise."""
    return sum(
        preference(c, seed) * picked
        for c, picked in zip(session.candidates, session.picked, strict=True)
    )


def variety_weight(max_picks: int) -> int:
    """A score step outweighs any preference sum over ``max_picks`` exercises."""
    return (3 * QUALITY_STEP + VARIETY_SCALE) * max_picks + 1


def whole_order(rm: RoutineModel) -> cp_model.LinearExprT:
    """Score, then preference, as one weighted sum (a preference sum never outweighs one
    score step): the whole order, for which preprocessing is exact. ``solve`` proves the
    score and then prefers within its tolerance, without proving the preference."""
    weight = variety_weight(rm.request.exercise_count[1])
    return rm.score * weight + preferences(rm.session, rm.request.seed)
