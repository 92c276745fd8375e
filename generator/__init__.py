"""routinegen: provably best exercise routines from a person's limits, with OR-Tools CP-SAT.

The public API is what this module exports: ``make_routine``, ``make_plan``,
``swap_exercise`` and ``load_catalog`` for apps (docs/api.md), the result types and the
plugin contract for plugin authors (docs/plugins.md). Every other module is private and
may change in any release.
"""

from routinegen import hookspecs
from routinegen.api import (
    load_catalog,
    make_plan,
    make_routine,
    swap_exercise,
    swap_in_document,
)
from routinegen.errors import Conflict, Infeasible, InputError, RoutinegenError
from routinegen.exporter import Exporter, OptionError, Options, RenderContext, Result, option
from routinegen.hookspecs import CatalogSource, hookimpl
from routinegen.output import wording
from routinegen.output.document import to_document
from routinegen.results import (
    EffectiveRequest,
    Plan,
    PlannedSession,
    PlanRules,
    Proof,
    Routine,
    RoutineItem,
    SolverInfo,
)
from routinegen.solve_options import SolveOptions

__all__ = [
    "CatalogSource",
    "Conflict",
    "EffectiveRequest",
    "Exporter",
    "Infeasible",
    "InputError",
    "OptionError",
    "Options",
    "Plan",
    "PlanRules",
    "PlannedSession",
    "Proof",
    "RenderContext",
    "Result",
    "Routine",
    "RoutineItem",
    "RoutinegenError",
    "SolveOptions",
    "SolverInfo",
    "hookimpl",
    "hookspecs",
    "load_catalog",
    "make_plan",
    "make_routine",
    "option",
    "swap_exercise",
    "swap_in_document",
    "to_document",
    "wording",
]


def __getattr__(name: str) -> str:
    """``__version__``, from the installed metadata (the one place it is set: pyproject.toml),
    read when asked for rather than on every start."""
    if name == "__version__":
        from routinegen.output.document import generator_version

        return generator_version()
    raise AttributeError(f"module 'routinegen' has no attribute {name!r}")
