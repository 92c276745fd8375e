"""How CP-SAT is set up for every search: one worker and the request's seed, so the same
request always gives the same answer, with a deterministic work budget where the answer must
not depend on the machine's speed and wall time only as the safety net."""

from __future__ import annotations

from ortools.sat.python import cp_model

from routinegen.errors import RoutinegenError
from routinegen.request.routine import Request
from routinegen.solve_options import ROUTINE_TIME_LIMIT, SolveOptions


def make_solver(request: Request, options: SolveOptions, seconds: float) -> cp_model.CpSolver:
    """One worker and a fixed seed: the same request always gives the same answer. Wall
    time (``seconds``) is the safety net; ``options.parameters`` are set last."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = request.seed
    solver.parameters.max_time_in_seconds = seconds
    for name, value in sorted(options.parameters.items()):
        if not hasattr(solver.parameters, name):
            raise RoutinegenError(f"CP-SAT has no parameter {name!r}")
        current = getattr(solver.parameters, name)
        setattr(solver.parameters, name, type(current)(value))
    return solver


def time_limit(options: SolveOptions) -> float:
    """The wall-time safety net of a routine's search."""
    return options.seconds(ROUTINE_TIME_LIMIT)


def routine_solver(request: Request, options: SolveOptions, seconds: float) -> cp_model.CpSolver:
    """``make_solver`` with CP-SAT's full LP relaxation and cuts. Measured: 30 of 30
    imported-catalog requests proven within 0.3 s with it, 29 without; and small conflicts
    proven in milliseconds where the default needs seconds ("5 minutes, 8 exercises")."""
    solver = make_solver(request, options, seconds)
    if "linearization_level" not in options.parameters:
        solver.parameters.linearization_level = 2
    return solver


def work_solver(request: Request, options: SolveOptions, work: float) -> cp_model.CpSolver:
    """``routine_solver`` bounded by ``work`` deterministic seconds (CP-SAT's measure of the
    work done, the same on any machine): its answer does not depend on the machine's speed
    or load. The time limit stays the safety net."""
    solver = routine_solver(request, options, time_limit(options))
    if "max_deterministic_time" not in options.parameters:
        solver.parameters.max_deterministic_time = work
    return solver
