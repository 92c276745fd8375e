"""The linear relaxation of a CP-SAT model: a proven bound on its objective, and a guide.

Forget integrality, keep every linear constraint, and the best value of the result (solved
with GLOP, OR-Tools' simplex) bounds the best value of the integer model from above: every
integer solution is also a solution of the relaxation. For routines that bound is nearly
always tight once rounded down, and the relaxation's solution points at the few exercises
worth trying (measured on the imported catalog: 24 of 29 requests reach the rounded bound
with only the exercises the relaxation uses). Finding such a solution quickly and knowing
the bound is a proof of optimality that CP-SAT's own single-worker search often needs
seconds to reach.

Constraints the relaxation cannot express are left out (that only weakens the bound, it
stays valid): constraints under an enforcement literal that is not fixed (but for
implications), and any constraint type other than linear, exactly-one, at-most-one,
or-clause and and-clause. A constraint whose enforcement literals are fixed true counts
as unconditional, so a model whose switches are fixed has its whole relaxation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model

# Rounding slack for the simplex's floating-point bound. A larger slack can only make the
# rounded bound weaker (one higher), never wrong.
BOUND_SLACK = 1e-6
USED = 1e-9  # a variable above this in the relaxation's solution is "used"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_KINDS = ("linear", "exactly_one", "at_most_one", "bool_or", "bool_and")


@dataclass(frozen=True)
class Relaxation:
    """The relaxation's answer: an upper bound on the (maximised) objective, the model's
    variables (by proto index) that its optimal solution uses, and each variable's reduced
    cost (how much the objective would lose per unit of it that is not used: 0 for the
    variables an optimal relaxed solution could use, more for the less promising ones)."""

    bound: int
    used: frozenset[int]
    reduced_costs: tuple[float, ...]


@dataclass(frozen=True)
class Rows:
    """A model's constraints as LP rows, built once and reused for the copies made from it
    (``model.clone()``) that differ only in narrower variable domains and in constraints
    added after it: building the rows is most of the cost of a relaxation."""

    lp: linear_solver_pb2.MPModelProto
    bounds: tuple[tuple[float, float], ...]
    size: int  # constraints covered

    @classmethod
    def of(cls, model: cp_model.CpModel) -> Rows:
        proto = model.proto
        lp = linear_solver_pb2.MPModelProto()
        bounds = tuple(_hull(var.domain) for var in proto.variables)
        for low, high in bounds:
            column = lp.variable.add()
            column.lower_bound, column.upper_bound = low, high
        for ct in proto.constraints:
            _add(lp, ct, _enforced(proto, ct))
        return cls(lp, bounds, len(proto.constraints))


def relax(model: cp_model.CpModel, rows: Rows | None = None) -> Relaxation | None:
    """Solve the relaxation of ``model``'s maximised, integral objective (if any); None
    when even the relaxation has no solution, which proves the model has none. ``rows``
    are the rows of a model ``model`` was cloned from, to reuse."""
    proto = model.proto
    if proto.has_floating_point_objective() or (
        proto.has_objective() and proto.objective.scaling_factor != -1
    ):
        raise ValueError("relax() needs a model.maximize(...) objective with integer terms")
    rows = rows or Rows.of(model)
    lp = linear_solver_pb2.MPModelProto()
    lp.CopyFrom(rows.lp)
    for index, var in enumerate(proto.variables):  # domains a copy has narrowed
        bounds = _hull(var.domain)
        if bounds != rows.bounds[index]:
            lp.variable[index].lower_bound, lp.variable[index].upper_bound = bounds
    for index, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        lp.variable[index].objective_coefficient += coeff  # stored negated: minimise
    for index in range(rows.size, len(proto.constraints)):  # no slices on the pybind list
        _add(lp, proto.constraints[index], _enforced(proto, proto.constraints[index]))
    request = linear_solver_pb2.MPModelRequest(
        model=lp, solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING
    )
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status == linear_solver_pb2.MPSOLVER_INFEASIBLE:
        return None
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        raise RuntimeError(f"the linear relaxation ended with status {response.status}")
    best = -(response.objective_value + proto.objective.offset)
    used = frozenset(i for i, value in enumerate(response.variable_value) if value > USED)
    return Relaxation(math.floor(best + BOUND_SLACK), used, tuple(response.reduced_cost))


def _hull(domain: Any) -> tuple[float, float]:
    """The smallest interval holding a CP-SAT domain (a flat list of interval ends)."""
    return _bound(domain[0]), _bound(domain[len(domain) - 1])  # the pybind list has no [-1]


def _bound(value: int) -> float:
    if value <= _INT64_MIN:
        return -math.inf
    return math.inf if value >= _INT64_MAX else float(value)


class _Row:
    """One LP row: a sum of terms (a variable named twice gets one summed coefficient,
    as the LP format requires) between two bounds, less its constant part."""

    def __init__(self) -> None:
        self.terms: dict[int, float] = {}
        self.constant = 0.0

    def term(self, index: int, coeff: float) -> None:
        self.terms[index] = self.terms.get(index, 0.0) + coeff

    def literal(self, literal: int, sign: int = 1) -> None:
        """Add ``sign`` times the literal: x, or 1 - x when negated."""
        if literal >= 0:
            self.term(literal, sign)
        else:
            self.term(-literal - 1, -sign)
            self.constant += sign

    def emit(self, lp: linear_solver_pb2.MPModelProto, low: float, high: float) -> None:
        row = lp.constraint.add()
        row.var_index.extend(self.terms)
        row.coefficient.extend(self.terms.values())
        row.lower_bound, row.upper_bound = low - self.constant, high - self.constant


def _enforced(proto: Any, ct: Any) -> bool | None:
    """Whether the constraint holds: True if it is unconditional or its enforcement
    literals are fixed true, False if one is fixed false, None if that is undecided."""
    values = []
    for literal in ct.enforcement_literal:
        domain = proto.variables[literal if literal >= 0 else -literal - 1].domain
        fixed = domain[0] if domain[0] == domain[len(domain) - 1] else None
        values.append(None if fixed is None else bool(fixed) == (literal >= 0))
    if False in values:
        return False
    return None if None in values else True


def _add(lp: linear_solver_pb2.MPModelProto, ct: Any, enforced: bool | None) -> None:
    kind = next((k for k in _KINDS if getattr(ct, f"has_{k}")()), None)
    if enforced is False:
        return
    if kind == "linear" and enforced:
        indices, coeffs = list(ct.linear.vars), list(ct.linear.coeffs)
        if len(set(indices)) == len(indices):  # the usual case, and the fast one
            row = lp.constraint.add()
            row.var_index.extend(indices)
            row.coefficient.extend(coeffs)
            row.lower_bound, row.upper_bound = _hull(ct.linear.domain)
        else:
            merged = _Row()
            for index, coeff in zip(indices, coeffs, strict=True):
                merged.term(index, coeff)
            merged.emit(lp, *_hull(ct.linear.domain))
    elif kind in ("exactly_one", "at_most_one", "bool_or") and enforced:
        row = _Row()
        for literal in getattr(ct, kind).literals:
            row.literal(literal)
        row.emit(
            lp, *{"exactly_one": (1, 1), "at_most_one": (-math.inf, 1)}.get(kind, (1, math.inf))
        )
    elif kind == "bool_and" and (enforced or len(ct.enforcement_literal) == 1):
        for literal in ct.bool_and.literals:  # b, or when a => b:  b - a >= 0
            row = _Row()
            row.literal(literal)
            if not enforced:
                row.literal(ct.enforcement_literal[0], -1)
            row.emit(lp, 0 if not enforced else 1, math.inf)
