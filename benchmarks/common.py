"""Shared pieces of the benchmark suite: the catalogs, random requests, timing and the
solve options the suite solves with.

The imported catalog comes from the full free-exercise-db file when it is there
(``../shared/data/free-exercise-db.json`` next to the repository), else from the small test
fixture; ``source_note()`` says which, and every report prints it.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL_DATA = ROOT.parent / "shared" / "data" / "free-exercise-db.json"
FIXTURE = ROOT / "tests" / "fixtures" / "free-exercise-db-sample.json"

FOCUS = ("back", "full-body", "upper", "lower", "legs", "push", "pull", "core", "arms")
KITS = (  # what people bring, from a bare floor to a commercial gym ("*" = everything)
    "none",
    "kettlebell",
    "dumbbell",
    "resistance_band",
    "dumbbell,bench",
    "kettlebell,pullup_bar",
    "resistance_band,pullup_bar",
    "dumbbell,bench,pullup_bar",
    "kettlebell,dumbbell,pullup_bar,resistance_band",
    "barbell,squat_rack,bench,dumbbell,pullup_bar",
    "*",
)
LEVELS = ("beginner", "intermediate", "intermediate", "advanced")


def data_file() -> tuple[Path, bool]:
    """The free-exercise-db file to import and whether it is the full one."""
    return (FULL_DATA, True) if FULL_DATA.exists() else (FIXTURE, False)


def source_note() -> str:
    path, full = data_file()
    if full:
        return f"full free-exercise-db file ({path})"
    return f"test fixture only ({path.name}); the full file was not found at {FULL_DATA}"


def imported_catalog() -> tuple[Any, int]:
    """The imported catalog (through the YAML the CLI would write) and the record count."""
    import json

    from routinegen.catalog import load_catalog
    from routinegen.catalog.importers import catalog_yaml, import_free_exercise_db

    path, _ = data_file()
    records = json.loads(path.read_text(encoding="utf-8"))
    data, _report = import_free_exercise_db(records, name="free-exercise-db")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "free-exercise-db.yaml"
        out.write_text(catalog_yaml(data), encoding="utf-8")
        return load_catalog(out), len(records)


def subset(catalog: Any, size: int, seed: int = 7) -> Any:
    """``size`` exercises of ``catalog``, drawn at random, in catalog order."""
    from dataclasses import replace

    rng = random.Random(seed)
    keep = set(rng.sample(range(len(catalog.exercises)), size))
    exercises = tuple(e for i, e in enumerate(catalog.exercises) if i in keep)
    return replace(catalog, name=f"{catalog.name}-{size}", exercises=exercises)


GOALS = ("endurance", "hypertrophy", "strength", "conditioning")


def random_settings(catalog: Any, rng: random.Random) -> dict[str, Any]:
    """One random single-routine request: 15-30 minutes, a focus group, a kit, a level and
    a goal."""
    kit = rng.choice(KITS)
    items = (
        sorted(catalog.equipment)
        if kit == "*"
        else [q for q in kit.split(",") if q == "none" or q in catalog.equipment]
    )
    return {
        "minutes": rng.randint(15, 30),
        "focus": rng.choice([f for f in FOCUS if f in catalog.groups]),
        "equipment": ",".join(items) or "none",
        "level": rng.choice(LEVELS),
        "seed": rng.randrange(1_000_000),
        "goal": rng.choice(GOALS),
    }


def resolve(catalog: Any, values: dict[str, Any]) -> Any:
    from routinegen.request.routine import resolve_request
    from routinegen.request.settings import Setting

    settings = {k: Setting(v, f"--{k}") for k, v in values.items()}
    return resolve_request(catalog, settings)


def parameters(pairs: Sequence[str]) -> dict[str, bool | float]:
    """Extra CP-SAT parameters from ``name=value`` pairs, to measure a setting before it is
    adopted (``SolveOptions.parameters``)."""
    values: dict[str, bool | float] = {}
    for pair in pairs:
        name, _, raw = pair.partition("=")
        values[name] = raw.lower() == "true" if raw.lower() in ("true", "false") else float(raw)
    return values


def timing_options(
    time_limit: float, preprocess: bool = True, extra: Mapping[str, bool | float] | None = None
) -> Any:
    """What the suite solves with: the shipped solver, but no explanation of infeasible
    requests (the suite times solving), and preprocessing on unless it measures without."""
    from routinegen.solve_options import SolveOptions

    return SolveOptions(time_limit, preprocess=preprocess, explain=False, parameters=extra or {})


@dataclass
class Timed:
    seconds: float
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or TIMEOUT
    routine: Any = None


def timed_solve(catalog: Any, request: Any, options: Any) -> Timed:
    """``solve_routine`` end to end (model building included), with its outcome."""
    from routinegen.errors import Infeasible, RoutinegenError
    from routinegen.solver.solve import solve_routine

    started = time.perf_counter()
    try:
        routine = solve_routine(catalog, request, options)
    except Infeasible:
        return Timed(time.perf_counter() - started, "INFEASIBLE")
    except RoutinegenError:
        return Timed(time.perf_counter() - started, "TIMEOUT")
    return Timed(time.perf_counter() - started, routine.solver.status, routine)


def quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def weakest_work(routine_coverage: dict[str, float], focus: Sequence[str]) -> float:
    """Seconds of work on the least-worked focus muscle (secondary counts half)."""
    return min(routine_coverage.get(m, 0.0) for m in focus)


def timer(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out
