"""Preprocessing is exact: the reduced model's optimum equals the unreduced one's.

``reduce`` is applied the way ``model.build_model`` applies it, by wrapping
``model.candidates`` here, so these tests hold whether or not it is wired in yet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock

from hypothesis import event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from routinegen.catalog import Catalog, Exercise
from routinegen.request.routine import Request, resolve_request
from routinegen.request.settings import Setting
from routinegen.solve_options import SolveOptions
from routinegen.solver import model
from routinegen.solver.budget import make_solver
from routinegen.solver.preprocess import Menu, menu_cap, preference, reduce

MUSCLES = ("lats", "rhomboids", "traps", "erector_spinae")
ORIGINAL = model.candidates


@contextlib.contextmanager
def reduced() -> Iterator[None]:
    def candidates(catalog: Catalog, request: Request, keep_all: bool = False) -> list[Any]:
        found = ORIGINAL(catalog, request, keep_all)
        return found if keep_all else reduce(found, request)

    with mock.patch.object(model, "candidates", candidates):
        yield


def exercise(ex_id: str, **fields: Any) -> Exercise:
    values: dict[str, Any] = {
        "name": ex_id,
        "primary": ("lats",),
        "secondary": (),
        "equipment": (),
        "level": "beginner",
        "reps": (10, 10),
        "hold": None,
        "seconds_per_rep": 3.0,
        "setup_seconds": 5,
        "unilateral": False,
    }
    values.update(fields)
    return Exercise(id=ex_id, **values)


def catalog_of(exercises: list[Exercise]) -> Catalog:
    return Catalog(
        "t",
        "T",
        {m: m for m in MUSCLES},
        {"back": MUSCLES},
        {"kettlebell": "Kettlebell", "dumbbell": "Dumbbell"},
        tuple(exercises),
    )


def request_for(catalog: Catalog, **values: Any) -> Request:
    return resolve_request(catalog, {k: Setting(v, k) for k, v in values.items()})


def optimum(catalog: Catalog, request: Request) -> tuple[str, int | None]:
    rm = model.build_model(catalog, request)
    rm.model.maximize(model.whole_order(rm))
    solver = make_solver(request, SolveOptions(), 20)
    status = solver.solve(rm.model)
    name = solver.status_name(status)
    return name, round(solver.objective_value) if status == cp_model.OPTIMAL else None


# ---------------------------------------------------------------------------- examples


def test_equivalent_exercises_keep_the_seeds_favourites() -> None:
    cat = catalog_of([exercise(f"row_{n}") for n in range(8)])
    request = request_for(cat, minutes=6, exercises="1-2", rounds="1", seed=5)
    kept = reduce(model.candidates(cat, request), request)
    assert len(kept) == 2 == menu_cap(Menu(((35, 30),)), request)
    prefs = sorted((preference(c, 5) for c in model.candidates(cat, request)), reverse=True)
    assert sorted((preference(c, 5) for c in kept), reverse=True) == prefs[:2]
    order = [e.id for e in cat.exercises]
    assert [c.exercise.id for c in kept] == sorted((c.exercise.id for c in kept), key=order.index)


def test_dominated_needs_enough_dominators() -> None:
    # Same menu; 'wide' works traps too, so it dominates 'plain' when preferred no less.
    plain = exercise("plain")
    wides = [exercise(f"wide_{n}", secondary=("traps",)) for n in range(3)]
    cat = catalog_of([plain, *wides])
    for seed in range(12):
        request = request_for(cat, minutes=6, exercises="1-2", rounds="1", seed=seed, focus="back")
        cands = model.candidates(cat, request)
        kept = {c.exercise.id for c in reduce(cands, request)}
        pref = {c.exercise.id: preference(c, seed) for c in cands}
        dominators = sum(pref[w.id] >= pref["plain"] for w in wides)
        assert ("plain" in kept) == (dominators < 2), (seed, pref)


def test_ruled_out_exercises_and_doses_are_dropped() -> None:
    cat = catalog_of(
        [
            exercise("hard", level="advanced"),
            exercise("kb", equipment=(frozenset({"kettlebell"}),)),
            exercise("long", reps=(10, 100)),  # 100 reps = 305 s: never fits 4 minutes
            exercise("too_long", reps=(90, 100)),
            exercise("ok"),
        ]
    )
    request = request_for(cat, minutes=4, rounds="1", level="beginner")
    kept = reduce(model.candidates(cat, request, keep_all=True), request)
    assert [c.exercise.id for c in kept] == ["long", "ok"]
    assert max(p.seconds for p in kept[0].prescriptions) <= 240


def test_reduce_is_exact_on_the_builtin_back_catalog(back: Catalog) -> None:
    for values in (
        {"minutes": 15, "equipment": "kettlebell"},
        {"minutes": 20, "equipment": "dumbbell,pullup_bar", "seed": 3},
        {"minutes": 10, "level": "beginner", "exercises": "2-3"},
    ):
        request = request_for(back, **values)
        plain = optimum(back, request)
        with reduced():
            assert optimum(back, request) == plain, values


# ---------------------------------------------------------------------------- random


@st.composite
def cases(draw: st.DrawFn) -> tuple[Catalog, Request]:
    """Small catalogs built from two or three profiles, so equivalence and dominance occur."""
    profiles = []
    for _ in range(draw(st.integers(2, 3))):
        primary = draw(st.sampled_from([("lats",), ("rhomboids",), ("lats", "rhomboids")]))
        others = [m for m in MUSCLES if m not in primary]
        hold = draw(st.booleans()) and draw(st.booleans())
        profiles.append(
            {
                "primary": primary,
                "secondary": tuple(draw(st.lists(st.sampled_from(others), max_size=1))),
                "reps": None if hold else draw(st.sampled_from([(8, 12), (10, 10), (6, 20)])),
                "hold": draw(st.sampled_from([(20, 30), (30, 30)])) if hold else None,
                "seconds_per_rep": 3.0 if hold else draw(st.sampled_from([2.0, 3.0])),
                "setup_seconds": draw(st.sampled_from([5, 10])),
                "unilateral": draw(st.booleans()) and draw(st.booleans()),
            }
        )
    exercises = [
        exercise(
            f"e{n}",
            **draw(st.sampled_from(profiles)),
            equipment=draw(
                st.sampled_from([(), (frozenset({"kettlebell"}),), (frozenset({"dumbbell"}),)])
            ),
            level=draw(st.sampled_from(["beginner", "beginner", "advanced"])),
        )
        for n in range(draw(st.integers(3, 10)))
    ]
    cat = catalog_of(exercises)
    low = draw(st.integers(1, 2))
    request = request_for(
        cat,
        minutes=draw(st.integers(2, 6)),
        focus=draw(st.sampled_from(["lats", "lats,rhomboids", "rhomboids"])),
        equipment=draw(st.sampled_from(["none", "kettlebell", "kettlebell,dumbbell", "dumbbell"])),
        level=draw(st.sampled_from(["beginner", "advanced"])),
        exercises=f"{low}-{draw(st.integers(low, 3))}",
        rounds=draw(st.sampled_from(["1", "1-2", "2"])),
        min_fill=draw(st.sampled_from([0.0, 0.5, 0.7])),
        seed=draw(st.integers(0, 50)),
        rest=draw(st.sampled_from([0, 15])),
        round_rest=30,
    )
    return cat, request


@settings(max_examples=40)
@given(cases())
def test_reduced_optimum_equals_unreduced(case: tuple[Catalog, Request]) -> None:
    cat, request = case
    plain = optimum(cat, request)
    with reduced():
        assert optimum(cat, request) == plain
        kept = model.candidates(cat, request)
    before = ORIGINAL(cat, request)
    dropped = sum(len(c.prescriptions) for c in before) - sum(len(c.prescriptions) for c in kept)
    assert dropped >= 0 and len(kept) <= len(before)
    event(f"{plain[0]}, {'some' if dropped else 'no'} doses dropped")
