"""The ``week`` command: one or more weeks planned at once."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from routinegen.cli.common import (
    CatalogSpec,
    Equipment,
    Exclude,
    Focus,
    Format,
    Level,
    Minutes,
    Output,
    Preset,
    Seed,
    SetOptions,
    Tz,
    _exporter_for,
    _run,
    _settings,
    _solve_and_write,
    app,
)

if TYPE_CHECKING:
    from routinegen.registry import Registry
    from routinegen.request.settings import Setting


Days = Annotated[
    str | None,
    typer.Option(
        "--days",
        "-d",
        help="Training days, e.g. mon,wed,fri, with per-day minutes allowed: mon=20,sat=45 "
        "(default mon,wed,fri).",
    ),
]
Weeks = Annotated[int | None, typer.Option(help="How many weeks (default 1, at most 12).")]
Split = Annotated[
    str | None,
    typer.Option(
        help="Split template: full-body, upper-lower, push-pull-legs, back-week or a YAML "
        "file (default: every session trains --focus)."
    ),
]


@app.command()
def week(
    days: Days = None,
    minutes: Minutes = None,
    weeks: Weeks = None,
    start: Annotated[
        str | None,
        typer.Option(help="The plan's first day, e.g. 2026-11-30 (default: next Monday)."),
    ] = None,
    time_: Annotated[
        str | None, typer.Option("--time", help="Session start time HH:MM (default 07:00).")
    ] = None,
    tz: Tz = None,
    split: Split = None,
    equipment: Equipment = None,
    focus: Focus = None,
    level: Level = None,
    exclude: Exclude = None,
    seed: Seed = None,
    catalog: CatalogSpec = None,
    preset: Preset = None,
    recovery_hours: Annotated[
        int | None,
        typer.Option(help="Hours before a muscle is worked as primary again (default 48)."),
    ] = None,
    max_repeats: Annotated[
        int | None, typer.Option(help="Times an exercise may come in a week (default 2).")
    ] = None,
    progression: Annotated[
        str | None,
        typer.Option(help="Weekly work growth in percent, e.g. 5-10 (default; multi-week)."),
    ] = None,
    deload: Annotated[
        bool, typer.Option("--deload", help="Make the last week a lighter deload week.")
    ] = False,
    fmt: Format = None,
    output: Output = None,
    time_limit: Annotated[
        float | None, typer.Option(help="Solver time limit in seconds (default 8).")
    ] = None,
    set_: SetOptions = None,
) -> None:
    """Plan one or more weeks at once: recovery, variety and weekly coverage included."""
    registry, exporter, options = _exporter_for(fmt, output, set_, "plan")

    def solve(settings: dict[str, "Setting"], registry: "Registry") -> Any:
        from routinegen.api import plan_from_settings

        return plan_from_settings(settings, registry=registry)

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
        "exclude": exclude,
        "seed": seed,
        "catalog": catalog,
        "recovery_hours": recovery_hours,
        "max_repeats": max_repeats,
        "progression": progression,
        "deload": deload or None,
        "time_limit": time_limit,
    }
    _run(
        lambda: _solve_and_write(
            registry, exporter, options, _settings(preset, flags), output, solve
        )
    )
