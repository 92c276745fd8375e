"""Weekly plan solve times on the built-in catalog and the imported one: a 5-day week, a
4-week 3-day block and a 12-week 4-day block with a deload.

Run: python benchmarks/plan_speed.py [--seeds N] [--catalog builtin|imported|both] [--splits]
Each case runs in a fresh process, so its peak memory (the maximum resident set) is its
own. Targets (issue 14): the 5-day week OPTIMAL under 2 s; the 4-week block OPTIMAL under
10 s; the 12-week block ends with a plan and a gap of at most 5 % within 60 s. Every case
runs at the default time limit, so its deterministic budget is the default one too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from statistics import median
from typing import Any

HERE = Path(__file__).resolve().parent
PLAN_BASE: dict[str, Any] = {"start": "2026-11-30", "tz": "UTC"}
GYM = "dumbbell,kettlebell,pullup_bar,bench,barbell,cable"
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], float, float | None]] = {
    # label: (built-in options, imported options, seconds, largest gap; None: OPTIMAL)
    "5-day week (push-pull-legs, 20 min)": (
        dict(days="mon,tue,wed,thu,fri", minutes=20, equipment="dumbbell", split="push-pull-legs"),
        dict(days="mon,tue,wed,thu,fri", minutes=20, equipment=GYM, split="push-pull-legs"),
        2.0,
        None,
    ),
    "4-week block, 3 days (back, 20 min)": (
        dict(days="mon,wed,fri", weeks=4, minutes=20, equipment="dumbbell", focus="back"),
        dict(days="mon,wed,fri", weeks=4, minutes=20, equipment=GYM, focus="back"),
        10.0,
        None,
    ),
    "12-week block, 4 days, deload (upper-lower)": (
        dict(days="mon,tue,thu,sat", weeks=12, deload=True, split="upper-lower"),
        dict(days="mon,tue,thu,sat", weeks=12, deload=True, split="upper-lower", equipment=GYM),
        60.0,
        0.05,
    ),
}

# Issue 14: every built-in split with 3-6 days ends OPTIMAL at the default limits on the
# built-in catalogs: each split on 3, 4, 5 and 6 days, 4 weeks, bodyweight and a gym.
SPLIT_DAYS = ("mon,wed,fri", "mon,tue,thu,fri", "mon,tue,wed,thu,fri", "mon,tue,wed,thu,fri,sat")
SPLITS = ("full-body", "upper-lower", "push-pull-legs", "back-week")
SPLIT_KITS = {"bodyweight": "none", "gym": GYM}


def split_rows() -> list[dict[str, Any]]:
    """Each built-in split on 3-6 days, at the default limits: its status and time."""
    out = []
    for split in SPLITS:
        for kit, equipment in SPLIT_KITS.items():
            runs = []
            for days in SPLIT_DAYS:
                options = {**PLAN_BASE, "days": days, "weeks": 4, "split": split}
                back = split == "back-week"  # the back catalog has no bench
                options["equipment"] = equipment.replace(",bench", "") if back else equipment
                options["catalog"] = "back" if back else "full-body"
                runs.append(run_case(options, "builtin"))
            label = f"split {split}, 3-6 days, 4 weeks, {kit}"
            out.append(summary(label, "builtin", runs, 30.0, None))
    return out


CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from routinegen.api import make_plan
from routinegen.errors import RoutinegenError
options = json.loads(sys.argv[2])
if sys.argv[3] == "imported":
    from common import imported_catalog
    options["catalog"], _ = imported_catalog()
started = time.perf_counter()
try:
    info = make_plan(**options).solver
    out = {"status": info.status, "gap": info.gap, "bound": info.bound, "objective":
           info.objective, "work": info.work_seconds, "cut": info.stopped_by_wall_clock}
except RoutinegenError as exc:
    out = {"status": "ERROR", "error": str(exc)}
out["seconds"] = time.perf_counter() - started
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run_case(options: dict[str, Any], catalog: str) -> dict[str, Any]:
    """One plan in a fresh process: its status, gap, wall seconds and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE), json.dumps(options), catalog],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"status": "CRASH", "error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rows(catalogs: list[str], seeds: int) -> list[dict[str, Any]]:
    """Every case on every catalog, ``seeds`` seeds each: one row per case and catalog."""
    out = []
    for label, (builtin, imported, seconds, gap) in CASES.items():
        for catalog in catalogs:
            options = {**PLAN_BASE, **(builtin if catalog == "builtin" else imported)}
            runs = [run_case({**options, "seed": seed}, catalog) for seed in range(seeds)]
            out.append(summary(label, catalog, runs, seconds, gap))
    return out


def summary(
    label: str, catalog: str, runs: list[dict[str, Any]], seconds: float, gap: float | None
) -> dict[str, Any]:
    times = [r["seconds"] for r in runs if "seconds" in r]
    statuses = sorted(
        {
            r["status"]
            if r["status"] in ("OPTIMAL", "ERROR", "CRASH")
            else f"{r['status']} (gap {r['gap']:.1%})"
            for r in runs
        }
    )
    if gap is None:
        met = all(r["status"] == "OPTIMAL" for r in runs)
    else:
        met = all(r["status"] in ("OPTIMAL", "FEASIBLE") and r["gap"] <= gap for r in runs)
    met = met and bool(times) and max(times) < seconds
    target = f"OPTIMAL < {seconds:g} s" if gap is None else f"gap <= {gap:.0%} < {seconds:g} s"
    return {
        "case": label,
        "catalog": catalog,
        "median_s": round(median(times), 2) if times else None,
        "max_s": round(max(times), 2) if times else None,
        "peak_mib": round(max(r.get("peak_mib", 0) for r in runs)),
        "status": ", ".join(statuses),
        "cut_by_wall_clock": any(r.get("cut") for r in runs),
        "errors": [r["error"] for r in runs if "error" in r],
        "target": target,
        "verdict": "met" if met else "MISSED",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="seeds per case")
    parser.add_argument("--catalog", choices=["builtin", "imported", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--splits", action="store_true", help="also each built-in split on 3-6 days"
    )
    args = parser.parse_args()
    catalogs = ["builtin", "imported"] if args.catalog == "both" else [args.catalog]
    from common import source_note

    print(f"imported catalog: {source_note()}; figures measured on this machine, as it is")
    found = rows(catalogs, args.seeds) + (split_rows() if args.splits else [])
    if args.json:
        print(json.dumps(found, indent=2))
        return
    print(f"{'case':<46} {'catalog':<9} {'med s':>6} {'max s':>6} {'MiB':>5}  status; target")
    for r in found:
        cut = " (wall clock cut a search)" if r["cut_by_wall_clock"] else ""
        print(
            f"{r['case']:<46} {r['catalog']:<9} {r['median_s']!s:>6} {r['max_s']!s:>6} "
            f"{r['peak_mib']:>5}  {r['status']}{cut}; {r['target']}: {r['verdict']}"
        )
        for error in r["errors"]:
            print(f"    {error}")


if __name__ == "__main__":
    main()
