"""The ``fit`` exporter: a Garmin FIT workout file, to follow the routine on a watch.

Each exercise is a workout step with its reps or its time (a unilateral move is a right and a
left step, with a "Switch sides" rest step between when it has a switch pause). The blocks
follow each other with FIT's intensities: warm-up steps are ``warmup``, the main block's
``active``, cool-down steps ``cooldown``, every rest ``rest``. In a circuit or intervals the
rest between exercises is a rest step and the rounds are a repeat step over one round's
steps; the rest between rounds closes each round, so a watch also counts one after the last
round (FIT has no "skip the last rest"). In straight sets (and in a warm-up or cool-down
move done more than once) an exercise's set and the rest after it are repeated for its
sets, and the last set's rest leads into the next exercise. Exercises get FIT's exercise
category where one fits (by keywords of their id) and FIT's exercise name when FIT has ours;
otherwise a step just carries our name. Garmin's own SDK (``garmin-fit-sdk``) encodes it,
imported inside ``render``. A plan is one workout per session, as chained FIT files (FIT's
way to put several files in one), or only the session the ``session`` option names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from routinegen.exporter import Exporter, Options, RenderContext, Result, option
from routinegen.hookspecs import hookimpl
from routinegen.output.wording import session_title, title
from routinegen.plugins._extras import missing
from routinegen.results import Plan, Routine, RoutineItem

NAME_LIMIT = 50  # characters of a step or workout name (watches cut longer ones anyway)
MANUFACTURER = "development"  # FIT's manufacturer id for software not made by a vendor
PRODUCT = 0

# Keywords of an exercise id (whole words of it) -> FIT exercise category; first match wins,
# so the more specific words come first ("leg_curl" before "curl").
CATEGORY_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("good", "morning"), "leg_curl"),
    (("leg", "curl"), "leg_curl"),
    (("calf", "raise"), "calf_raise"),
    (("leg", "raise"), "leg_raise"),
    (("knee", "raise"), "leg_raise"),
    (("lateral", "raise"), "lateral_raise"),
    (("front", "raise"), "lateral_raise"),
    (("push", "up"), "push_up"),
    (("pull", "up"), "pull_up"),
    (("chin", "up"), "pull_up"),
    (("sit", "up"), "sit_up"),
    (("get", "up"), "core"),
    (("bench", "press"), "bench_press"),
    (("floor", "press"), "bench_press"),
    (("chest", "press"), "bench_press"),
    (("back", "extension"), "hyperextension"),
    (("triceps",), "triceps_extension"),
    (("skull",), "triceps_extension"),
    (("dip",), "triceps_extension"),
    (("deadlift",), "deadlift"),
    (("rdl",), "deadlift"),
    (("swing",), "hip_swing"),
    (("clean",), "olympic_lift"),
    (("snatch",), "olympic_lift"),
    (("thruster",), "olympic_lift"),
    (("lunge",), "lunge"),
    (("split",), "lunge"),
    (("squat",), "squat"),
    (("step",), "squat"),
    (("row",), "row"),
    (("pulldown",), "pull_up"),
    (("pullover",), "pull_up"),
    (("press",), "shoulder_press"),
    (("curl",), "curl"),
    (("shrug",), "shrug"),
    (("carry",), "carry"),
    (("plank",), "plank"),
    (("crunch",), "crunch"),
    (("bridge",), "hip_raise"),
    (("thrust",), "hip_raise"),
    (("superman",), "hyperextension"),
    (("fly",), "flye"),
    (("chop",), "chop"),
    (("woodchop",), "chop"),
    (("jump",), "plyo"),
    (("burpee",), "total_body"),
    (("slam",), "plyo"),
)


MAX_SESSION = 52 * 7  # a year of daily sessions; checked before solving


@dataclass(frozen=True)
class FitOptions(Options):
    session: int = option(0, "for a plan: the session to write (1 = first); 0 writes them all")

    def validate(self) -> None:
        if not 0 <= self.session <= MAX_SESSION:
            raise ValueError(
                f"session must be 0 (all) or a session number up to {MAX_SESSION}, "
                f"got {self.session}"
            )


@dataclass(frozen=True)
class Step:
    """One workout step before encoding: what the watch shows and how long it lasts."""

    name: str
    kind: str  # "exercise", "rest" or "repeat"
    reps: int | None = None
    seconds: int | None = None
    repeat_from: int | None = None  # repeat: index of the first step to go back to
    times: int | None = None  # repeat: how many times the steps run in all
    category: str | None = None
    exercise_name: str | None = None
    intensity: str = "active"  # an exercise's FIT intensity: warmup, active or cooldown


# FIT's intensity for the exercises of each block (rests are always "rest").
INTENSITY = {"warmup": "warmup", "main": "active", "cooldown": "cooldown"}


def category(item: RoutineItem) -> tuple[str | None, str | None]:
    """FIT's exercise category and name for ``item``: (None, None) when none fits."""
    from garmin_fit_sdk import Profile

    words = tuple(re.split(r"[_\-\s]+", item.id.lower()))
    for keywords, found in CATEGORY_WORDS:
        if all(word in words for word in keywords):
            names = Profile["types"].get(f"{found}_exercise_name", {})
            return found, (item.id if item.id in names.values() else None)
    return None, None


def _cut(name: str) -> str:
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


def _exercise(item: RoutineItem) -> list[Step]:
    """One set of ``item``: a step, or a right and a left step with the switch between."""
    found, exercise_name = category(item)
    intensity = INTENSITY.get(item.block, "active")
    amount = item.reps if item.reps is not None else item.work_seconds
    out: list[Step] = []
    for n, side in enumerate((", right", ", left") if item.per_side else ("",)):
        if n and item.switch_seconds:
            out.append(Step("Switch sides", "rest", seconds=item.switch_seconds))
        out.append(
            Step(
                _cut(f"{item.name}{side}"),
                "exercise",
                reps=amount if item.reps is not None else None,
                seconds=amount if item.reps is None else None,
                category=found,
                exercise_name=exercise_name,
                intensity=intensity,
            )
        )
    return out


def _in_sets(items: tuple[RoutineItem, ...], start: int) -> list[Step]:
    """Each item's sets in a row: a set and its rest, repeated; ``start`` is the index the
    first of these steps will have in the workout."""
    out: list[Step] = []
    for item in items:
        first = start + len(out)
        out += _exercise(item)
        if item.rest_seconds:
            out.append(Step("Rest", "rest", seconds=item.rest_seconds))
        if item.sets > 1:
            out.append(Step(f"{item.sets} sets", "repeat", repeat_from=first, times=item.sets))
    return out


def _in_rounds(routine: Routine, start: int) -> list[Step]:
    """The main block of a circuit or intervals: one round, its rests, and a repeat."""
    out: list[Step] = []
    for number, item in enumerate(routine.items):
        if number and routine.rest_seconds:
            out.append(Step("Rest", "rest", seconds=routine.rest_seconds))
        out += _exercise(item)
    if routine.rounds > 1:
        if routine.round_rest_seconds:
            out.append(Step("Rest between rounds", "rest", seconds=routine.round_rest_seconds))
        out.append(
            Step(f"{routine.rounds} rounds", "repeat", repeat_from=start, times=routine.rounds)
        )
    return out


def steps(routine: Routine) -> list[Step]:
    """The routine as FIT steps: the warm-up, the main block, the cool-down."""
    out = _in_sets(routine.warmup, 0)
    if routine.format == "straight_sets":
        out += _in_sets(routine.items, len(out))
    else:
        out += _in_rounds(routine, len(out))
    out += _in_sets(routine.cooldown, len(out))
    return out


def _step_message(index: int, step: Step) -> dict[str, Any]:
    from garmin_fit_sdk import Profile

    message: dict[str, Any] = {
        "mesg_num": Profile["mesg_num"]["WORKOUT_STEP"],
        "message_index": index,
        "wkt_step_name": step.name,
    }
    if step.kind == "repeat":
        message.update(
            duration_type="repeat_until_steps_cmplt",
            duration_value=step.repeat_from,
            target_type="open",
            target_value=step.times,
        )
        return message
    message["intensity"] = "rest" if step.kind == "rest" else step.intensity
    message["target_type"] = "open"
    if step.reps is not None:
        message.update(duration_type="reps", duration_value=step.reps)
    else:
        message.update(duration_type="time", duration_value=(step.seconds or 0) * 1000)
    if step.category is not None:
        message["exercise_category"] = step.category
        if step.exercise_name is not None:
            names = Profile["types"][f"{step.category}_exercise_name"]
            message["exercise_name"] = next(k for k, v in names.items() if v == step.exercise_name)
    return message


def _workout_file(name: str, routine: Routine, context: RenderContext, number: int) -> bytes:
    """One complete FIT workout file: file id, workout, steps."""
    from garmin_fit_sdk import Encoder, Profile

    encoder = Encoder()
    mesg = Profile["mesg_num"]
    plan = steps(routine)
    encoder.write_mesg(
        {
            "mesg_num": mesg["FILE_ID"],
            "type": "workout",
            "manufacturer": MANUFACTURER,
            "product": PRODUCT,
            # The caller's time, never the clock: equal inputs give equal bytes.
            "time_created": context.timestamp + timedelta(seconds=number),
            "number": number,
        }
    )
    encoder.write_mesg(
        {
            "mesg_num": mesg["WORKOUT"],
            "sport": "training",
            "sub_sport": "strength_training",
            "num_valid_steps": len(plan),
            "wkt_name": _cut(name),
        }
    )
    for index, step in enumerate(plan):
        encoder.write_mesg(_step_message(index, step))
    data: bytes = encoder.close()
    return data


def render(result: Result, options: FitOptions, context: RenderContext) -> bytes:
    """The workout file (a chained one for a whole plan)."""
    try:
        import garmin_fit_sdk  # noqa: F401
    except ImportError:
        raise missing("fit", "garmin-fit-sdk", "fit") from None
    if not isinstance(result, Plan):
        return _workout_file(title(result), result, context, 0)
    sessions = list(enumerate(result.sessions))
    if options.session:
        if options.session > len(sessions):
            raise ValueError(
                f"the plan has {len(sessions)} sessions; session {options.session} is not one"
            )
        sessions = [sessions[options.session - 1]]
    if not sessions:
        raise ValueError("the plan has no session to write")
    return b"".join(
        _workout_file(f"W{s.week} {s.date:%m-%d} {session_title(s)}", s.routine, context, number)
        for number, s in sessions
    )


EXPORTER = Exporter(
    name="fit",
    extension="fit",
    media_type="application/vnd.ant.fit",
    render=render,
    description="Garmin FIT workout for a watch: warm-up, exercise, rest, repeat and "
    "cool-down steps; for a plan, one workout per session (needs routinegen[fit]).",
    options=FitOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the FIT workout to routinegen."""
    register(EXPORTER)
