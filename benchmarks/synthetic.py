"""A synthetic catalog of any size: the imported one replicated with varied timings.

Run: python benchmarks/synthetic.py [--size 10000] [-o synthetic.yaml]

Copy n of an exercise keeps its name (with "(v n)"), muscles, equipment, level and rep
range, and draws new timings from what a coach would write: seconds per rep -0.5, +0,
+0.5 or +1 s (at least 1 s), set-up +0, +5 or +10 s, holds 0, 5 or 10 s longer. So a large
catalog has many near-duplicates with different times, as merged real catalogs do.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SPR_DELTAS = (-0.5, 0.0, 0.5, 1.0)
SETUP_DELTAS = (0, 5, 10)
HOLD_DELTAS = (0, 5, 10)


def synthetic_catalog(base: Any, size: int, seed: int = 1) -> Any:
    """``size`` exercises: all of ``base`` first, then copies with varied timings."""
    rng = random.Random(seed)
    exercises = list(base.exercises[:size])
    copy = 1
    while len(exercises) < size:
        for e in base.exercises:
            if len(exercises) >= size:
                break
            setup = min(300, e.setup_seconds + rng.choice(SETUP_DELTAS))
            if e.hold is not None:
                extra = rng.choice(HOLD_DELTAS)
                timing: dict[str, Any] = {"hold": (e.hold[0] + extra, e.hold[1] + extra)}
            else:
                timing = {"seconds_per_rep": max(1.0, e.seconds_per_rep + rng.choice(SPR_DELTAS))}
            exercises.append(
                replace(
                    e,
                    id=f"{e.id}_v{copy}",
                    name=f"{e.name} (v{copy})",
                    setup_seconds=setup,
                    **timing,
                )
            )
        copy += 1
    return replace(
        base,
        name=f"synthetic-{size}",
        title=f"{base.title}, replicated to {size} exercises",
        exercises=tuple(exercises),
    )


def catalog_mapping(catalog: Any) -> dict[str, Any]:
    """A Catalog back as the YAML mapping ``load_catalog`` reads."""

    def ways(e: Any) -> list[Any]:
        return [sorted(w)[0] if len(w) == 1 else sorted(w) for w in e.equipment]

    return {
        "format": 1,
        "name": catalog.name,
        "title": catalog.title,
        "muscles": dict(catalog.muscles),
        "equipment": dict(catalog.equipment),
        "groups": {g: list(m) for g, m in catalog.groups.items()},
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "primary": list(e.primary),
                "secondary": list(e.secondary),
                "equipment": ways(e),
                "level": e.level,
                **(
                    {"hold": list(e.hold)}
                    if e.hold
                    else {"reps": list(e.reps), "seconds_per_rep": e.seconds_per_rep}
                ),
                "setup_seconds": e.setup_seconds,
                **({"unilateral": True} if e.unilateral else {}),
            }
            for e in catalog.exercises
        ],
    }


def main() -> None:
    from common import imported_catalog, source_note

    from routinegen.catalog.importers import catalog_yaml
    from routinegen.output.files import write_atomic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="synthetic.yaml")
    args = parser.parse_args()
    base, _ = imported_catalog()
    catalog = synthetic_catalog(base, args.size, args.seed)
    text = catalog_yaml(
        catalog_mapping(catalog),
        [f"Synthetic: {len(base.exercises)} imported exercises replicated to {args.size}."],
    )
    write_atomic(args.output, text.encode("utf-8"))
    print(f"wrote {args.output}: {len(catalog.exercises)} exercises from {source_note()}")


if __name__ == "__main__":
    main()
