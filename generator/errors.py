"""The errors routinegen raises on purpose; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class RoutinegenError(Exception):
    """Base of every error that is the user's to fix, not a bug."""

    exit_code = 1


class InputError(RoutinegenError):
    """A catalog, preset or option value is wrong; the message names where."""


class Infeasible(RoutinegenError):
    """The request cannot be met; ``conflicts`` says which limits clash, in the user's words."""

    exit_code = 3

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__("the request cannot be met: " + "; ".join(conflicts))
