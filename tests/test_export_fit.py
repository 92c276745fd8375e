"""The fit workout, judged by a second decoder: fitdecode (not Garmin's SDK, which writes it)
reads every step back, and the steps, run as a watch runs them, must be the routine."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from helpers.results import (
    make_coached_plan,
    make_coached_routine,
    make_interval_routine,
    make_plan,
    make_routine,
)

from routinegen import make_routine as solve_routine
from routinegen.exporter import OptionError, RenderContext
from routinegen.output.render import RenderError, render
from routinegen.plugins import fit as fit_plugin
from routinegen.results import Routine, RoutineItem

STAMP = datetime(2026, 1, 1, tzinfo=UTC)
CONTEXT = RenderContext(STAMP, reproducible=True)
# Values from the FIT profile (Profile.xlsx) for the names the tests use.
GOBLET_SQUAT, SLIDING_LEG_CURL = 37, 6


def write(result: Any, context: RenderContext = CONTEXT, **options: Any) -> bytes:
    exporter = fit_plugin.EXPORTER
    data = exporter.render(result, exporter.options.build(options, "fit"), context)
    assert isinstance(data, bytes)
    return data


def decode(data: bytes) -> list[list[tuple[str, dict[str, Any]]]]:
    """Each (chained) FIT file's data messages as (name, fields), CRCs checked."""
    files: list[list[tuple[str, dict[str, Any]]]] = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                files.append([])
            elif isinstance(frame, fitdecode.FitDataMessage):
                files[-1].append((frame.name, {f.name: f.value for f in frame.fields}))
    return files


def steps_of(messages: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [fields for name, fields in messages if name == "workout_step"]


def run_like_a_watch(steps: list[dict[str, Any]]) -> list[tuple[str, str, str, float]]:
    """The steps in the order a watch does them: (name, intensity, kind, amount)."""
    done: list[tuple[str, str, str, float]] = []
    repeats: dict[int, int] = {}
    index = 0
    while index < len(steps):
        step = steps[index]
        assert step["message_index"] == index
        if step["duration_type"] == "repeat_until_steps_cmplt":
            repeats[index] = repeats.get(index, 1) + 1
            if repeats[index] <= step["repeat_steps"]:
                index = step["duration_step"]
                continue
        elif step["duration_type"] == "reps":
            done.append((step["wkt_step_name"], step["intensity"], "reps", step["duration_reps"]))
        else:
            assert step["duration_type"] == "time"
            done.append((step["wkt_step_name"], step["intensity"], "time", step["duration_time"]))
        index += 1
    return done


def expected(routine: Routine) -> list[tuple[str, str, str, float]]:
    """The routine as a timeline, from its own fields: the warm-up's moves set by set; each
    round's exercises (a unilateral one right then left, any switch pause between) with rests
    between, the rest between rounds closing a round, or in straight sets each set and the
    rest after it; then the cool-down."""
    timeline: list[tuple[str, str, str, float]] = []

    def one_set(item: RoutineItem, intensity: str) -> None:
        sides = [f"{item.name}, right", f"{item.name}, left"] if item.per_side else [item.name]
        for n, name in enumerate(sides):
            if n and item.switch_seconds:
                timeline.append(("Switch sides", "rest", "time", float(item.switch_seconds)))
            if item.reps is not None:
                timeline.append((name, intensity, "reps", item.reps))
            else:
                timeline.append((name, intensity, "time", float(item.work_seconds or 0)))

    def in_sets(items: tuple[RoutineItem, ...], intensity: str) -> None:
        for item in items:
            for _ in range(item.sets):
                one_set(item, intensity)
                if item.rest_seconds:
                    timeline.append(("Rest", "rest", "time", float(item.rest_seconds)))

    in_sets(routine.warmup, "warmup")
    if routine.format == "straight_sets":
        in_sets(routine.items, "active")
    else:
        for _ in range(routine.rounds):
            for number, item in enumerate(routine.items):
                if number:
                    timeline.append(("Rest", "rest", "time", float(routine.rest_seconds)))
                one_set(item, "active")
            if routine.rounds > 1:
                timeline.append(("Rest between rounds", "rest", "time", routine.round_rest_seconds))
    in_sets(routine.cooldown, "cooldown")
    return timeline


def test_every_step_matches_the_routine() -> None:
    routine = make_routine()
    (messages,) = decode(write(routine))
    assert run_like_a_watch(steps_of(messages)) == expected(routine)


def test_the_rounds_are_one_repeat_step_over_a_round() -> None:
    routine = make_routine()
    steps = steps_of(decode(write(routine))[0])
    # One round: 3 exercises (the row twice, a side each), 2 rests, the round rest, a repeat.
    assert len(steps) == 4 + 2 + 1 + 1
    repeat = steps[-1]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert repeat["duration_step"] == 0 and repeat["repeat_steps"] == routine.rounds
    assert sum(s["duration_type"] == "repeat_until_steps_cmplt" for s in steps) == 1


def test_one_round_has_no_repeat_and_no_round_rest() -> None:
    routine = dataclasses.replace(make_routine(), rounds=1)
    steps = steps_of(decode(write(routine))[0])
    assert all(s["duration_type"] != "repeat_until_steps_cmplt" for s in steps)
    assert run_like_a_watch(steps) == expected(routine)


def test_the_file_is_a_strength_workout_stamped_with_the_callers_time() -> None:
    messages = decode(write(make_routine()))[0]
    file_id = dict(messages)["file_id"]
    workout = dict(messages)["workout"]
    assert file_id["type"] == "workout"
    assert file_id["time_created"] == STAMP
    assert workout["sport"] == "training" and workout["sub_sport"] == "strength_training"
    assert workout["wkt_name"] == "Back routine (15 min)"
    assert workout["num_valid_steps"] == len(steps_of(messages))


def test_same_context_same_bytes_and_the_time_comes_only_from_the_context() -> None:
    assert write(make_routine()) == write(make_routine())
    later = RenderContext(STAMP + timedelta(days=1), reproducible=True)
    assert write(make_routine()) != write(make_routine(), later)


def _item(item_id: str, name: str) -> RoutineItem:
    return RoutineItem(item_id, name, "none", 10, None, False, 30, ("quads",), ())


def test_exercises_get_fit_categories_where_one_fits_else_only_their_name() -> None:
    items = (
        _item("goblet_squat", "Goblet Squat"),
        _item("sliding_leg_curl", "Sliding Leg Curl"),
        _item("deadlift", "Deadlift"),
        _item("wheel_pose", "Wheel Pose"),
    )
    routine = dataclasses.replace(make_routine(), items=items, rounds=1)
    steps = [s for s in steps_of(decode(write(routine))[0]) if s["intensity"] == "active"]
    found = [
        (s["wkt_step_name"], s.get("exercise_category"), s.get("exercise_name")) for s in steps
    ]
    assert found == [
        ("Goblet Squat", "squat", GOBLET_SQUAT),
        ("Sliding Leg Curl", "leg_curl", SLIDING_LEG_CURL),
        ("Deadlift", "deadlift", None),
        ("Wheel Pose", None, None),
    ]


def test_a_plan_is_one_workout_per_session_chained() -> None:
    plan = make_plan()
    files = decode(write(plan))
    assert len(files) == len(plan.sessions)
    for messages, session in zip(files, plan.sessions, strict=True):
        assert run_like_a_watch(steps_of(messages)) == expected(session.routine)
    numbers = [dict(messages)["file_id"]["number"] for messages in files]
    assert numbers == [0, 1, 2]  # each file its own identity on the watch


def test_the_session_option_writes_one_session() -> None:
    plan = make_plan()
    (messages,) = decode(write(plan, session=2))
    assert run_like_a_watch(steps_of(messages)) == expected(plan.sessions[1].routine)
    assert dict(messages)["workout"]["wkt_name"].endswith("Lower routine (15 min)")
    with pytest.raises(ValueError, match="the plan has 3 sessions; session 4 is not one"):
        write(plan, session=4)
    with pytest.raises(OptionError):
        fit_plugin.EXPORTER.parse_options({"session": "-1"})


def test_without_the_sdk_rendering_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "garmin_fit_sdk", None)
    exporter = fit_plugin.EXPORTER
    with pytest.raises(RenderError, match=r"pip install 'routinegen\[fit\]'"):
        render(exporter, make_routine(), exporter.default_options(), CONTEXT, where="t")


@pytest.mark.slow
def test_a_solved_routine_round_trips() -> None:
    routine = solve_routine(minutes=20, equipment=["kettlebell"], catalog="back")
    (messages,) = decode(write(routine))
    assert run_like_a_watch(steps_of(messages)) == expected(routine)


@pytest.mark.slow
def test_make_writes_a_workout_for_the_fit_extension(tmp_path: Path) -> None:
    out = tmp_path / "back.fit"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    command = [sys.executable, "-m", "routinegen", "make", "-m", "15", "-e", "kettlebell"]
    run = subprocess.run(
        [*command, "-o", str(out)], capture_output=True, timeout=120, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    (messages,) = decode(out.read_bytes())
    assert dict(messages)["file_id"]["time_created"] == STAMP
    steps = steps_of(messages)
    assert steps and steps[0]["intensity"] in ("warmup", "active")
    text = subprocess.run(
        [*command, "-F", "text"], capture_output=True, text=True, timeout=120, env=env
    ).stdout
    names = {s["wkt_step_name"].split(", ")[0] for s in steps if s.get("intensity") == "active"}
    assert all(name in text for name in names)


# The coached routine as a watch runs it, written out by hand from tests/helpers/results.py.
COACHED_TIMELINE: list[tuple[str, str, str, float]] = [
    ("Jumping Jack", "warmup", "time", 60.0),
    ("Hip Hinge Drill", "warmup", "reps", 10),
    ("Cat-Cow", "warmup", "reps", 8),
    *[("Back Squat", "active", "reps", 5), ("Rest", "rest", "time", 180.0)] * 4,
    *[("Romanian Deadlift", "active", "reps", 6), ("Rest", "rest", "time", 150.0)] * 3,
    *[
        ("Single-Arm Dumbbell Row, right", "active", "reps", 8),
        ("Switch sides", "rest", "time", 5.0),
        ("Single-Arm Dumbbell Row, left", "active", "reps", 8),
        ("Rest", "rest", "time", 90.0),
    ]
    * 3,
    *[("Plank", "active", "time", 40.0), ("Rest", "rest", "time", 60.0)] * 2,
    ("Hamstring Stretch, right", "cooldown", "time", 30.0),
    ("Switch sides", "rest", "time", 5.0),
    ("Hamstring Stretch, left", "cooldown", "time", 30.0),
    ("Easy Walk", "cooldown", "time", 60.0),
]


def test_warm_up_straight_sets_and_cool_down_run_as_written() -> None:
    """Decoded by fitdecode: warm-up steps are FIT warmup, the main lifts active with a rest
    after each set, repeated for their sets, and the cool-down FIT cooldown."""
    (messages,) = decode(write(make_coached_routine()))
    steps = steps_of(messages)
    assert run_like_a_watch(steps) == COACHED_TIMELINE
    repeats = [s for s in steps if s["duration_type"] == "repeat_until_steps_cmplt"]
    assert [r["repeat_steps"] for r in repeats] == [4, 3, 3, 2]
    assert {s["intensity"] for s in steps if s["duration_type"] != "repeat_until_steps_cmplt"} == {
        "warmup",
        "active",
        "rest",
        "cooldown",
    }
    assert dict(messages)["workout"]["num_valid_steps"] == len(steps)


def test_intervals_are_timed_work_steps_repeated_for_the_rounds() -> None:
    routine = make_interval_routine()
    (messages,) = decode(write(routine))
    done = run_like_a_watch(steps_of(messages))
    one_round = [
        ("Burpee", "active", "time", 40.0),
        ("Rest", "rest", "time", 20.0),
        ("Mountain Climber", "active", "time", 40.0),
        ("Rest", "rest", "time", 20.0),
        ("Jumping Jack", "active", "time", 40.0),
        ("Rest between rounds", "rest", "time", 60.0),
    ]
    assert done == one_round * 3


def test_a_coached_plan_session_keeps_its_blocks() -> None:
    (messages,) = decode(write(make_coached_plan(), session=1))
    assert run_like_a_watch(steps_of(messages)) == COACHED_TIMELINE
