"""The errors routinegen raises on purpose; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RoutinegenError(Exception):
    """Base of every error that is the user's to fix, not a bug."""

    exit_code = 1


class InputError(RoutinegenError):
    """A catalog, preset or option value is wrong; the message names where."""


@dataclass(frozen=True)
class Conflict:
    """One limit of a request that cannot be met, for programs: its code (the limit's kind,
    such as ``max_time`` or ``muscle``), what it is about (muscle ids, if any) and its clause
    of the explanation."""

    code: str
    sentence: str
    subjects: tuple[str, ...] = ()


class Infeasible(RoutinegenError):
    """The request cannot be met. ``conflicts`` says which limits clash, in the user's words;
    ``limits`` lists them one by one; ``suggestion`` is a change that would work, if known."""

    exit_code = 3

    def __init__(
        self,
        conflicts: list[str],
        limits: Sequence[Conflict] = (),
        suggestion: str | None = None,
    ) -> None:
        self.conflicts = conflicts
        self.limits = tuple(limits)
        self.suggestion = suggestion
        super().__init__("the request cannot be met: " + "; ".join(conflicts))
