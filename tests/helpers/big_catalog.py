"""A large catalog of distinct exercises that preprocessing cannot shrink: for tests that
need a routine search that runs for seconds (Ctrl-C while solving)."""

from __future__ import annotations

import random
from pathlib import Path

MUSCLES = [f"m{n}" for n in range(12)]


def write_big_catalog(path: Path, size: int = 4000, seed: int = 7) -> Path:
    rng = random.Random(seed)
    lines = ["format: 1", "name: big", "title: Big", "muscles:"]
    lines += [f"  {m}: Muscle {m}" for m in MUSCLES]
    lines += ["groups:", f"  all: [{', '.join(MUSCLES)}]", "exercises:"]
    for n in range(size):
        muscles = rng.sample(MUSCLES, rng.randint(2, 6))
        cut = rng.randint(1, min(3, len(muscles) - 1))
        low = rng.randint(5, 15)
        lines += [
            f"  - id: ex{n}",
            f"    name: Exercise {n}",
            f"    primary: [{', '.join(muscles[:cut])}]",
            f"    secondary: [{', '.join(muscles[cut:])}]",
            f"    reps: [{low}, {low + rng.randint(5, 20)}]",
            f"    seconds_per_rep: {rng.choice([1.5, 2, 2.5, 3, 3.5, 4])}",
            f"    setup_seconds: {rng.randint(0, 25)}",
            f"    unilateral: {str(rng.random() < 0.3).lower()}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
