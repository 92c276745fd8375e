"""A swap request read from a routine's JSON document: the routine's own request with one
exercise of its main block left out and the others kept.

The document is the contract (schema 2.x), so a swap needs nothing but the file that
``make -F json`` wrote; a wrong or foreign document is an error that names the file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routinegen.errors import InputError

MAJOR = "2"  # the document schema this reader understands (any 2.x)


def swap_options(document: Any, position: int, source: str) -> dict[str, Any]:
    """The ``make`` options that replace main exercise ``position`` (1-based) of the
    routine in ``document`` and keep the rest."""
    if not isinstance(document, Mapping) or document.get("kind") != "routine":
        raise InputError(f"{source}: not a routine document (routinegen make -F json writes one)")
    version = str(document.get("schema_version", ""))
    if version.split(".")[0] != MAJOR:
        raise InputError(
            f"{source}: schema version {version or 'none'}; swap reads routine documents "
            f"{MAJOR}.x (make it again with this routinegen)"
        )
    try:
        request = document["request"]
        routine = document["routine"]
        main = [item["id"] for item in routine["blocks"]["main"]["exercises"]]
    except (KeyError, TypeError):
        raise InputError(
            f"{source}: a routine document without its request or main block"
        ) from None
    if not 1 <= position <= len(main):
        listed = ", ".join(f"{n} {i}" for n, i in enumerate(main, 1))
        raise InputError(f"{source}: no exercise {position}; the main block has {listed}")
    gone = main[position - 1]
    straight = routine.get("format") == "straight_sets"
    return {
        "minutes": request.get("minutes"),
        "equipment": list(request.get("equipment") or []),
        "focus": [request.get("focus")] if request.get("focus") else None,
        "level": request.get("level"),
        "goal": request.get("goal"),
        "avoid": list(request.get("avoid") or []),
        "warmup": request.get("warmup"),
        "cooldown": request.get("cooldown"),
        "seed": request.get("seed"),
        "catalog": request.get("catalog"),
        "start": request.get("start"),
        "tz": request.get("tz"),
        "rounds": None if straight else routine.get("rounds"),
        "exercises": len(main),
        "rest": routine.get("rest_seconds"),
        "round_rest": None if straight else routine.get("round_rest_seconds"),
        "exclude": [gone],
        "keep": [i for i in main if i != gone],
    }
