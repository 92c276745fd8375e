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
    Progress,
    Proof,
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
            volume=(("lats", 10, 20), ("erectors", 4, 8)),
        ),
        sessions=sessions,
        weekly_work_seconds=(1200, 700),
        weekly_coverage=(
            {"lats": 450, "erectors": 420, "rhomboids": 240, "traps": 210},
            {"lats": 450, "rhomboids": 240, "traps": 210},
        ),
        muscle_names=dict(base.muscle_names),
        solver=SolverInfo("OPTIMAL", 2.5, 9000),
        weekly_volume=({"lats": 12.5, "erectors": 9.0}, {"lats": 6.0, "erectors": 0.0}),
        progression=(Progress("Fri upper", "ex1", "Exercise one", ((1, "3 x 8"), (2, "3 x 10"))),),
    )


# --- coaching results (issue 13): blocks, straight sets, timed work, holds, proofs ----------


def _move(item_id: str, name: str, block: str, **fields: object) -> RoutineItem:
    """A warm-up or cool-down move: one bodyweight set, no rest."""
    base: dict[str, object] = {
        "equipment": "none",
        "reps": None,
        "work_seconds": None,
        "per_side": False,
        "seconds": 30,
        "primary": (),
        "secondary": (),
        "block": block,
        "mechanic": "compound",
    }
    base.update(fields)
    return RoutineItem(item_id, name, **base)  # type: ignore[arg-type]


def coached_items() -> tuple[
    tuple[RoutineItem, ...], tuple[RoutineItem, ...], tuple[RoutineItem, ...]
]:
    """A warm-up (timed and reps), straight-sets main lifts (a unilateral row with a switch
    pause and a plank hold among them) and a cool-down stretch held a side."""
    warmup = (
        _move(
            "jumping_jack",
            "Jumping Jack",
            "warmup",
            work_seconds=60,
            dose="timed",
            pattern="conditioning",
            seconds=60,
        ),
        _move(
            "hip_hinge_drill",
            "Hip Hinge Drill",
            "warmup",
            reps=10,
            pattern="hinge",
            seconds=40,
            cues=("hips back", "long spine"),
        ),
        _move("cat_cow", "Cat-Cow", "warmup", reps=8, pattern="mobility", seconds=40),
    )
    main = (
        RoutineItem(
            id="back_squat",
            name="Back Squat",
            equipment="barbell+squat_rack",
            reps=5,
            work_seconds=None,
            per_side=False,
            seconds=30,
            primary=("quads", "glutes"),
            secondary=("erectors",),
            pattern="squat",
            mechanic="compound",
            loaded=True,
            sets=4,
            rest_seconds=180,
            reps_in_reserve=(2, 3),
            load_cue="a weight you could lift about 8 times",
            shares=(("quads", 1.0), ("glutes", 1.0), ("erectors", 0.5)),
            cues=("brace before you descend", "knees over toes"),
        ),
        RoutineItem(
            id="romanian_deadlift",
            name="Romanian Deadlift",
            equipment="barbell",
            reps=6,
            work_seconds=None,
            per_side=False,
            seconds=35,
            primary=("hamstrings", "glutes"),
            secondary=("erectors", "lats"),
            pattern="hinge",
            mechanic="compound",
            loaded=True,
            sets=3,
            rest_seconds=150,
            reps_in_reserve=(2, 3),
            load_cue="a weight you could lift about 9 times",
            shares=(("hamstrings", 1.0), ("glutes", 1.0), ("erectors", 0.5), ("lats", 0.5)),
        ),
        RoutineItem(
            id="single_arm_dumbbell_row",
            name="Single-Arm Dumbbell Row",
            equipment="dumbbell+bench",
            reps=8,
            work_seconds=None,
            per_side=True,
            seconds=55,
            primary=("lats",),
            secondary=("rhomboids",),
            pattern="horizontal_pull",
            mechanic="compound",
            loaded=True,
            sets=3,
            rest_seconds=90,
            reps_in_reserve=(1, 2),
            load_cue="a weight you could lift about 10 times",
            switch_seconds=5,
            shares=(("lats", 1.0), ("rhomboids", 0.5)),
        ),
        RoutineItem(
            id="plank",
            name="Plank",
            equipment="none",
            reps=None,
            work_seconds=40,
            per_side=False,
            seconds=45,
            primary=("abs",),
            secondary=(),
            dose="hold",
            pattern="anti_extension",
            mechanic="isolation",
            sets=2,
            rest_seconds=60,
            shares=(("abs", 1.0),),
            cues=("squeeze the glutes",),
        ),
    )
    cooldown = (
        _move(
            "hamstring_stretch",
            "Hamstring Stretch",
            "cooldown",
            work_seconds=30,
            dose="hold",
            per_side=True,
            switch_seconds=5,
            pattern="mobility",
            seconds=65,
        ),
        _move("easy_walk", "Easy Walk", "cooldown", work_seconds=60, dose="timed", seconds=60),
    )
    return warmup, main, cooldown


def make_coached_routine() -> Routine:
    """A 45-minute strength session in straight sets, with a warm-up and a cool-down, avoided
    tags and a proof that a seed chose half a hard set below the proven best."""
    warmup, main, cooldown = coached_items()
    request = EffectiveRequest(
        minutes=45,
        equipment=("barbell", "squat_rack", "bench", "dumbbell"),
        focus=("quads", "glutes", "hamstrings", "lats", "abs"),
        focus_label="full-body",
        level="intermediate",
        seed=3,
        catalog="builtin",
        start=datetime(2026, 5, 12, 18, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        tz="Europe/Berlin",
        goal="strength",
        avoid=("spinal_flexion", "impact"),
    )
    return Routine(
        request=request,
        items=main,
        rounds=1,
        rest_seconds=120,
        round_rest_seconds=0,
        budget_seconds=2700,
        total_seconds=2185,
        coverage={"quads": 120, "glutes": 225, "hamstrings": 105, "lats": 270, "abs": 80},
        muscle_names={
            "quads": "Quadriceps",
            "glutes": "Glutes",
            "hamstrings": "Hamstrings",
            "lats": "Latissimus Dorsi",
            "abs": "Abdominals",
            "erectors": "Erector Spinae",
            "rhomboids": "Rhomboids",
        },
        solver=SolverInfo("OPTIMAL", 0.42, 35, 35),
        format="straight_sets",
        warmup=warmup,
        cooldown=cooldown,
        hard_sets={"quads": 4.0, "glutes": 7.0, "hamstrings": 3.0, "lats": 4.5, "abs": 2.0},
        proof=Proof(
            objective="the hard sets of the least-trained focus muscle",
            unit="hard sets",
            best=2.5,
            value=2.0,
            tolerance=0.5,
            proven=True,
            patterns_covered=("squat", "hinge", "pull", "core"),
            patterns_missing=("push: no push fits the time left",),
        ),
    )


def make_interval_routine() -> Routine:
    """A 10-minute conditioning session: 40 s on, 20 s off through timed moves, 3 rounds,
    no warm-up or cool-down asked for, not proven optimal."""

    def timed(item_id: str, name: str, muscle: str, pattern: str) -> RoutineItem:
        return RoutineItem(
            id=item_id,
            name=name,
            equipment="none",
            reps=None,
            work_seconds=40,
            per_side=False,
            seconds=40,
            primary=(muscle,),
            secondary=(),
            dose="timed",
            pattern=pattern,
            sets=3,
            rest_seconds=20,
            shares=((muscle, 1.0),),
        )

    items = (
        timed("burpee", "Burpee", "quads", "conditioning"),
        timed("mountain_climber", "Mountain Climber", "abs", "core"),
        timed("jumping_jack", "Jumping Jack", "calves", "conditioning"),
    )
    request = EffectiveRequest(
        minutes=10,
        equipment=(),
        focus=(),
        focus_label="",
        level="beginner",
        seed=1,
        catalog="builtin",
        goal="conditioning",
        warmup=False,
        cooldown=False,
    )
    return Routine(
        request=request,
        items=items,
        rounds=3,
        rest_seconds=20,
        round_rest_seconds=60,
        budget_seconds=600,
        total_seconds=600,
        coverage={"quads": 120, "abs": 120, "calves": 120},
        solver=SolverInfo("FEASIBLE", 2.0, 9, 10),
        format="intervals",
        interval=(40, 20),
        proof=Proof(
            "the conditioning work of the least-worked muscle", "minutes", 2.5, 2.0, 0.0, False
        ),
    )


def make_coached_plan() -> Plan:
    """``make_plan`` whose first session is the coached routine (blocks and all)."""
    plan = make_plan()
    first = plan.sessions[0]
    coached = make_coached_routine()
    routine = dataclasses.replace(
        coached, request=dataclasses.replace(coached.request, start=first.start)
    )
    sessions = (dataclasses.replace(first, routine=routine), *plan.sessions[1:])
    return dataclasses.replace(plan, sessions=sessions)
