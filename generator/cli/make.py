"""The ``make`` command: the best routine for one session."""

from typing import TYPE_CHECKING, Any

from routinegen.cli.apps import app, examples, one_stdin, refuse_empty
from routinegen.cli.clock import _with_clock
from routinegen.cli.exporting import _exporter_for, _solve_and_write
from routinegen.cli.options import (
    Avoid,
    CatalogSpec,
    Cooldown,
    Equipment,
    Exclude,
    Exercises,
    Focus,
    Format,
    Goal,
    Keep,
    Level,
    MinFill,
    Minutes,
    Output,
    Preset,
    Rest,
    RoundRest,
    Rounds,
    Seed,
    SetOptions,
    Start,
    Time,
    TimeLimit,
    Tz,
    Warmup,
    _settings,
)
from routinegen.cli.running import _run

if TYPE_CHECKING:
    from routinegen.registry import Registry
    from routinegen.request.settings import Setting


@app.command(
    epilog=examples(
        "routinegen make -m 20                               # bodyweight back, 20 minutes",
        "routinegen make -m 30 -e dumbbell -f full-body",
        "routinegen make -m 15 -e kettlebell -f lats -f traps --rounds 3",
        "routinegen make -p back-15 --seed 7 -o back.json",
        "routinegen make -o back.ics --start 2026-11-30 --time 18:30 --tz Europe/Berlin",
        "routinegen make -c - < my-catalog.yaml              # a catalog on stdin",
    )
)
def make(
    minutes: Minutes = None,
    equipment: Equipment = None,
    focus: Focus = None,
    level: Level = None,
    goal: Goal = None,
    avoid: Avoid = None,
    warmup: Warmup = None,
    cooldown: Cooldown = None,
    rounds: Rounds = None,
    exercises: Exercises = None,
    exclude: Exclude = None,
    keep: Keep = None,
    seed: Seed = None,
    catalog: CatalogSpec = None,
    preset: Preset = None,
    fmt: Format = None,
    output: Output = None,
    start: Start = None,
    time_: Time = None,
    tz: Tz = None,
    min_fill: MinFill = None,
    rest: Rest = None,
    round_rest: RoundRest = None,
    time_limit: TimeLimit = None,
    set_: SetOptions = None,
) -> None:
    """Make the best routine for one session and write it with an exporter."""
    refuse_empty(**{k: v for k, v in locals().items() if isinstance(v, str | list)})  # text ones
    one_stdin(catalog=catalog, preset=preset)
    registry, exporter, options = _exporter_for(fmt, output, set_, "routine")

    def solve(settings: dict[str, "Setting"], registry: "Registry") -> Any:
        from routinegen.api import routine_from_settings

        return routine_from_settings(settings, registry=registry)

    flags = {
        "minutes": minutes,
        "equipment": equipment,
        "focus": focus,
        "level": level,
        "goal": goal,
        "avoid": avoid,
        "warmup": warmup,
        "cooldown": cooldown,
        "rounds": rounds,
        "exercises": exercises,
        "exclude": exclude,
        "keep": keep,
        "seed": seed,
        "catalog": catalog,
        "start": start,
        "tz": tz,
        "min_fill": min_fill,
        "rest": rest,
        "round_rest": round_rest,
        "time_limit": time_limit,
    }
    _run(
        lambda: _solve_and_write(
            registry,
            exporter,
            options,
            _with_clock(_settings(preset, flags), time_),
            output,
            solve,
        )
    )
