"""Batch throughput: N people (routines and weekly plans) sequentially, on the local process
pool with 2 workers, and on a 2-worker Dask LocalCluster; people per second and speed-ups.

Run: python benchmarks/batch_throughput.py [--people 1000] [--workers 2] [--no-dask]
Each mode runs the whole batch (validation, solving, rendering json and ical, atomic
writes, summary) into a fresh folder, pool or cluster start-up included. The outputs of
every mode are checked to be byte-identical (SOURCE_DATE_EPOCH is set). The target is a
speed-up of at least 1.7 for the 2-worker pool on a 2-core machine. The "others" column is
the cores other programs kept busy meanwhile (from /proc): figures taken while it is well
above 0 are disturbed, so run again.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import yaml

from routinegen import batch as core
from routinegen.exporter import RenderContext
from routinegen.registry import load_registry
from routinegen.request.people import read_people

EQUIPMENT = [["none"], ["kettlebell"], ["dumbbell"], ["kettlebell", "dumbbell"]]
others: dict[str, float] = {}  # cores that other programs used while each mode ran
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_by_process() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far), read from /proc; empty where there is none."""
    table: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        table[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return table


def foreign_cpu(before: dict[int, tuple[int, float]], after: dict[int, tuple[int, float]]) -> float:
    """CPU seconds that processes outside this benchmark's tree used in between (a lower
    bound: processes that started and ended in between are not seen)."""
    ours = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, (parent, _) in after.items():
            if parent in ours and pid not in ours:
                ours.add(pid)
                grew = True
    return sum(
        cpu - (before[pid][1] if pid in before else 0.0)
        for pid, (_, cpu) in after.items()
        if pid not in ours
    )


def people(count: int, seed: int = 1) -> dict[str, Any]:
    """A people file: 3 routines for each 2-day weekly plan, varied limits and seeds; all
    solved to proven optimality well within the time limit, so every mode gives the same
    bytes (a time-limited answer would depend on the machine's load)."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for n in range(count):
        row: dict[str, Any] = {
            "id": f"person-{n:05d}",
            "seed": rng.randrange(1000),
            "equipment": rng.choice(EQUIPMENT),
        }
        if n % 4 == 3:
            row.update(kind="plan", days=rng.choice(["tue,thu", "mon,thu", "wed,sat"]))
            row["minutes"] = rng.choice([10, 15])
        else:
            row["minutes"] = rng.choice([8, 10, 12, 15])
        rows.append(row)
    return {"defaults": {"catalog": "full-body", "start": "2026-11-30"}, "people": rows}


def run(
    path: Path, out: Path, factory: Callable[[], Executor], window: int, label: str
) -> tuple[float, dict[str, Any]]:
    """One whole batch; returns the wall time and the summary."""
    registry = load_registry()
    formats = [
        core.Format(
            name,
            registry.exporter(name).extension,
            registry.exporter(name).default_options().as_dict(),
            registry.describe(registry.owner(name)),
        )
        for name in ("json", "ical")
    ]
    before = cpu_by_process()
    started = time.perf_counter()
    context = RenderContext.now()
    jobs, invalid = core.prepare(read_people(path), formats, registry, context)
    with core.BatchRun(out, jobs, invalid, formats, executor=label) as batch:
        for _ in batch.outcomes(factory, window=window, force=True):
            pass
        summary = batch.finish()
    wall = time.perf_counter() - started
    others[label] = foreign_cpu(before, cpu_by_process()) / wall  # other work skews figures
    return wall, summary


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".json", ".ics")} | {
        "summary.json": b""
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # byte-identical outputs to compare
    os.environ.setdefault("ROUTINEGEN_LOAD_PLUGINS", "")  # the built-in exporters only
    workers = args.workers
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "people.yaml"
        path.write_text(yaml.safe_dump(people(args.people)), encoding="utf-8")
        modes: list[tuple[str, Callable[[], Any]]] = [
            ("sequential (in-process loop)", lambda: (core.InlineExecutor, 1)),
            (
                f"process pool, {workers} workers",
                lambda: (lambda: core.process_pool(workers), 4 * workers),
            ),
        ]
        results: dict[str, tuple[float, dict[str, Any]]] = {}
        outputs: dict[str, dict[str, bytes]] = {}
        for n, (label, make) in enumerate(modes):
            factory, window = make()
            out = root / f"out{n}"
            results[label] = run(path, out, factory, window, label)
            outputs[label] = files(out)
        if not args.no_dask:
            from distributed import Client, LocalCluster

            label = f"Dask LocalCluster, {workers} workers"
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                ) as cluster,
                Client(cluster) as client,
            ):
                out = root / "dask"
                results[label] = run(
                    path,
                    out,
                    lambda: client.get_executor(pure=False),
                    core.dask_window(client),
                    label,
                )
                outputs[label] = files(out)

    base = next(iter(results.values()))[0]
    first = next(iter(outputs.values()))
    print(f"{args.people} people ({os.cpu_count()} cores), json + ical each")
    print(f"{'mode':<34} {'wall s':>8} {'people/s':>9} {'speed-up':>9}  ok/failed  others")
    for label, (seconds, summary) in results.items():
        counts = summary["counts"]
        differ = sum(outputs[label].get(name) != data for name, data in first.items())
        same = f"  {differ} files differ (time-limited solves?)" if differ else ""
        print(
            f"{label:<34} {seconds:>8.1f} {args.people / seconds:>9.1f} {base / seconds:>8.2f}x"
            f"  {counts['ok']}/{counts['failed']}  {others[label]:>10.2f}{same}"
        )


if __name__ == "__main__":
    main()
