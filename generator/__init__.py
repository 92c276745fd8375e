"""routinegen: provably best exercise routines from a person's limits, with OR-Tools CP-SAT.

The public API for plugin authors is what this module exports; everything else is private.
"""

from routinegen.exporter import Exporter, Option
from routinegen.hookspecs import hookimpl
from routinegen.routine import EffectiveRequest, Routine, RoutineItem, SolverInfo

__all__ = [
    "EffectiveRequest",
    "Exporter",
    "Option",
    "Routine",
    "RoutineItem",
    "SolverInfo",
    "hookimpl",
]
