"""The guided search maximises exactly: judged by brute force, and by a plain CP-SAT solve.

Small knapsack-like models have few enough assignments to enumerate, so the true optimum
is known without CP-SAT; ``maximize`` must reach it, prove it, keep it through the
tie-break, and answer the same every time. On the built-in catalogs the routine's balance
must equal the optimum of a plain CP-SAT solve of the same model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from routinegen.catalog import builtin_catalogs, load_catalog
from routinegen.request.routine import Request, resolve_request
from routinegen.request.settings import Setting
from routinegen.solver.model import build_model
from routinegen.solver.search.guided import Narrow, Outcome, maximize
from routinegen.solver.search.relaxation import Relaxation, relax
from routinegen.solver.solve import solve_routine

NARROWS = ("unused", "product", "nothing")


@dataclass(frozen=True)
class Knapsack:
    """Boolean items under a capacity (or filling it exactly), a cardinality range and an
    "at least one of" cover."""

    weights: tuple[int, ...]
    values: tuple[int, ...]
    offset: int
    capacity: int
    exact: bool  # the weight must equal the capacity: integer-infeasible, LP-feasible models
    least: int  # items picked: at least ``least``, at most ``most``
    most: int
    cover: tuple[int, ...]  # at least one of these, if any
    prefer: tuple[int, ...]  # the tie-break's weights

    def feasible(self, picked: Sequence[int]) -> bool:
        """Every constraint, in plain Python."""
        count = sum(picked)
        weight = sum(w * p for w, p in zip(self.weights, picked, strict=True))
        return (
            (weight == self.capacity if self.exact else weight <= self.capacity)
            and self.least <= count <= self.most
            and (not self.cover or any(picked[i] for i in self.cover))
        )

    def value(self, picked: Sequence[int]) -> int:
        return sum(v * p for v, p in zip(self.values, picked, strict=True)) + self.offset

    def optimum(self) -> int | None:
        """The best value over every assignment, or None if none is feasible."""
        values = [
            self.value(picked)
            for picked in itertools.product((0, 1), repeat=len(self.weights))
            if self.feasible(picked)
        ]
        return max(values, default=None)


@st.composite
def knapsacks(draw: st.DrawFn) -> Knapsack:
    n = draw(st.integers(6, 12))
    weights = tuple(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)))
    least = draw(st.integers(0, 2))
    return Knapsack(
        weights=weights,
        values=tuple(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))),
        offset=draw(st.integers(-3, 3)),
        capacity=draw(st.integers(0, sum(weights))),
        exact=draw(st.booleans()),
        least=least,
        most=draw(st.integers(max(1, least), n)),
        cover=tuple(draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))),
        prefer=tuple(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))),
    )


@dataclass
class Built:
    model: cp_model.CpModel
    items: list[cp_model.IntVar]
    objective: cp_model.LinearExprT
    prefer: cp_model.LinearExprT


def build(k: Knapsack) -> Built:
    model = cp_model.CpModel()
    items = [model.new_bool_var(f"item{i}") for i in range(len(k.weights))]
    weight = sum(w * x for w, x in zip(k.weights, items, strict=True))
    model.add(weight == k.capacity if k.exact else weight <= k.capacity)
    model.add(sum(items) >= k.least)
    model.add(sum(items) <= k.most)
    if k.cover:
        model.add_bool_or([items[i] for i in k.cover])
    objective = sum(v * x for v, x in zip(k.values, items, strict=True)) + k.offset
    prefer = sum(p * x for p, x in zip(k.prefer, items, strict=True))
    return Built(model, items, objective, prefer)


def narrower(kind: str, items: Sequence[cp_model.IntVar]) -> Narrow:
    """Which items a guided search rules out: those the relaxation does not use
    ("unused"), the same but keeping the best answer's items and ``widen`` more by reduced
    cost as ``solve.unused_choices`` does ("product"), or none ("nothing")."""

    def narrow(relaxed: Relaxation, best: cp_model.CpSolver | None, widen: int) -> list[int]:
        if kind == "nothing":
            return []
        keep = {x.index for x in items if x.index in relaxed.used}
        if kind == "product":
            keep |= {x.index for x in items if best is not None and best.boolean_value(x)}
            others = sorted(
                (x.index for x in items if x.index not in keep),
                key=lambda i: (abs(relaxed.reduced_costs[i]), i),
            )
            keep.update(others[:widen])
        return [x.index for x in items if x.index not in keep]

    return narrow


def new_solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = seconds
    return solver


def run(k: Knapsack, narrow: str, prefer: bool) -> tuple[Built, Outcome]:
    built = build(k)
    outcome = maximize(
        built.model,
        built.objective,
        narrow=narrower(narrow, built.items),
        new_solver=new_solver,
        time_limit=10,
        hinted=built.items,
        prefer=built.prefer if prefer else None,
    )
    return built, outcome


def answer(built: Built, outcome: Outcome) -> list[int]:
    assert outcome.solver is not None
    return [int(outcome.solver.boolean_value(x)) for x in built.items]


def preference(k: Knapsack, built: Built, outcome: Outcome) -> int:
    return sum(p * x for p, x in zip(k.prefer, answer(built, outcome), strict=True))


def assert_optimal(k: Knapsack, built: Built, outcome: Outcome, optimum: int | None) -> None:
    if optimum is None:
        assert outcome.infeasible
        assert outcome.proven
        assert outcome.solver is None
        return
    assert not outcome.infeasible
    assert outcome.proven
    picked = answer(built, outcome)
    assert k.feasible(picked), picked
    assert k.value(picked) == optimum
    assert outcome.solver is not None
    assert outcome.solver.value(built.objective) == optimum
    assert outcome.bound is not None
    assert outcome.bound >= optimum


# ---------------------------------------------------------------------------- random


@settings(max_examples=100, deadline=None)
@given(knapsacks(), st.sampled_from(NARROWS))
def test_maximize_finds_and_proves_the_optimum(k: Knapsack, narrow: str) -> None:
    optimum = k.optimum()
    built, outcome = run(k, narrow, prefer=False)
    event("infeasible" if optimum is None else "feasible")
    assert_optimal(k, built, outcome, optimum)


@settings(max_examples=100, deadline=None)
@given(knapsacks(), st.sampled_from(NARROWS))
def test_tie_break_never_costs_objective(k: Knapsack, narrow: str) -> None:
    optimum = k.optimum()
    built, outcome = run(k, narrow, prefer=True)
    assert_optimal(k, built, outcome, optimum)
    if optimum is not None:
        ties = [
            picked
            for picked in itertools.product((0, 1), repeat=len(k.weights))
            if k.feasible(picked) and k.value(picked) == optimum
        ]
        preferred = max(sum(p * x for p, x in zip(k.prefer, t, strict=True)) for t in ties)
        event("most preferred tie" if preference(k, built, outcome) == preferred else "other")


@settings(max_examples=30, deadline=None)
@given(knapsacks(), st.sampled_from(NARROWS), st.booleans())
def test_maximize_is_deterministic(k: Knapsack, narrow: str, prefer: bool) -> None:
    first, once = run(k, narrow, prefer)
    second, again = run(k, narrow, prefer)
    if once.solver is None:
        assert again.solver is None
        assert (once.proven, once.infeasible) == (again.proven, again.infeasible)
        return
    assert answer(first, once) == answer(second, again)
    assert (once.proven, once.infeasible, once.bound) == (
        again.proven,
        again.infeasible,
        again.bound,
    )


# ---------------------------------------------------------------------------- examples


def example(**fields: Any) -> Knapsack:
    values: dict[str, Any] = {
        "weights": (3, 4, 5, 6, 2, 7),
        "values": (4, 5, 6, 7, 1, 9),
        "offset": 0,
        "capacity": 12,
        "exact": False,
        "least": 0,
        "most": 6,
        "cover": (),
        "prefer": (0, 0, 0, 0, 0, 0),
    }
    values.update(fields)
    return Knapsack(**values)


def relaxed_bound(k: Knapsack) -> int | None:
    built = build(k)
    built.model.maximize(built.objective)
    relaxed = relax(built.model)
    return None if relaxed is None else relaxed.bound


@pytest.mark.parametrize("narrow", NARROWS)
def test_search_closes_the_relaxation_gap(narrow: str) -> None:
    """The relaxation's bound (32) is above the optimum (30): the search must lower it."""
    k = example(weights=(7, 3, 3, 9, 4, 1), values=(3, 8, 8, 3, 6, 8), capacity=16)
    assert (relaxed_bound(k), k.optimum()) == (32, 30)
    built, outcome = run(k, narrow, prefer=True)
    assert_optimal(k, built, outcome, 30)


@pytest.mark.parametrize("narrow", NARROWS)
def test_infeasible_model_that_the_relaxation_allows(narrow: str) -> None:
    """Weights of 2 cannot fill 3 exactly, but 1.5 items can: only the search proves that
    there is no answer."""
    k = example(weights=(2,) * 6, capacity=3, exact=True)
    assert k.optimum() is None
    assert relaxed_bound(k) is not None
    built, outcome = run(k, narrow, prefer=True)
    assert_optimal(k, built, outcome, None)


def test_infeasible_relaxation() -> None:
    k = example(capacity=1, least=1)
    assert relaxed_bound(k) is None
    built, outcome = run(k, "product", prefer=False)
    assert_optimal(k, built, outcome, None)


def test_tie_break_picks_among_equal_answers() -> None:
    """Items 0 and 1 are worth the same: the preference decides, never the objective."""
    k = example(
        weights=(1, 1, 9, 9, 9, 9),
        values=(5, 5, 1, 1, 1, 1),
        capacity=1,
        prefer=(0, 3, 9, 9, 9, 9),
    )
    built, outcome = run(k, "product", prefer=True)
    assert_optimal(k, built, outcome, 5)
    assert answer(built, outcome) == [0, 1, 0, 0, 0, 0]


# ---------------------------------------------------------------------------- product

REQUESTS = (
    {"minutes": 10, "equipment": "kettlebell"},
    {"minutes": 15, "equipment": "dumbbell"},
    {"minutes": 20, "equipment": "none"},
    {"minutes": 12, "equipment": "kettlebell,dumbbell", "seed": 4},
    {"minutes": 15, "equipment": "none", "level": "beginner"},
    {"minutes": 20, "equipment": "kettlebell", "seed": 7, "exercises": "3-4"},
)


def request_for(catalog: Any, values: dict[str, Any]) -> Request:
    return resolve_request(catalog, {k: Setting(v, f"--{k}") for k, v in values.items()})


def plain_balance(catalog: Any, request: Request) -> int | None:
    """The best score (lifted patterns, then balance) by a plain CP-SAT solve, if proven."""
    rm = build_model(catalog, request)
    rm.model.maximize(rm.score)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    status = solver.solve(rm.model)
    return round(solver.objective_value) if status == cp_model.OPTIMAL else None


@pytest.mark.parametrize("name", sorted(builtin_catalogs()))
def test_routine_balance_is_the_plain_optimum(name: str) -> None:
    catalog = load_catalog(name)
    compared = 0
    for values in REQUESTS:
        request = request_for(catalog, values)
        best = plain_balance(catalog, request)
        if best is None:
            continue
        info = solve_routine(catalog, request).solver
        assert (info.status, info.objective, info.bound) == ("OPTIMAL", best, best), values
        compared += 1
    assert compared >= math.ceil(len(REQUESTS) / 2)
