"""Weekly plan solve times on the built-in catalogs: a 5-session week and a 4-week plan.

Run: python benchmarks/plan_speed.py [--seeds N]
Targets: the 5-session week proven OPTIMAL in under 2 s; the 4-week plan finished in under
10 s, with its gap reported when it is not proven optimal.
"""

from __future__ import annotations

import argparse
import statistics
import time

from routinegen.api import plan_from_settings
from routinegen.catalog import load_catalog
from routinegen.request.settings import Setting

CASES = {
    "5-session week, back, kettlebell, 15 min": dict(
        days="mon,tue,wed,thu,fri", minutes=15, equipment="kettlebell", split="back-week"
    ),
    "5-session week, push-pull-legs, dumbbell, 20 min": dict(
        days="mon,tue,wed,thu,fri", minutes=20, equipment="dumbbell", split="push-pull-legs"
    ),
    "3-session week, back, bodyweight, 20 min": dict(days="mon,wed,fri", minutes=20),
    "4-week plan, 3 sessions/week, back, dumbbell, 20 min": dict(
        days="mon,wed,fri", minutes=20, equipment="dumbbell", weeks=4, time_limit=9
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per case (median taken)")
    seeds = parser.parse_args().seeds
    catalog = load_catalog("full-body")
    print(f"{'case':<54} {'median s':>8} {'max s':>6}  status (gap)")
    for label, options in CASES.items():
        times, statuses = [], []
        for seed in range(seeds):
            settings = {
                k: Setting(v, k)
                for k, v in {**options, "seed": seed, "start": "2026-11-30"}.items()
            }
            started = time.perf_counter()
            plan = plan_from_settings(settings, catalog=catalog)
            times.append(time.perf_counter() - started)
            info = plan.solver
            statuses.append(
                info.status if info.proven_optimal else f"{info.status} ({info.gap:.0%})"
            )
        print(
            f"{label:<54} {statistics.median(times):>8.2f} {max(times):>6.2f}  "
            f"{', '.join(sorted(set(statuses)))}"
        )


if __name__ == "__main__":
    main()
