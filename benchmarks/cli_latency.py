"""CLI latency: `routinegen make` end to end against the bare OR-Tools import, side by side.

Run: python benchmarks/cli_latency.py [--runs N]
Both commands run alternately in fresh interpreters on the same machine; the medians and
their ratio are printed (the target is make <= 1.2 x the import). ``routinegen`` is the
console script installed beside this Python, as a user runs it (``python -m routinegen``
when there is none). The warm-up run fills the parsed-catalog cache, as any earlier command
would; ``ROUTINEGEN_NO_CACHE=1`` measures without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _routinegen() -> list[str]:
    """The console script a user types, installed beside this Python; else ``-m``."""
    script = Path(sys.executable).with_name("routinegen.exe" if os.name == "nt" else "routinegen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "routinegen"]


IMPORT = [sys.executable, "-c", "from ortools.sat.python import cp_model"]
MAKE = [*_routinegen(), "make", "--minutes", "15", "--equipment", "kettlebell"]
HELP = [*_routinegen(), "--help"]


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    for command in (IMPORT, MAKE, HELP):  # warm the file cache
        wall(command)
    times: dict[str, list[float]] = {"import": [], "make": [], "help": []}
    for _ in range(runs):
        times["import"].append(wall(IMPORT))
        times["make"].append(wall(MAKE))
        times["help"].append(wall(HELP))
    median = {name: statistics.median(values) for name, values in times.items()}
    rows = [
        ('python -c "from ortools.sat.python import cp_model"', median["import"]),
        ("routinegen make --minutes 15 --equipment kettlebell", median["make"]),
        ("routinegen --help", median["help"]),
    ]
    print(f"{'command':<52} {'median s':>9}")
    for label, seconds in rows:
        print(f"{label:<52} {seconds:>9.3f}")
    print(
        f"ratio make / import: {median['make'] / median['import']:.2f} (target <= 1.20), "
        f"{runs} runs each"
    )


if __name__ == "__main__":
    main()
