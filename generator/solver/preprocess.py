"""Preprocessing before the model: fewer candidates, the same optimum.

``reduce(candidates, request)`` shrinks the candidate list of the *single-routine
optimisation model* (``model.build_model``) so the model stays small as catalogs grow. It
is exact: the reduced model's optimal objective equals the unreduced one's, because every
routine that uses a dropped exercise can be turned into one that does not and scores at
least as well. What it does, and why each step is exact:

1. **Drop what the request rules out.** Exercises the request does not allow (focus, level,
   exclusions, equipment: ``candidates.allowed``) can never be picked. Doses that cannot fit the
   budget even alone, at the fewest rounds allowed, can never be picked either, and an
   exercise left with no dose is dropped.

2. **Collapse equivalent and dominated exercises.** For this request the model sees an
   exercise only through (a) its menu of doses, each a (seconds, work seconds) pair that
   enters the time sums, with its sets range and rest in straight sets, and its pattern
   family (which the full-body score counts), (b) its hard-set credit on each *focus*
   muscle, and whether it works it as primary (other muscles never enter the model) and
   (c) its objective preference ``candidates.preference`` (quality, then variety).

   Say ``a`` *dominates* ``b`` when they have the same menu, ``a``'s focus weights are all
   >= ``b``'s and ``a``'s preference is >= ``b``'s. Put ``a`` in place of ``b`` with the
   same dose and rounds: every time sum is unchanged, every muscle's work and every
   primary count is >= before, so the balance cannot drop, and the preference sum cannot
   drop. That swap needs ``a`` unused. A routine holds at most ``cap`` exercises with this
   menu: the request's maximum exercise count, and no more than fit the budget at the
   menu's shortest dose (with the rests between them, at the most favourable round count).
   So if ``cap`` *kept* exercises dominate ``b``, a routine using ``b`` uses at most
   ``cap - 1`` of them and one is free for the swap; each swap removes one dropped exercise
   from the routine, so repeating it ends with a routine of kept exercises only. The kept
   set is built in one pass in an order where a dominator always comes first (more focus
   weight, then higher preference, then catalog order), and an exercise is dropped only
   when ``cap`` exercises already kept dominate it; kept exercises are never dropped later,
   so the argument holds for the final set.

   Exercises with the same menu, focus weights and preference are *equivalent*; among them
   the first ``cap`` in catalog order are kept. Within an equivalence class of menu and
   focus weights the kept ones are the top ``cap`` by the seed's preference, so a new seed
   still brings other exercises forward.

3. **Drop dominated doses.** The same argument, one dose at a time: dose ``j`` of ``b``
   is dominated by a dose of another exercise ``a`` of the same length in seconds, with
   work >= and focus weights and preference >= b's. No routine holds more than ``most``
   exercises (the maximum count, and no more than fit the budget at the shortest dose of
   all), so when ``most`` kept exercises have such a dose, a routine using ``b`` at ``j``
   leaves one of them out and can take it instead, at the same time. An exercise left with
   no dose is dropped. Steps 2 and 3 repeat until nothing changes (each pass is exact).

Exactness is for the objective *value*: among equally good routines the solver may return a
different one than without preprocessing (still the same for the same request and seed).
It is not meant for the explanation model (which keeps ruled-out exercises on purpose) nor
for multi-session plans, whose objective sees exercise ids across sessions.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from routinegen.coaching.goals import TRANSITION_SECONDS, goal_of
from routinegen.request.routine import Request
from routinegen.solver.candidates import Candidate, Prescription, allowed
from routinegen.solver.candidates import preference as _preference


class Menu(NamedTuple):
    """What the model sees of an exercise besides its credit and preference."""

    doses: tuple[tuple[int, int], ...]  # sorted distinct (seconds, work seconds) pairs
    sets: tuple[int, int] | None = None  # straight sets: its sets range
    rest: int = 0  # straight sets: between its sets
    family: str | None = None  # the pattern family the full-body score counts
    lift: bool = False  # a loaded multi-joint lift with the kit at hand (the score counts it)


def reduce(candidates: Sequence[Candidate], request: Request) -> list[Candidate]:
    """The candidates worth modelling for ``request``, in their original order (exact)."""

    kept: list[tuple[int, Candidate]] = []
    for index, cand in enumerate(candidates):
        if not allowed(cand, request) or cand.way is None:
            continue
        doses = tuple(p for p in cand.prescriptions if _fits_alone(cand, p, request))
        if doses:
            kept.append((index, _with_doses(cand, doses)))
    scores = {
        index: (focus_weights(cand, request), preference(cand, request.seed))
        for index, cand in kept
    }
    vectors = {weights for weights, _ in scores.values()}
    above = {  # for each weight vector, the vectors >= it
        v: [u for u in vectors if all(x >= y for x, y in zip(u, v, strict=True))] for v in vectors
    }
    size = -1
    while kept and size != _size(kept):  # each pass is exact; stop when nothing changes
        size = _size(kept)
        kept = _collapse_exercises(kept, request, scores, above)
        kept = _collapse_doses(kept, request, scores, above)
    return [cand for _, cand in kept]


def preference(cand: Candidate, seed: int) -> int:
    """The candidate's term in the objective's preference sum (as ``model.preferences``)."""
    return _preference(cand, seed)


def focus_weights(cand: Candidate, request: Request) -> tuple[int, ...]:
    """The exercise's credit on each focus muscle, and whether it works each as primary
    (the "every focus muscle is worked as primary" rule), as one vector to compare."""
    exercise = cand.exercise
    return (
        *(cand.credit_for(m) for m in request.focus),
        *(int(m in exercise.primary) for m in request.focus),
    )


def menu_cap(menu: Menu, request: Request) -> int:
    """At most how many exercises with this menu one routine can hold.

    In a circuit, n exercises of at least ``s`` seconds each in r rounds take at least
    ``r * (n * s + (n - 1) * rest) + (r - 1) * round_rest`` seconds, which must fit the budget.
    In straight sets, n exercises of at least ``c`` seconds each (their fewest sets of the
    shortest dose, with the rests between them) take ``n * c + (n - 1) * transition``.
    """
    most = request.exercise_count[1]
    if _straight(request):
        low = menu.sets[0] if menu.sets else 1
        cost = low * min(seconds for seconds, _ in menu.doses) + (low - 1) * menu.rest
        return max(
            0, min(most, (request.main_seconds + TRANSITION_SECONDS) // (cost + TRANSITION_SECONDS))
        )
    shortest = min(seconds for seconds, _ in menu.doses)
    rest, round_rest = request.rest_seconds, request.round_rest_seconds
    lo, hi = request.rounds
    if shortest + rest <= 0:  # takes no time at all: only the count limits it
        return most
    fit: int = max(
        (request.main_seconds + r * rest - (r - 1) * round_rest) // (r * (shortest + rest))
        for r in range(lo, hi + 1)
    )
    return max(0, min(most, fit))


def _straight(request: Request) -> bool:
    return goal_of(request.goal).format == "straight_sets"


def _fits_alone(cand: Candidate, dose: Prescription, request: Request) -> bool:
    if _straight(request):
        assert cand.sets is not None
        low = cand.sets[0]
        return low * dose.seconds + (low - 1) * cand.rest_seconds <= request.main_seconds
    r = request.rounds[0]
    return r * dose.seconds + (r - 1) * request.round_rest_seconds <= request.main_seconds


def _menu(cand: Candidate, doses: Sequence[Prescription] | None = None) -> Menu:
    pairs = tuple(sorted({(p.seconds, p.work_seconds) for p in doses or cand.prescriptions}))
    lift = cand.main_lift and bool(cand.way)
    return Menu(pairs, cand.sets, cand.rest_seconds, _family(cand), lift)


def _family(cand: Candidate) -> str | None:
    """The pattern family, where it can count towards the full-body score."""
    return cand.family if any(tenths for _, tenths in cand.credit) else None


def _size(kept: list[tuple[int, Candidate]]) -> int:
    return sum(len(cand.prescriptions) for _, cand in kept)


def _with_doses(cand: Candidate, doses: Sequence[Prescription]) -> Candidate:
    doses = tuple(doses)
    return cand if doses == cand.prescriptions else replace(cand, prescriptions=doses)


Weights = tuple[int, ...]
Item = tuple[int, Weights, int, int]  # (catalog index, focus weights, preference, work)


Scores = dict[int, tuple[Weights, int]]  # catalog index -> (focus weights, preference)
Above = dict[Weights, list[Weights]]


def _undominated(items: list[Item], limit: int, above: Above) -> list[int]:
    """The indices of items that fewer than ``limit`` kept items dominate, in one pass.

    ``a`` dominates ``b`` when a's weights, preference and work are all >= b's. Items are
    taken in an order where a dominator always comes first (ties: catalog order), and an item
    is kept unless ``limit`` items already kept dominate it; kept items stay kept.
    """
    items = sorted(items, key=lambda it: (-sum(it[1]), -it[3], -it[2], it[0]))
    prefs = sorted({it[2] for it in items})
    kept_works: dict[tuple[Weights, int], list[int]] = {}  # ascending works of kept items
    kept: list[int] = []
    for index, weights, pref, work in items:
        count = 0
        for u in above[weights]:
            for p in prefs:
                works = kept_works.get((u, p)) if p >= pref else None
                if works:
                    count += len(works) - bisect.bisect_left(works, work)
            if count >= limit:
                break
        if count < limit:
            kept.append(index)
            bisect.insort(kept_works.setdefault((weights, pref), []), work)
    return kept


def _collapse_exercises(
    kept: list[tuple[int, Candidate]], request: Request, scores: Scores, above: Above
) -> list[tuple[int, Candidate]]:
    """Step 2: drop exercises that ``menu_cap`` kept exercises with the same menu dominate."""
    by_menu: dict[Menu, list[tuple[int, Candidate]]] = {}
    for index, cand in kept:
        by_menu.setdefault(_menu(cand), []).append((index, cand))
    survivors: set[int] = set()
    for menu, members in by_menu.items():
        cap = menu_cap(menu, request)
        if cap > 0:
            items = [(index, *scores[index], 0) for index, _ in members]
            survivors.update(_undominated(items, cap, above))
    return [(index, cand) for index, cand in kept if index in survivors]


def _collapse_doses(
    kept: list[tuple[int, Candidate]], request: Request, scores: Scores, above: Above
) -> list[tuple[int, Candidate]]:
    """Step 3: drop a dose when enough other exercises have a dose that dominates it.

    Dose ``j`` of ``b`` (``s`` seconds, ``w`` work) is dominated by dose ``k`` of another
    exercise ``a`` with the same ``s``, work >= ``w``, focus weights >= and preference >=.
    No routine holds more than ``most`` exercises (``menu_cap`` at the shortest dose of all),
    so with ``most`` such exercises kept, a routine using ``b`` at dose ``j`` leaves one of
    them out and can take it instead, at the same time and with no less work or preference.
    (An exercise has at most one dose of a given length, so the dominators are ``most``
    different exercises.)
    """
    if not kept:
        return kept
    shortest = min(p.seconds for _, cand in kept for p in cand.prescriptions)
    fewest = min((cand.sets[0] for _, cand in kept if cand.sets), default=1)
    least_rest = min(cand.rest_seconds for _, cand in kept)
    most = menu_cap(Menu(((shortest, 0),), (fewest, fewest), least_rest), request)
    by_length: dict[tuple[object, ...], list[Item]] = {}
    for index, cand in kept:
        weights, pref = scores[index]
        menu = _menu(cand)
        for seconds, work in menu.doses:
            key = (seconds, menu.sets, menu.rest, menu.family, menu.lift)
            by_length.setdefault(key, []).append((index, weights, pref, work))
    survivors = {
        (index, length[0])
        for length, items in by_length.items()
        for index in _undominated(items, most, above)
    }
    out = []
    for index, cand in kept:
        doses = [p for p in cand.prescriptions if (index, p.seconds) in survivors]
        if doses:
            out.append((index, _with_doses(cand, doses)))
    return out
