"""How a conflict among a session's limits is found without a solver, and said.

``unreachable`` and ``too_long`` find a small conflict by looking and by counting, before any
solver runs; ``explain_session`` turns a conflicting set (from them or from CP-SAT's
assumptions) into one sentence and each limit's clause.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from routinegen.coaching.goals import goal_of
from routinegen.errors import Conflict
from routinegen.request.routine import Request
from routinegen.solver.candidates import Candidate
from routinegen.solver.limits import Explanation, Limit
from routinegen.solver.limits.session import (
    Avoid,
    Count,
    Equipment,
    Exclude,
    ExerciseFilter,
    FocusMuscle,
    GoalFit,
    Level,
    MaxTime,
    Rounds,
    SessionLimit,
    Words,
)


def unreachable(cands: Sequence[Candidate], request: Request) -> set[Limit] | None:
    """A conflict found without a solver: the fewest exercise filters that leave no exercise
    at all, or that leave a focus muscle no exercise working it as primary (with that
    muscle). It is minimal: with any one of them dropped, an exercise is left that meets the
    rest. None when every focus muscle keeps an exercise."""
    filters: list[ExerciseFilter] = [Equipment(), Level(), GoalFit(), Avoid(), Exclude()]
    groups = [list(cands), *([c for c in cands if m in c.exercise.primary] for m in request.focus)]
    for size in range(len(filters) + 1):
        for n, group in enumerate(groups):
            for chosen in combinations(filters, size):
                if all(any(f.forbids(c, request) for f in chosen) for c in group):
                    muscle = [FocusMuscle(request.focus[n - 1])] if n else []
                    return {*chosen, *muscle}
    return None


def too_long(cands: Sequence[Candidate], request: Request) -> set[Limit] | None:
    """A conflict found by counting: even the shortest exercises, at their shortest doses,
    take longer than the budget in the fewest exercises and rounds the request allows (the
    other limits switched off). It is minimal: it names the count and the rounds only when
    fewer of them would fit. None when the shortest routine fits."""
    if not cands or goal_of(request.goal).format == "straight_sets":
        return None  # straight sets: the solver finds the shortest session
    rest, round_rest, budget = (
        request.rest_seconds,
        request.round_rest_seconds,
        request.main_seconds,
    )
    shortest = sorted(min(p.seconds for p in c.prescriptions) + rest for c in cands)

    def seconds(n: int, r: int) -> int:
        return r * sum(shortest[:n]) + (r - 1) * round_rest - r * rest

    n, r = request.exercise_count[0], request.rounds[0]
    if n > len(shortest):
        return None  # the count alone cannot be met: the solver says so
    if seconds(1, 1) > budget:
        return {MaxTime()}
    if seconds(n, 1) > budget:
        return {MaxTime(), Count()}
    if seconds(n, r) > budget:
        return {MaxTime(), Rounds()} if seconds(1, r) > budget else {MaxTime(), Count(), Rounds()}
    return None


def explain_session(core: Iterable[Limit], words: Words) -> Explanation:
    """Why the limits ``core`` cannot hold together: one sentence, and each limit's clause."""
    limits = {limit for limit in core if isinstance(limit, SessionLimit)}
    if all(isinstance(limit, ExerciseFilter) for limit in limits):
        # nothing left that works any focus muscle: they are part of the conflict
        limits |= {FocusMuscle(m) for m in words.request.focus}
    groups = _by_class(limits, words.request)
    conflicts = tuple(
        Conflict(group[0].kind, group[0].clause(group, words), tuple(_subjects(group)))
        for group in groups
    )
    suggestion = next(
        (s for group in groups if (s := group[0].suggestion(group, words)) is not None), None
    )
    return Explanation(_sentence(limits, groups, words), conflicts, suggestion)


def _sentence(limits: set[SessionLimit], groups: list[list[SessionLimit]], words: Words) -> str:
    focus = [FocusMuscle(m) for m in words.request.focus]
    muscles = [m for m in focus if m in limits]
    filters = sorted((f for f in limits if isinstance(f, ExerciseFilter)), key=lambda f: f.place)
    if muscles and limits <= {*filters, *muscles}:
        return FocusMuscle.unreachable(muscles, filters, words)
    clauses = [group[0].clause(group, words) for group in groups]
    if limits == {MaxTime()}:
        return clauses[0]
    return "these limits conflict: " + "; ".join(clauses)


def _subjects(group: Sequence[Limit]) -> list[str]:
    return [limit.subject for limit in group if limit.subject]


def _by_class(limits: set[SessionLimit], request: Request) -> list[list[SessionLimit]]:
    """The limits grouped by class, in clause order (muscles in focus order)."""
    focus = {m: n for n, m in enumerate(request.focus)}
    ordered = sorted(limits, key=lambda x: (x.place, focus.get(x.subject, len(focus)), x))
    groups: list[list[SessionLimit]] = []
    for limit in ordered:
        if groups and type(groups[-1][0]) is type(limit):
            groups[-1].append(limit)
        else:
            groups.append([limit])
    return groups
