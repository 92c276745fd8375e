"""The versioned plain-data document of a result, and the wording exporters share.

JSON is the contract with other programs, so its shape lives here (and in
``routine.schema.json``) rather than inside one exporter; the text card and the calendar
entry reuse the small wording helpers below so every format describes a routine alike.
A result is a single ``Routine`` (document kind ``routine``) or a weekly ``Plan`` (kind
``plan``, whose sessions each hold the same ``routine`` object).
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib import metadata, resources
from typing import Any

from routinegen.output.prescription import block_times, proof_scope
from routinegen.output.wording import plain_number as _number
from routinegen.results import (
    EffectiveRequest,
    Plan,
    PlannedSession,
    Proof,
    Routine,
    RoutineItem,
    SolverInfo,
)

# 1.1: the plan kind was added; routine documents keep the shape they had in 1.0.
# 2.0 (issue 13): a routine has warm-up, main and cool-down blocks and a format; an item its
# block, pattern, dose kind, sets, rest, effort and load; timed work is ``work_seconds``, no
# longer ``hold_seconds``; the request echoes the goal and the avoided tags; the solver
# object states what was proven.
# 2.1 (issue 14): a plan's weekly volume table, its double progression and deload weeks, an
# exercise's progression note; the plan request's progression is the load raise.
SCHEMA_VERSION = "2.1"
SCHEMA_RESOURCE = "routine.schema.json"
PROJECT = "routinegen"


def generator_version() -> str:
    """The installed routinegen version, so a document says which code produced it."""
    try:
        return metadata.version(PROJECT)
    except metadata.PackageNotFoundError:  # running from a source tree without metadata
        return "0+unknown"


def load_schema() -> dict[str, Any]:
    """The shipped JSON Schema; read as package data so it works from any install."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# The one amount key of each dose kind: a consumer reads the dose and knows which key is there.
AMOUNT_KEYS = {"reps": "reps", "hold": "hold_seconds", "timed": "work_seconds"}
BLOCKS = ("warmup", "main", "cooldown")


def _fraction(value: float) -> int | float:
    """A fractional count (hard sets, shares) to two decimals, so the bytes do not depend on
    how the sum was added up."""
    return _number(round(float(value), 2))


def _item(item: RoutineItem) -> dict[str, Any]:
    """One exercise: exactly one amount key, the one its dose kind names, so consumers need no
    guessing (``reps``; ``hold_seconds`` for an isometric hold; ``work_seconds`` for timed
    work)."""
    if (item.reps is None) == (item.work_seconds is None):
        raise ValueError(f"exercise {item.id!r} must have exactly one of reps or work seconds")
    if item.dose not in AMOUNT_KEYS:
        raise ValueError(f"exercise {item.id!r} has an unknown dose kind {item.dose!r}")
    if (item.dose == "reps") != (item.reps is not None):
        raise ValueError(
            f"exercise {item.id!r}: a {item.dose} dose needs exactly one of reps or work seconds"
        )
    low_high = item.reps_in_reserve
    doc: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "equipment": item.equipment,
        "block": item.block,
        "pattern": item.pattern,
        "mechanic": item.mechanic,
        "loaded": item.loaded,
        "dose": item.dose,
        "sets": item.sets,
        AMOUNT_KEYS[item.dose]: item.reps if item.reps is not None else item.work_seconds,
        "per_side": item.per_side,
        "switch_seconds": item.switch_seconds,
        "seconds": item.seconds,
        "rest_seconds": item.rest_seconds,
        "reps_in_reserve": None if low_high is None else {"min": low_high[0], "max": low_high[1]},
        "load_cue": item.load_cue,
        **({"progression": item.progression} if item.progression else {}),
        "muscles": {
            "primary": list(item.primary),
            "secondary": list(item.secondary),
            "shares": {muscle: _fraction(share) for muscle, share in item.shares},
        },
        "cues": list(item.cues),
    }
    return doc


def _iso(moment: datetime, what: str) -> str:
    """A timezone-aware moment as ISO 8601 with its UTC offset."""
    if moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.isoformat()


def _request(req: EffectiveRequest) -> dict[str, Any]:
    """The request fields every document kind has, in a fixed order."""
    return {
        "minutes": _number(req.minutes),
        "equipment": list(req.equipment),
        "focus": req.focus_label,
        "focus_muscles": list(req.focus),
        "level": req.level,
        "seed": req.seed,
        "catalog": req.catalog,
        "start": None if req.start is None else _iso(req.start, "the request's start time"),
        "tz": req.tz,
        "goal": req.goal,
        "avoid": list(req.avoid),
        "warmup": req.warmup,
        "cooldown": req.cooldown,
    }


def routine_body(routine: Routine) -> dict[str, Any]:
    """The ``routine`` object: a routine document's, and each plan session's.

    The blocks come in session order, each with its seconds and exercises (an empty list when
    the block is off or was not made); ``rounds`` and the rests describe the main block."""
    seconds = block_times(routine)
    exercises = {"warmup": routine.warmup, "main": routine.items, "cooldown": routine.cooldown}
    interval = routine.interval
    return {
        "format": routine.format,
        "budget_seconds": routine.budget_seconds,
        "total_seconds": routine.total_seconds,
        "rounds": routine.rounds,
        "rest_seconds": routine.rest_seconds,
        "round_rest_seconds": routine.round_rest_seconds,
        "interval": None
        if interval is None
        else {"work_seconds": interval[0], "rest_seconds": interval[1]},
        "blocks": {
            block: {
                "seconds": seconds[block],
                "exercises": [_item(item) for item in exercises[block]],
            }
            for block in BLOCKS
        },
        "coverage": dict(routine.coverage),
        "hard_sets": {muscle: _fraction(n) for muscle, n in routine.hard_sets.items()},
    }


def _proof(proof: Proof | None) -> dict[str, Any] | None:
    """What was proven, in the objective's own unit; None when the result carries no proof."""
    if proof is None:
        return None
    return {
        "objective": proof.objective,
        "unit": proof.unit,
        "best": _fraction(proof.best),
        "value": _fraction(proof.value),
        "tolerance": _fraction(proof.tolerance),
        "proven": proof.proven,
        "patterns_covered": list(proof.patterns_covered),
        "patterns_missing": list(proof.patterns_missing),
    }


def _solver(info: SolverInfo, reproducible: bool, routine: Routine | None) -> dict[str, Any]:
    """How the result was found and what was proven; no wall time when the output must be
    reproducible. ``routine``: the routine whose proof it states (None for a plan)."""
    proof = None if routine is None else routine.proof
    return {
        "status": info.status,
        "wall_seconds": None if reproducible else round(info.wall_seconds, 3),
        "objective": info.objective,
        "bound": info.bound,
        "proof": _proof(proof),
        "proof_scope": (proof_scope(routine) or None) if routine is not None else None,
    }


def _head(kind: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": PROJECT, "version": generator_version()},
        "kind": kind,
    }


def to_document(result: Routine | Plan, *, reproducible: bool = False) -> dict[str, Any]:
    """The result as JSON-ready plain data, in the shape of ``routine.schema.json``.

    Keys keep a fixed order, and ``reproducible`` drops the wall time (an exporter passes
    its ``RenderContext.reproducible``), so the same request and seed serialise to the same
    bytes.
    """
    if isinstance(result, Plan):
        return _plan_document(result, reproducible)
    return {
        **_head("routine"),
        "request": _request(result.request),
        "routine": routine_body(result),
        "solver": _solver(result.solver, reproducible, result),
    }


def _session(session: PlannedSession) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "start": _iso(session.start, "a session's start time"),
        "week": session.week,
        "focus": session.focus_label,
        "routine": routine_body(session.routine),
        "proof": _proof(session.routine.proof),
    }


def _plan_document(plan: Plan, reproducible: bool) -> dict[str, Any]:
    rules = plan.rules
    low, high = rules.progression
    return {
        **_head("plan"),
        "request": {
            **_request(plan.request),
            "days": list(rules.days),
            "weeks": rules.weeks,
            "split": rules.split,
            "recovery_hours": rules.recovery_hours,
            "max_repeats": rules.max_repeats,
            "progression": {"min": _number(low), "max": _number(high)},
            "deload": rules.deload,
            "volume": {m: {"min": lo, "max": hi} for m, lo, hi in rules.volume},
        },
        "plan": {
            "weeks": rules.weeks,
            "deload_weeks": list(rules.deload_weeks),
            "weekly_work_seconds": list(plan.weekly_work_seconds),
            "weekly_coverage": [dict(week) for week in plan.weekly_coverage],
            "weekly_volume": [
                [
                    {
                        "muscle": row.muscle,
                        "sets": _number(row.sets),
                        "target": {"min": row.target[0], "max": row.target[1]},
                        "status": row.status,
                    }
                    for row in plan.volume_rows(week)
                ]
                for week in range(1, len(plan.weekly_volume) + 1)
            ],
            "progression": [
                {
                    "session": p.session,
                    "exercise": p.exercise_id,
                    "name": p.name,
                    "weeks": [{"week": week, "dose": dose} for week, dose in p.weeks],
                }
                for p in plan.progression
            ],
        },
        "sessions": [_session(session) for session in plan.sessions],
        "solver": _solver(plan.solver, reproducible, None),
    }
