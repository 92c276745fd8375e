"""The limits of a request as typed keys: each is the key of one assumption literal in an
explanation model, so an explanation reads which limits clash from the keys themselves
rather than by parsing variable names back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Limit:
    """One limit group: its kind (``muscle``, ``max_time``, ``recovery``...) and, for the
    kinds that come once per muscle, the muscle."""

    kind: str
    subject: str = ""

    def __str__(self) -> str:
        """The literal's name in the CP-SAT model, e.g. ``muscle:lats``."""
        return f"{self.kind}:{self.subject}" if self.subject else self.kind


# A session's limits.
MAX_TIME = Limit("max_time")
FILL = Limit("fill")
EQUIPMENT = Limit("equipment")
LEVEL = Limit("level")
EXCLUDE = Limit("exclude")
COUNT = Limit("count")
ROUNDS = Limit("rounds")
MUSCLE = "muscle"  # the kind of "this focus muscle is worked as a primary muscle"

# A plan's limits across sessions.
RECOVERY = "recovery"  # the kind of "this muscle rests between sessions"
REPEATS = Limit("repeats")
DISTINCT = Limit("distinct")
PROGRESSION = Limit("progression")
DELOAD = Limit("deload")
PLAN_KINDS = frozenset({RECOVERY, *(x.kind for x in (REPEATS, DISTINCT, PROGRESSION, DELOAD))})


def muscle_limit(muscle: str) -> Limit:
    return Limit(MUSCLE, muscle)


def recovery_limit(muscle: str) -> Limit:
    return Limit(RECOVERY, muscle)
