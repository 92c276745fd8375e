"""How to solve, kept apart from what to solve: the same request under other options is the
same problem, only searched with another budget or machinery.

Front ends and the benchmarks pass a ``SolveOptions`` instead of changing the solver's
module state; the ``time_limit`` setting (``--time-limit``, a preset's or a people file's
``time_limit``) fills in its ``time_limit``. This module imports nothing heavy, so the API
can build options without loading OR-Tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

ROUTINE_TIME_LIMIT = 10.0  # seconds of wall time for one routine, the safety net
PLAN_TIME_LIMIT = 15.0  # a one-week plan's,
PLAN_WEEK_TIME_LIMIT = 3.0  # and this more for each further week (a 12-week plan: 48 s)
# A plan's searches get this many deterministic seconds per second of its wall-time limit
# (given or default): on an idle machine they end well inside the limit, and the same
# request with the same limit gets the same plan on any machine.
PLAN_WORK_PER_SECOND = 0.2
ParameterValue = bool | int | float


@dataclass(frozen=True)
class SolveOptions:
    """The solver's budget and machinery.

    ``time_limit``: wall seconds before the search stops with the best answer so far (None:
    the default for the kind, ``ROUTINE_TIME_LIMIT`` or ``plan_seconds``); the search's
    own steps are budgeted in deterministic time, so this is a safety net. ``preprocess``:
    drop the exercises and doses that provably cannot matter before modelling (exact; off
    only to measure it). ``explain``: work out which limits conflict when there is no
    answer (off: ``Infeasible`` says only that none exists). ``parameters``: extra CP-SAT
    parameters by name, set on every solver, to measure a setting before adopting it.
    """

    time_limit: float | None = None
    preprocess: bool = True
    explain: bool = True
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)

    def seconds(self, default: float) -> float:
        """The time limit, or ``default`` when none is set."""
        return self.time_limit if self.time_limit is not None else default

    def plan_seconds(self, weeks: int) -> float:
        """A plan's wall-time limit: the one set, or the default for ``weeks`` weeks."""
        return self.seconds(PLAN_TIME_LIMIT + PLAN_WEEK_TIME_LIMIT * (max(1, weeks) - 1))


def with_time_limit(options: SolveOptions | None, seconds: float | None) -> SolveOptions:
    """``options`` (the defaults if None) with ``seconds`` as the time limit, when given."""
    options = options or SolveOptions()
    if seconds is None:
        return options
    return replace(options, time_limit=seconds)
