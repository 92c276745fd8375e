"""Plans for tests: flags in, the resolved request and the solved plan out."""

from __future__ import annotations

from typing import Any

from judges.plan import CATALOG

from routinegen.request.plan import resolve_plan_request
from routinegen.request.settings import Setting
from routinegen.solve_options import SolveOptions
from routinegen.solver.plan_solve import solve_plan


def plan_for(**options: Any) -> tuple[Any, Any]:
    settings_ = {k: Setting(v, f"--{k}") for k, v in options.items()}
    request = resolve_plan_request(CATALOG, settings_)
    seconds = options.get("time_limit")
    return request, solve_plan(CATALOG, request, SolveOptions(time_limit=seconds))
