"""The greedy baseline a user would otherwise write, and how CP-SAT compares with it.

Run: python benchmarks/greedy.py [--requests 200]

Greedy: take the exercises the request allows (equipment, level, exclusions, working a focus
muscle), each at the middle dose of its menu; for each allowed round count, repeatedly add
the exercise with the best focus coverage per second (primary work counts fully, secondary
half, summed over the focus muscles, per second of time it adds with its rest) until no
exercise fits the time left; keep the round count whose routine has the best-worked weakest
focus muscle. It never exceeds the budget, and it uses only allowed exercises; the other
hard rules (at least 90% of the budget, every focus muscle worked as a primary muscle, the
exercise count range) it may break, and the comparison counts how often it does.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    imported_catalog,
    median,
    random_settings,
    resolve,
    source_note,
    timed_solve,
    timing_options,
)


@dataclass
class GreedyRoutine:
    rounds: int
    items: list[tuple[Any, Any]]  # (candidate, prescription)
    total_seconds: int
    coverage: dict[str, float]  # seconds per muscle, all rounds, secondary half
    broken: list[str] = field(default_factory=list)  # hard rules it breaks


def greedy_routine(catalog: Any, request: Any) -> GreedyRoutine | None:
    """The greedy routine for ``request``, or None when nothing at all fits."""
    from routinegen.solver.candidates import candidates

    pool = candidates(catalog, request)
    focus = set(request.focus)
    best: GreedyRoutine | None = None
    for rounds in range(request.rounds[0], request.rounds[1] + 1):
        routine = _greedy(pool, request, rounds, focus)
        if routine.items and (best is None or _weakest(routine, request) > _weakest(best, request)):
            best = routine
    if best is not None:
        best.broken = broken_rules(best, request)
    return best


def _greedy(pool: list[Any], request: Any, rounds: int, focus: set[str]) -> GreedyRoutine:
    rest, round_rest = request.rest_seconds, request.round_rest_seconds
    used = rounds * (-rest) + (rounds - 1) * round_rest  # the time with no exercise yet
    chosen: list[tuple[Any, Any]] = []
    left = list(pool)
    while True:
        best, best_score = None, -1.0
        for cand in left:
            dose = cand.prescriptions[len(cand.prescriptions) // 2]
            adds = rounds * (dose.seconds + rest)
            if used + adds > request.budget_seconds:
                continue
            gain = sum(
                (2 if m in cand.exercise.primary else 1) * dose.work_seconds * rounds
                for m in focus
                if m in cand.exercise.primary or m in cand.exercise.secondary
            )
            if gain / adds > best_score:
                best, best_score = (cand, dose), gain / adds
        if best is None:
            break
        chosen.append(best)
        left.remove(best[0])
        used += rounds * (best[1].seconds + rest)
    coverage: dict[str, float] = {}
    for cand, dose in chosen:
        for m in cand.exercise.primary:
            coverage[m] = coverage.get(m, 0) + dose.work_seconds * rounds
        for m in cand.exercise.secondary:
            coverage[m] = coverage.get(m, 0) + dose.work_seconds * rounds / 2
    return GreedyRoutine(rounds, chosen, max(0, used) if chosen else 0, coverage)


def _weakest(routine: GreedyRoutine, request: Any) -> float:
    return min(routine.coverage.get(m, 0.0) for m in request.focus)


def broken_rules(routine: GreedyRoutine, request: Any) -> list[str]:
    """The hard rules of the model the routine breaks (allowed exercises are given)."""
    from routinegen.solver.limits.session import min_fill_seconds

    broken = []
    if routine.total_seconds > request.budget_seconds:
        broken.append("over the budget")
    if routine.total_seconds < min_fill_seconds(request):
        broken.append(f"uses less than {request.min_fill:.0%} of the budget")
    worked = {m for cand, _ in routine.items for m in cand.exercise.primary}
    if any(m not in worked for m in request.focus):
        broken.append("a focus muscle not worked as primary")
    lo, hi = request.exercise_count
    if not lo <= len(routine.items) <= hi:
        broken.append(f"exercise count outside {lo}-{hi}")
    return broken


@dataclass
class Comparison:
    requests: int = 0
    drawn: int = 0  # requests drawn, including the infeasible ones left out
    cp_better: int = 0
    equal: int = 0
    greedy_better: int = 0
    greedy_broke: int = 0
    greedy_none: int = 0
    broken: Counter[str] = field(default_factory=Counter)
    gains_pct: list[float] = field(default_factory=list)  # where CP-SAT is strictly better
    gains_s: list[float] = field(default_factory=list)
    cp_not_optimal: int = 0
    greedy_better_valid: int = 0  # greedy better while breaking no rule

    def lines(self) -> list[str]:
        n = self.requests
        return [
            f"{n} random feasible requests on the imported catalog "
            f"({self.drawn - n} infeasible draws left out)",
            f"CP-SAT strictly better (weakest focus muscle): {self.cp_better}/{n} "
            f"({self.cp_better / n:.0%}); median gain {median(self.gains_pct):.0f}% "
            f"({median(self.gains_s):.0f} s of work)",
            f"equal: {self.equal}; greedy better: {self.greedy_better} "
            f"(of which breaking no hard rule: {self.greedy_better_valid})",
            f"greedy breaks a hard rule: {self.greedy_broke}/{n} ({self.greedy_broke / n:.0%})"
            + (f"; finds nothing: {self.greedy_none}" if self.greedy_none else ""),
            "  " + "; ".join(f"{rule}: {count}" for rule, count in self.broken.most_common()),
            f"CP-SAT answers not proven optimal in the time limit: {self.cp_not_optimal}",
        ]


def compare(catalog: Any, count: int, options: Any, seed: int = 2026) -> Comparison:
    """CP-SAT (with preprocessing) against greedy on ``count`` random feasible requests."""
    rng = random.Random(seed)
    result = Comparison()
    while result.requests < count:
        result.drawn += 1
        request = resolve(catalog, random_settings(catalog, rng))
        solved = timed_solve(catalog, request, options)
        if solved.routine is None:
            continue
        result.requests += 1
        if solved.status != "OPTIMAL":
            result.cp_not_optimal += 1
        cp = min(solved.routine.coverage.get(m, 0) for m in request.focus)
        greedy = greedy_routine(catalog, request)
        if greedy is None:
            result.greedy_none += 1
            result.greedy_broke += 1
            result.broken["no routine at all"] += 1
            ours = 0.0
        else:
            ours = _weakest(greedy, request)
            if greedy.broken:
                result.greedy_broke += 1
                result.broken.update(greedy.broken)
        # CP-SAT's coverage is rounded to whole seconds
        if cp > ours + 0.5:
            result.cp_better += 1
            result.gains_s.append(cp - ours)
            result.gains_pct.append(100 * (cp - ours) / ours if ours else 100.0)
        elif ours > cp + 0.5:
            result.greedy_better += 1
            if greedy is not None and not greedy.broken:
                result.greedy_better_valid += 1
        else:
            result.equal += 1
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    catalog, records = imported_catalog()
    print(f"catalog: {len(catalog.exercises)} exercises from {records} records, {source_note()}")
    for line in compare(catalog, args.requests, timing_options(args.time_limit)).lines():
        print(line)


if __name__ == "__main__":
    main()
