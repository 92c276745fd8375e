"""The versioned plain-data document of a result, and the wording exporters share.

JSON is the contract with other programs, so its shape lives here (and in
``routine.schema.json``) rather than inside one exporter; the text card and the calendar
entry reuse the small wording helpers below so every format describes a routine alike.
"""

from __future__ import annotations

import json
import os
from importlib import metadata, resources
from typing import Any

from routinegen.routine import Routine, RoutineItem

SCHEMA_VERSION = "1.0"
SCHEMA_RESOURCE = "routine.schema.json"
PROJECT = "routinegen"


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, or None: the reproducible-builds switch we honour."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValueError(
            f"SOURCE_DATE_EPOCH must be an integer number of seconds, got {raw!r}"
        ) from None


def reproducible() -> bool:
    """True when output must not depend on the clock (``SOURCE_DATE_EPOCH`` is set)."""
    return bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


def generator_version() -> str:
    """The installed routinegen version, so a document says which code produced it."""
    try:
        return metadata.version(PROJECT)
    except metadata.PackageNotFoundError:  # running from a source tree without metadata
        return "0+unknown"


def load_schema() -> dict[str, Any]:
    """The shipped JSON Schema; read as package data so it works from any install."""
    text = resources.files(PROJECT).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _number(value: float) -> int | float:
    """Whole numbers as ints, so 15 minutes reads ``15`` and not ``15.0``."""
    return int(value) if float(value).is_integer() else value


def _item(item: RoutineItem) -> dict[str, Any]:
    """One exercise: exactly one of ``reps`` / ``hold_seconds`` so consumers need no guessing."""
    if (item.reps is None) == (item.hold_seconds is None):
        raise ValueError(f"exercise {item.id!r} must have exactly one of reps or hold_seconds")
    doc: dict[str, Any] = {"id": item.id, "name": item.name, "equipment": item.equipment}
    if item.reps is not None:
        doc["reps"] = item.reps
    else:
        doc["hold_seconds"] = item.hold_seconds
    doc["per_side"] = item.per_side
    doc["seconds"] = item.seconds
    doc["muscles"] = {"primary": list(item.primary), "secondary": list(item.secondary)}
    return doc


def to_document(routine: Routine) -> dict[str, Any]:
    """The routine as JSON-ready plain data, in the shape of ``routine.schema.json``.

    Keys keep a fixed order and the wall time is dropped under ``SOURCE_DATE_EPOCH``, so
    the same request and seed serialise to the same bytes.
    """
    req = routine.request
    start = None
    if req.start is not None:
        if req.start.utcoffset() is None:
            raise ValueError("the request's start time must be timezone-aware")
        start = req.start.isoformat()
    wall = None if reproducible() else round(routine.solver.wall_seconds, 3)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": PROJECT, "version": generator_version()},
        "kind": "routine",
        "request": {
            "minutes": _number(req.minutes),
            "equipment": list(req.equipment),
            "focus": req.focus_label,
            "focus_muscles": list(req.focus),
            "level": req.level,
            "seed": req.seed,
            "catalog": req.catalog,
            "start": start,
            "tz": req.tz,
        },
        "routine": {
            "budget_seconds": routine.budget_seconds,
            "total_seconds": routine.total_seconds,
            "rounds": routine.rounds,
            "rest_seconds": routine.rest_seconds,
            "round_rest_seconds": routine.round_rest_seconds,
            "exercises": [_item(item) for item in routine.items],
            "coverage": dict(routine.coverage),
        },
        "solver": {
            "status": routine.solver.status,
            "wall_seconds": wall,
            "objective": routine.solver.objective,
        },
    }


# Wording shared by the human-facing exporters (text card, calendar description).


def clock(seconds: int) -> str:
    """Seconds as ``m:ss``, the way a workout timer shows them."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def title(routine: Routine) -> str:
    """A short name such as ``Back routine (15 min)``, used as heading and event summary."""
    label = routine.request.focus_label.strip()
    name = f"{label[:1].upper()}{label[1:]} routine" if label else "Routine"
    return f"{name} ({_number(routine.request.minutes)} min)"


def plural(count: int, word: str) -> str:
    """``1 round`` / ``3 rounds``: small, but the card reads like a person wrote it."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def exercise_lines(item: RoutineItem) -> list[str]:
    """How to do one exercise: one line, or a right and a left line for a unilateral move."""
    amount = plural(item.reps, "rep") if item.reps is not None else f"{item.hold_seconds} s hold"
    gear = "" if item.equipment == "none" else f" ({item.equipment.replace('+', ' + ')})"
    if not item.per_side:
        return [f"{item.name} — {amount}{gear}"]
    return [f"{item.name}, {side} — {amount}{gear}" for side in ("right", "left")]


def rounds_line(routine: Routine) -> str:
    """Rounds and rests in one sentence; the rest between rounds only when there are several."""
    line = f"{plural(routine.rounds, 'round')}, rest {routine.rest_seconds} s between exercises"
    if routine.rounds > 1:
        line += f" and {routine.round_rest_seconds} s between rounds"
    return line + "."
