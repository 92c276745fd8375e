"""Service load: routine requests over loopback HTTP to a real ``routinegen serve``, from
concurrent clients, on 1 and on 2 solver processes; p50/p95 latency and throughput, beside
the in-process solve time of the same requests at 1 client.

Run: python benchmarks/service.py [--requests 200] [--clients 8]
Targets (issue #15): the p95 of a routine at 1 client at most 1.5 times the in-process solve
time (what HTTP, the pool and storage add), and throughput with 2 workers at least 1.7
times 1 worker. Each server is started fresh and warmed (its workers solve once at start,
and a few requests go first); the requests are the same list in every mode. "others" is
the cores other programs kept busy meanwhile (from /proc): figures taken while it is well
above 0 are disturbed, so run again.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from batch_throughput import cpu_by_process, foreign_cpu

from routinegen.api import make_routine

KITS = (["none"], ["kettlebell"], ["dumbbell"], ["kettlebell", "dumbbell"], ["resistance_band"])
FOCUS = (["back"], ["upper"], ["legs"], ["core"], ["pull"])


def requests(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """Varied small routines, all solved to proven optimality quickly; a draw that cannot
    be met (a short session for a wide focus) is drawn again, so every request is a solve."""
    from routinegen.errors import Infeasible

    rng = random.Random(seed)
    feasible: dict[tuple[int, str, str], bool] = {}
    out: list[dict[str, Any]] = []
    while len(out) < count:
        body = {
            "minutes": rng.choice([10, 12, 15, 20]),
            "equipment": rng.choice(KITS),
            "focus": rng.choice(FOCUS),
            "seed": rng.randrange(1000),
            "start": "2026-12-07T07:00",
        }
        key = (body["minutes"], str(body["equipment"]), str(body["focus"]))
        if key not in feasible:
            try:
                make_routine(**body)
                feasible[key] = True
            except Infeasible:
                feasible[key] = False
        if feasible[key]:
            out.append(body)
    return out


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "routinegen",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--queue",
            "1000",
            "--db",
            str(folder / f"bench-{workers}.sqlite3"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def load(url: str, bodies: list[dict[str, Any]], clients: int) -> tuple[list[float], float]:
    """Every body POSTed once, ``clients`` at a time; latencies and the wall time."""
    local = [httpx.Client(base_url=url, timeout=120) for _ in range(clients)]

    def one(index: int) -> float:
        client = local[index % clients]
        started = time.perf_counter()
        answer = client.post("/v1/routines", json=bodies[index])
        if answer.status_code != 201:
            raise SystemExit(f"request {index}: {answer.status_code} {answer.text[:200]}")
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = list(pool.map(one, range(len(bodies))))
    wall = time.perf_counter() - started
    for client in local:
        client.close()
    return latencies, wall


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def in_process(bodies: list[dict[str, Any]]) -> list[float]:
    """The same solves through the public API, one after another, in this process."""
    make_routine(**bodies[0])  # OR-Tools' import and the catalog parse, not timed
    times = []
    for body in bodies:
        started = time.perf_counter()
        make_routine(**body)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    bodies = requests(args.requests)
    solo = in_process(bodies[:40])
    print(
        f"in-process solve, 1 client: p50 {statistics.median(solo) * 1000:.0f} ms, "
        f"p95 {p95(solo) * 1000:.0f} ms"
    )
    rows: dict[tuple[int, int], tuple[float, float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            process, url = serve(workers, Path(tmp))
            try:
                load(url, bodies[:8], min(args.clients, 8))  # warm every worker
                for clients, share in ((1, bodies[:40]), (args.clients, bodies)):
                    before = cpu_by_process()
                    latencies, wall = load(url, share, clients)
                    others = foreign_cpu(before, cpu_by_process()) / wall
                    rows[workers, clients] = (
                        statistics.median(latencies),
                        p95(latencies),
                        len(share) / wall,
                        others,
                    )
            finally:
                process.terminate()
                process.wait(timeout=30)
    print(f"{'workers':>7} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'others':>6}")
    for (workers, clients), (p50, high, rate, others) in sorted(rows.items()):
        print(
            f"{workers:>7} {clients:>7} {p50 * 1000:>8.0f} {high * 1000:>8.0f} "
            f"{rate:>7.1f} {others:>6.2f}"
        )
    overhead = rows[2, 1][1] / p95(solo)
    speedup = rows[2, args.clients][2] / rows[1, args.clients][2]
    print(f"p95 at 1 client / in-process p95: {overhead:.2f} (target <= 1.5)")
    print(
        f"throughput 2 workers / 1 worker at {args.clients} clients: {speedup:.2f} (target >= 1.7)"
    )


if __name__ == "__main__":
    main()
