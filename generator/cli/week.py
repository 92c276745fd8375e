"""The ``week`` command: one or more weeks planned at once."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from routinegen.cli import complete
from routinegen.cli.apps import app, examples, one_stdin, refuse_empty
from routinegen.cli.clock import _with_clock
from routinegen.cli.exporting import _exporter_for, _solve_and_write
from routinegen.cli.options import (
    ASCII_INT,
    Avoid,
    CatalogSpec,
    Cooldown,
    Equipment,
    Exclude,
    Exercises,
    Focus,
    Format,
    Goal,
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
    from routinegen.results import SolverInfo


Days = Annotated[
    str | None,
    typer.Option(
        "--days",
        "-d",
        help="Training days, e.g. mon,wed,fri, with per-day minutes allowed: mon=20,sat=45 "
        "(default mon,wed,fri).",
        autocompletion=complete.days,
    ),
]
Weeks = Annotated[
    int | None,
    typer.Option(help="How many weeks (default 1, at most 12).", click_type=ASCII_INT),
]
Split = Annotated[
    str | None,
    typer.Option(
        help="Split template (routinegen splits: full-body, upper-lower, push-pull-legs, "
        "back-week) or a YAML file (default: every session trains --focus).",
        autocompletion=complete.split,
    ),
]


@app.command(
    epilog=examples(
        "routinegen week --days mon,wed,fri -m 20 -e dumbbell --start 2026-11-30 -o week.ics",
        "routinegen week --days mon=20,tue,thu,sat=45 --split upper-lower --weeks 4 --deload",
        "routinegen week -p week-back-3 --time 18:00 --tz Europe/Berlin -o week.json",
        "routinegen week --days tue,fri --rounds 3 --rest 20 -f lats -f traps",
    )
)
def week(
    days: Days = None,
    minutes: Minutes = None,
    weeks: Weeks = None,
    start: Start = None,
    time_: Time = None,
    tz: Tz = None,
    split: Split = None,
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
    seed: Seed = None,
    catalog: CatalogSpec = None,
    preset: Preset = None,
    recovery_hours: Annotated[
        int | None,
        typer.Option(
            help="Hours before a muscle is worked as primary again (default 48).",
            click_type=ASCII_INT,
        ),
    ] = None,
    max_repeats: Annotated[
        int | None,
        typer.Option(
            help="Times an exercise may come in a week (default 2).", click_type=ASCII_INT
        ),
    ] = None,
    progression: Annotated[
        str | None,
        typer.Option(
            help="Double progression over weeks: the reps climb the goal's range, then the "
            "load rises by this percent, e.g. 5-10 (default); 0 keeps every week's doses."
        ),
    ] = None,
    deload: Annotated[
        bool,
        typer.Option(
            "--deload",
            help="End each block of up to 6 weeks with a deload week: the same exercises "
            "with about half the sets.",
        ),
    ] = False,
    volume: Annotated[
        list[str] | None,
        typer.Option(
            metavar="MUSCLE=LOW-HIGH",
            help="A focus muscle's (or group's) weekly target in hard sets, e.g. lats=12-18; "
            "repeatable (default by level: 6-10, 10-20, 12-24).",
        ),
    ] = None,
    fmt: Format = None,
    output: Output = None,
    min_fill: MinFill = None,
    rest: Rest = None,
    round_rest: RoundRest = None,
    time_limit: TimeLimit = None,
    set_: SetOptions = None,
) -> None:
    """Plan one or more weeks at once: recovery, variety and weekly coverage included."""
    refuse_empty(**{k: v for k, v in locals().items() if isinstance(v, str | list)})  # text ones
    one_stdin(catalog=catalog, preset=preset, split=split)
    registry, exporter, options = _exporter_for(fmt, output, set_, "plan")

    def solve(settings: dict[str, "Setting"], registry: "Registry") -> Any:
        from routinegen.api import plan_from_settings

        plan = plan_from_settings(settings, registry=registry)
        warn_unproven(plan.solver)
        return plan

    flags = {
        "days": days,
        "minutes": minutes,
        "weeks": weeks,
        "start": start,
        "time": time_,
        "tz": tz,
        "split": split,
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
        "seed": seed,
        "catalog": catalog,
        "recovery_hours": recovery_hours,
        "max_repeats": max_repeats,
        "progression": progression,
        "deload": deload or None,
        "volume": volume,
        "min_fill": min_fill,
        "rest": rest,
        "round_rest": round_rest,
        "time_limit": time_limit,
    }
    _run(
        lambda: _solve_and_write(
            registry, exporter, options, _with_clock(_settings(preset, flags), None), output, solve
        )
    )


def warn_unproven(info: "SolverInfo") -> None:
    """A plan that is not proven best is still written (exit 0), with a warning saying how
    far from proven it is; and one when the wall clock, not the deterministic budget,
    ended the search, since the plan may then differ on another machine."""
    if info.stopped_by_wall_clock:
        typer.echo(
            "routinegen: warning: the time limit cut the search short, so this plan may "
            "differ on a faster or less busy machine; allow more with --time-limit",
            err=True,
        )
    if not info.proven_optimal:
        gap = "unknown" if info.bound is None else f"{info.gap:.1%}"
        typer.echo(
            f"routinegen: warning: this plan is the best found but not proven optimal "
            f"(gap {gap}: objective {info.objective}, bound {info.bound}); "
            "allow more with --time-limit",
            err=True,
        )
