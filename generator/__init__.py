"""routinegen: provably best exercise routines from a person's limits, with OR-Tools CP-SAT.

The public API for plugin authors is what this module exports (docs/plugins.md documents
it); every other module is private and may change in any release.
"""

from routinegen import hookspecs
from routinegen.exporter import Exporter, Option, Result
from routinegen.hookspecs import CatalogSource, hookimpl
from routinegen.results import (
    EffectiveRequest,
    Plan,
    PlannedSession,
    PlanRules,
    Routine,
    RoutineItem,
    SolverInfo,
)

__all__ = [
    "CatalogSource",
    "EffectiveRequest",
    "Exporter",
    "Option",
    "Plan",
    "PlanRules",
    "PlannedSession",
    "Result",
    "Routine",
    "RoutineItem",
    "SolverInfo",
    "hookimpl",
    "hookspecs",
]
