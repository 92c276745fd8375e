"""How long an infeasible request takes to be explained, and how many limits it names.

Run alone: python benchmarks/explanations.py [--requests N] [--size 10000]

Two kinds of infeasible requests per catalog, drawn at random: ordinary requests that the
catalog cannot meet (mostly a focus muscle no exercise reaches with the kit and level), and
tight ones (5-10 minutes with 8-12 exercises, or 1-3 minutes of a whole group) that only the
solver can settle. Each explanation is timed end to end with the shipped options; the target
is every one within the default time limit (10 s).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import imported_catalog, median, random_settings, resolve, timed_solve, timing_options

DEFAULT_LIMIT = 10.0  # seconds: ROUTINE_TIME_LIMIT


def infeasible_requests(catalog: Any, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` requests ``catalog`` cannot meet, half ordinary and half tight."""
    rng = random.Random(seed)
    quick = timing_options(DEFAULT_LIMIT)
    found: list[dict[str, Any]] = []
    for tight in (False, True):
        wanted, drawn = len(found) + count // 2 + (count % 2 if tight else 0), 0
        while len(found) < wanted and drawn < 40 * count:
            drawn += 1
            values = random_settings(catalog, rng)
            if tight:
                values["minutes"] = rng.randint(5, 10)
                values["exercises"] = str(rng.randint(8, 12))
            request = resolve(catalog, values)
            if timed_solve(catalog, request, quick).status == "INFEASIBLE":
                found.append(values)
    return found


def measure(catalog: Any, requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Seconds and named limits of each explanation."""
    from routinegen.solve_options import SolveOptions
    from routinegen.solver.explain import explain

    seconds, named, lines = [], [], []
    for values in requests:
        request = resolve(catalog, values)
        started = time.perf_counter()
        error = explain(catalog, request, SolveOptions())
        seconds.append(time.perf_counter() - started)
        named.append(sum(max(1, len(c.subjects)) for c in error.limits))
        lines.append(f"{seconds[-1]:6.2f} s  {values}: {error.conflicts[0]}")
    return {"seconds": seconds, "named": named, "lines": lines}


def summary(label: str, result: dict[str, Any]) -> tuple[str, bool]:
    seconds, named = result["seconds"], result["named"]
    worst = max(seconds, default=float("nan"))
    text = (
        f"{label}: {len(seconds)} infeasible requests, median {median(seconds):.2f} s, "
        f"max {worst:.2f} s; limits named: median {median(named):g}, max {max(named, default=0)}"
    )
    return text, worst < DEFAULT_LIMIT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--size", type=int, default=10_000, help="synthetic catalog size")
    args = parser.parse_args()
    from synthetic import synthetic_catalog

    base, _ = imported_catalog()
    for label, catalog in (
        ("imported", base),
        (f"synthetic-{args.size}", synthetic_catalog(base, args.size)),
    ):
        result = measure(catalog, infeasible_requests(catalog, args.requests, seed=5))
        print("\n".join(result["lines"]))
        text, met = summary(label, result)
        print(text, "(met)" if met else "(MISSED)")


if __name__ == "__main__":
    main()
