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

from routinegen.output.wording import plain_number as _number
from routinegen.results import (
    EffectiveRequest,
    Plan,
    PlannedSession,
    Routine,
    RoutineItem,
    SolverInfo,
)

# 1.1: the plan kind was added; routine documents keep the shape they had in 1.0.
SCHEMA_VERSION = "1.1"
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


def _item(item: RoutineItem) -> dict[str, Any]:
    """One exercise: exactly one of ``reps`` / ``hold_seconds`` so consumers need no guessing."""
    if (item.reps is None) == (item.work_seconds is None):
        raise ValueError(f"exercise {item.id!r} must have exactly one of reps or work seconds")
    doc: dict[str, Any] = {"id": item.id, "name": item.name, "equipment": item.equipment}
    if item.reps is not None:
        doc["reps"] = item.reps
    else:
        doc["hold_seconds"] = item.work_seconds
    doc["per_side"] = item.per_side
    doc["seconds"] = item.seconds
    doc["muscles"] = {"primary": list(item.primary), "secondary": list(item.secondary)}
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
    }


def routine_body(routine: Routine) -> dict[str, Any]:
    """The ``routine`` object: a routine document's, and each plan session's."""
    return {
        "budget_seconds": routine.budget_seconds,
        "total_seconds": routine.total_seconds,
        "rounds": routine.rounds,
        "rest_seconds": routine.rest_seconds,
        "round_rest_seconds": routine.round_rest_seconds,
        "exercises": [_item(item) for item in routine.items],
        "coverage": dict(routine.coverage),
    }


def _solver(info: SolverInfo, reproducible: bool) -> dict[str, Any]:
    """How the result was found; no wall time when the output must be reproducible."""
    return {
        "status": info.status,
        "wall_seconds": None if reproducible else round(info.wall_seconds, 3),
        "objective": info.objective,
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
        "solver": _solver(result.solver, reproducible),
    }


def _session(session: PlannedSession) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "start": _iso(session.start, "a session's start time"),
        "week": session.week,
        "focus": session.focus_label,
        "routine": routine_body(session.routine),
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
        },
        "plan": {
            "weeks": rules.weeks,
            "weekly_work_seconds": list(plan.weekly_work_seconds),
            "weekly_coverage": [dict(week) for week in plan.weekly_coverage],
        },
        "sessions": [_session(session) for session in plan.sessions],
        "solver": _solver(plan.solver, reproducible),
    }
