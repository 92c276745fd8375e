"""Hand-made results for the exporter tests: a routine and a two-week plan whose every value
is known, so an exporter's output can be checked against them without solving."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

from routinegen.results import (
    EffectiveRequest,
    Plan,
    PlannedSession,
    PlanRules,
    Routine,
    RoutineItem,
    SolverInfo,
)

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def make_routine() -> Routine:
    """Three items: a rep move, a unilateral rep move and a hold; proven optimal."""
    request = EffectiveRequest(
        minutes=15,
        equipment=("kettlebell",),
        focus=("lats", "rhomboids", "traps", "erectors"),
        focus_label="back",
        level="beginner",
        seed=7,
        catalog="back",
        start=datetime(2026, 5, 11, 7, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        tz="Europe/Berlin",
    )
    items = (
        RoutineItem(
            id="deadlift",
            name="Deadlift",
            equipment="kettlebell",
            reps=20,
            work_seconds=None,
            per_side=False,
            seconds=70,
            primary=("erectors",),
            secondary=("lats", "traps"),
        ),
        RoutineItem(
            id="single-arm-row",
            name="Single-Arm Row",
            equipment="kettlebell",
            reps=10,
            work_seconds=None,
            per_side=True,
            seconds=80,
            primary=("lats", "rhomboids"),
            secondary=(),
        ),
        RoutineItem(
            id="hip-bridge-hold",
            name="Hip Bridge Hold",
            equipment="none",
            reps=None,
            work_seconds=30,
            dose="hold",
            per_side=False,
            seconds=35,
            primary=("erectors",),
            secondary=(),
        ),
    )
    return Routine(
        request=request,
        items=items,
        rounds=3,
        rest_seconds=15,
        round_rest_seconds=60,
        budget_seconds=900,
        total_seconds=855,
        coverage={"lats": 450, "rhomboids": 240, "traps": 210, "erectors": 315},
        muscle_names={
            "lats": "Latissimus Dorsi",
            "rhomboids": "Rhomboids",
            "traps": "Trapezius",
            "erectors": "Erector Spinae",
        },
        solver=SolverInfo("OPTIMAL", 1.23456, 4200),
    )


BERLIN = ZoneInfo("Europe/Berlin")
UPPER = ("lats", "rhomboids", "traps")
LOWER = ("erectors",)


def _at_seven(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN)


def _session(base: Routine, day: date, week: int, label: str, minutes: int) -> PlannedSession:
    """A session of the plan: ``base`` with that day's start, focus and budget."""
    focus = UPPER if label == "upper" else LOWER
    request = dataclasses.replace(
        base.request, start=_at_seven(day), focus=focus, focus_label=label, minutes=minutes
    )
    routine = dataclasses.replace(
        base,
        request=request,
        budget_seconds=minutes * 60,
        coverage={m: base.coverage.get(m, 0) for m in focus},
    )
    return PlannedSession(day, _at_seven(day), week, label, routine)


def make_plan() -> Plan:
    """Fri 23 Oct (CEST), Mon 26 Oct (CET) and Fri 30 Oct 2026, all at 07:00 in Berlin.

    The upper sessions have the unilateral Single-Arm Row and are the same workout; the
    lower one is a deadlift and a hold, twice through.
    """
    base = make_routine()
    upper = dataclasses.replace(base, total_seconds=855)
    lower = dataclasses.replace(
        base,
        items=(base.items[0], base.items[2]),
        rounds=2,
        total_seconds=2 * (70 + 15 + 35) + 60,
    )
    sessions = (
        _session(upper, date(2026, 10, 23), 1, "upper", 20),
        _session(lower, date(2026, 10, 26), 1, "lower", 15),
        _session(upper, date(2026, 10, 30), 2, "upper", 20),
    )
    request = dataclasses.replace(
        base.request,
        start=sessions[0].start,
        focus=UPPER + LOWER,
        focus_label="back",
    )
    return Plan(
        request=request,
        rules=PlanRules(
            days=("mon", "fri=20"),
            weeks=2,
            split="upper-lower",
            recovery_hours=48,
            max_repeats=2,
            progression=(0.05, 0.1),
            deload=False,
        ),
        sessions=sessions,
        weekly_work_seconds=(1200, 700),
        weekly_coverage=(
            {"lats": 450, "erectors": 420, "rhomboids": 240, "traps": 210},
            {"lats": 450, "rhomboids": 240, "traps": 210},
        ),
        muscle_names=dict(base.muscle_names),
        solver=SolverInfo("OPTIMAL", 2.5, 9000),
    )
