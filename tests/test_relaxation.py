"""The linear relaxation is a proof: its bound is never below the model's optimum.

``relax`` is judged against an exact CP-SAT solve of small random models: whenever CP-SAT
proves an optimum the relaxation's bound is at least that optimum, and the relaxation says
"no solution" (None) only for models CP-SAT proves infeasible.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from routinegen.solver.search.relaxation import relax

Literal = tuple[int, bool]  # (Boolean's position, negated)


def exact(model: cp_model.CpModel) -> tuple[str, int | None]:
    """CP-SAT's status for ``model`` and, when proven, its optimum."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(model)
    value = round(solver.objective_value) if status == cp_model.OPTIMAL else None
    return solver.status_name(status), value


def assert_tight(model: cp_model.CpModel, bound: int) -> None:
    """The relaxation's bound is ``bound``, and so is CP-SAT's proven optimum."""
    relaxed = relax(model)
    assert relaxed is not None
    assert relaxed.bound == bound == exact(model)[1]


def booleans(model: cp_model.CpModel, n: int) -> list[cp_model.IntVar]:
    return [model.new_bool_var(f"b{i}") for i in range(n)]


def fixed(model: cp_model.CpModel, value: int, name: str = "switch") -> cp_model.IntVar:
    """A Boolean whose domain (not a constraint) fixes it to ``value``."""
    return model.new_int_var(value, value, name)


# ---------------------------------------------------------------------------- random


@dataclass(frozen=True)
class Linear:
    coeffs: tuple[int, ...]  # one per variable, Booleans first
    sense: str  # "<=", ">=" or "=="
    rhs: int


@dataclass(frozen=True)
class Spec:
    """A small random model, kept as data so Hypothesis shows it when a check fails."""

    n_bools: int
    ints: tuple[tuple[int, int], ...]  # domains of the integer variables
    linears: tuple[Linear, ...]
    clause: tuple[str, tuple[Literal, ...]]  # exactly_one / at_most_one / bool_or
    implication: tuple[Literal, Literal]
    switch: str  # the enforced constraint's literal: "on", "off" or "free"
    switch_negated: bool
    enforced: Linear
    objective: tuple[int, ...]
    offset: int


@st.composite
def literals(draw: st.DrawFn, n_bools: int, min_size: int) -> list[Literal]:
    """Literals over distinct Booleans, some negated."""
    order = draw(st.permutations(range(n_bools)))
    size = draw(st.integers(min_size, n_bools))
    return [(i, draw(st.booleans())) for i in order[:size]]


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    n_bools = draw(st.integers(2, 4))
    ints = tuple(
        (low, low + draw(st.integers(0, 4)))
        for low in draw(st.lists(st.integers(-3, 1), min_size=1, max_size=2))
    )
    n_vars = n_bools + len(ints)
    coeffs = st.lists(st.integers(-3, 3), min_size=n_vars, max_size=n_vars)

    def linear() -> Linear:
        sense = draw(st.sampled_from(["<=", ">=", "=="]))
        low, high = {"<=": (-1, 6), ">=": (-4, 1)}.get(sense, (-2, 3))
        return Linear(tuple(draw(coeffs)), sense, draw(st.integers(low, high)))

    linears = tuple(linear() for _ in range(draw(st.integers(1, 3))))
    kind = draw(st.sampled_from(["exactly_one", "at_most_one", "bool_or"]))
    clause = (kind, tuple(draw(literals(n_bools, 1))))
    a, b = draw(literals(n_bools, 2))[:2]
    return Spec(
        n_bools=n_bools,
        ints=ints,
        linears=linears,
        clause=clause,
        implication=(a, b),
        switch=draw(st.sampled_from(["on", "off", "free"])),
        switch_negated=draw(st.booleans()),
        enforced=linear(),
        objective=tuple(draw(coeffs)),
        offset=draw(st.integers(-5, 5)),
    )


def build(spec: Spec) -> cp_model.CpModel:
    model = cp_model.CpModel()
    bools = booleans(model, spec.n_bools)
    variables = [
        *bools,
        *(model.new_int_var(lo, hi, f"i{n}") for n, (lo, hi) in enumerate(spec.ints)),
    ]

    def literal(lit: Literal) -> cp_model.LiteralT:
        return ~bools[lit[0]] if lit[1] else bools[lit[0]]

    def constraint(linear: Linear) -> cp_model.Constraint:
        expr = sum(c * v for c, v in zip(linear.coeffs, variables, strict=True))
        if linear.sense == "<=":
            return model.add(expr <= linear.rhs)
        if linear.sense == ">=":
            return model.add(expr >= linear.rhs)
        return model.add(expr == linear.rhs)

    for linear in spec.linears:
        constraint(linear)
    kind, lits = spec.clause
    getattr(model, f"add_{kind}")([literal(lit) for lit in lits])
    model.add_implication(literal(spec.implication[0]), literal(spec.implication[1]))
    if spec.switch == "free":
        switch = model.new_bool_var("switch")
    else:  # "on" holds the constraint, "off" releases it, whichever way the literal reads
        switch = fixed(model, int((spec.switch == "on") != spec.switch_negated))
    constraint(spec.enforced).only_enforce_if(~switch if spec.switch_negated else switch)
    model.maximize(sum(c * v for c, v in zip(spec.objective, variables, strict=True)) + spec.offset)
    return model


@settings(max_examples=150, deadline=None)
@given(specs())
def test_relaxation_bounds_the_exact_optimum(spec: Spec) -> None:
    model = build(spec)
    before = str(model.proto)
    relaxed = relax(model)
    assert str(model.proto) == before, "relax() must not change the model"
    status, optimum = exact(model)
    event(f"CP-SAT {status}, relaxation {'none' if relaxed is None else 'found'}")
    if relaxed is None:
        assert status == "INFEASIBLE"
        return
    n_vars = len(model.proto.variables)
    assert len(relaxed.reduced_costs) == n_vars
    assert relaxed.used <= set(range(n_vars))
    if status == "OPTIMAL":
        assert optimum is not None
        assert relaxed.bound >= optimum


# ---------------------------------------------------------------------------- examples


def test_infeasible_relaxation_is_none() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.add(x + y >= 3)
    model.maximize(x + y)
    assert relax(model) is None
    assert exact(model)[0] == "INFEASIBLE"


def test_infeasible_clause_relaxation_is_none() -> None:
    model = cp_model.CpModel()
    x, y, z = booleans(model, 3)
    model.add_exactly_one([x, y])
    model.add(x + y + z <= 0)
    assert relax(model) is None


def test_used_are_the_variables_of_the_unique_optimum() -> None:
    model = cp_model.CpModel()
    x, y, z = booleans(model, 3)
    n = model.new_int_var(0, 5, "n")
    model.add(x + y + z <= 2)
    model.add(n + x <= 1)
    model.maximize(3 * x + 2 * y + z + n)  # x = y = 1: 5; n = 1 would cost x
    relaxed = relax(model)
    assert relaxed is not None
    assert relaxed.used == {x.index, y.index}
    assert relaxed.bound == 5 == exact(model)[1]


def test_bound_is_the_floor_of_a_fractional_optimum() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.add(2 * x + 2 * y <= 3)
    model.maximize(x + y)  # the relaxation reaches 1.5
    assert_tight(model, 1)


def test_objective_offset_counts() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.add(x + y <= 1)
    model.maximize(2 * x + y + 7)
    assert_tight(model, 9)


def test_negative_objective_and_integer_domains() -> None:
    model = cp_model.CpModel()
    n = model.new_int_var(-4, 3, "n")
    m = model.new_int_var(-2, 2, "m")
    model.add(n + m >= 1)
    model.maximize(-2 * n - m)  # n = -1, m = 2: 0
    assert_tight(model, 0)


@pytest.mark.parametrize(
    ("switch", "negated", "bound"),
    [
        ("on", False, 1),  # fixed true: the constraint holds and tightens the bound
        ("off", True, 1),  # fixed false, read negated: holds too
        ("off", False, 2),  # fixed false: the constraint is off
        ("on", True, 2),
        ("free", False, 2),  # undecided: left out (CP-SAT also reaches 2, switch off)
    ],
)
def test_enforced_constraint(switch: str, negated: bool, bound: int) -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    literal = (
        model.new_bool_var("switch") if switch == "free" else fixed(model, int(switch == "on"))
    )
    model.add(x + y <= 1).only_enforce_if(~literal if negated else literal)
    model.maximize(x + y)
    assert_tight(model, bound)


def test_clauses_with_negated_literals() -> None:
    model = cp_model.CpModel()
    x, y, z = booleans(model, 3)
    model.add_exactly_one([x, ~y])  # x = y
    model.add_at_most_one([~x, z])  # z => x
    model.add_bool_or([~y, ~z])  # not both y and z
    model.maximize(x + y + z)  # x = y = 1, z = 0 (z would need x, then y = 1 too)
    assert_tight(model, 2)


@pytest.mark.parametrize(("negated", "bound"), [(False, 1), (True, 2)])
def test_free_implication_is_kept(negated: bool, bound: int) -> None:
    model = cp_model.CpModel()
    a, b = booleans(model, 2)
    model.add_implication(a, ~b if negated else b)
    model.maximize(2 * a - b)  # a => b leaves 2 - 1; a => not b allows 2
    assert_tight(model, bound)


def test_bool_and_under_a_fixed_literal_holds() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.add_bool_and([~x, y]).only_enforce_if(fixed(model, 1))
    model.maximize(x + y)
    assert_tight(model, 1)


def test_bool_and_under_a_free_literal_is_kept() -> None:
    model = cp_model.CpModel()
    a, x, y = booleans(model, 3)
    model.add_bool_and([~x, y]).only_enforce_if(a)  # a => not x, a => y
    model.maximize(2 * a + 2 * x - y)  # a: 2 - 1; x: 2 - 0 (+ nothing); not both
    assert_tight(model, 2)


@pytest.mark.parametrize(
    ("switches", "bound"),
    [
        ((1, 1), 1),  # both fixed true: the constraint holds
        ((1, 0), 2),  # one fixed false: off
        ((1, None), 2),  # one undecided: left out
    ],
)
def test_several_enforcement_literals(switches: tuple[int | None, ...], bound: int) -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    literals = [
        model.new_bool_var(f"s{n}") if value is None else fixed(model, value, f"s{n}")
        for n, value in enumerate(switches)
    ]
    model.add(x + y <= 1).only_enforce_if(literals)
    model.maximize(x + y)
    assert_tight(model, bound)


def test_model_without_objective() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.add(x + y == 1)
    relaxed = relax(model)
    assert relaxed is not None
    assert relaxed.bound == 0
    assert relaxed.reduced_costs == (0.0, 0.0)


def test_one_reduced_cost_per_variable() -> None:
    model = cp_model.CpModel()
    bools = booleans(model, 4)
    n = model.new_int_var(0, 3, "n")
    fixed(model, 1)
    model.add(sum(bools) + n <= 3)
    model.maximize(4 * bools[0] + 3 * bools[1] + 2 * bools[2] + n)
    relaxed = relax(model)
    assert relaxed is not None
    assert len(relaxed.reduced_costs) == len(model.proto.variables) == 6
    assert relaxed.reduced_costs[bools[3].index] != 0  # worth nothing: the LP leaves it out
    assert bools[3].index not in relaxed.used


@pytest.mark.parametrize("kind", ["exactly_one", "at_most_one", "bool_or", "implication"])
def test_literal_and_its_negation_in_one_constraint(kind: str) -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    if kind == "implication":
        model.add_implication(x, ~x)  # x must be 0
    else:
        getattr(model, f"add_{kind}")([x, ~x, y])
    model.maximize(x + y)
    status, optimum = exact(model)
    relaxed = relax(model)
    assert status == "OPTIMAL"
    assert relaxed is not None
    assert optimum is not None
    assert relaxed.bound >= optimum


def test_floating_point_objective_is_rejected() -> None:
    model = cp_model.CpModel()
    x, y = booleans(model, 2)
    model.maximize(1.5 * x + y)  # stored as a floating-point objective; optimum 2.5
    with pytest.raises(ValueError, match="integer"):
        relax(model)
