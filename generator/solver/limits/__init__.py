"""The limits of a request, one class each: its constraint, the name of its assumption
literal and the words that explain it when it cannot hold.

This follows the constraint modules of the CP-SAT primer's nurse rostering example: the
model is the sum of its limits, so adding one is one class here and its test. A limit is a
frozen value (``FocusMuscle("lats")``), so it is also the key of its literal in an
explanation model, and an explanation reads which limits clash from the keys themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ortools.sat.python import cp_model

from routinegen.errors import Conflict


class Limit:
    """One limit group. ``kind`` names the class (``max_time``, ``muscle``...); ``subject``
    tells apart the limits a request has once per muscle. A limit is a value (equal to any
    limit of its class and subject), so it can key its literal. Plain classes rather than
    dataclasses: making twenty dataclasses cost 7 ms of every solving command's start."""

    __slots__ = ()
    kind: ClassVar[str]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Limit) and type(self) is type(other) and self.subject == other.subject
        )

    def __hash__(self) -> int:
        return hash((type(self), self.subject))

    def __repr__(self) -> str:
        inside = repr(self.subject) if self.subject else ""
        return f"{type(self).__name__}({inside})"

    @property
    def subject(self) -> str:
        return ""

    def __str__(self) -> str:
        """The literal's name in the CP-SAT model, e.g. ``muscle:lats``."""
        return f"{self.kind}:{self.subject}" if self.subject else self.kind

    def __lt__(self, other: Limit) -> bool:
        """By kind, then subject: the order the deletion filter tries them in."""
        return (self.kind, self.subject) < (other.kind, other.subject)


@dataclass(frozen=True)
class Explanation:
    """Why some limits cannot hold together: one sentence for people, the limits one by one
    for programs, and a change that would work when one is known."""

    sentence: str
    limits: tuple[Conflict, ...]
    suggestion: str | None = None


Enforce = list[cp_model.IntVar]  # a constraint's enforcement literals: none when it is hard


class Guards:
    """The enforcement literal of each limit.

    When optimising, every limit is hard: no literal. When explaining, each limit gets one
    assumption literal, created on first use, so CP-SAT can name the limits that clash.
    """

    def __init__(self, model: cp_model.CpModel, explain: bool) -> None:
        self.model = model
        self.explain = explain
        self.literals: dict[Limit, cp_model.IntVar] = {}

    def __call__(self, limit: Limit) -> Enforce:
        if not self.explain:
            return []
        if limit not in self.literals:
            self.literals[limit] = self.model.new_bool_var(str(limit))
        return [self.literals[limit]]


def joined(names: list[str]) -> str:
    """``a and b``, or ``a, b, c``: how a clause lists what it is about."""
    return " and ".join(names) if len(names) < 3 else ", ".join(names)
