"""The ``make`` command: the best routine for one session."""

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


@app.command()
def make(
    minutes: Minutes = None,
    equipment: Equipment = None,
    focus: Focus = None,
    level: Level = None,
    rounds: Annotated[
        str | None, typer.Option(help="Rounds, e.g. 3 or 2-3 (default: by budget).")
    ] = None,
    exercises: Annotated[
        str | None, typer.Option(help="Exercises per round, e.g. 4-6 (default: by budget).")
    ] = None,
    exclude: Exclude = None,
    seed: Seed = None,
    catalog: CatalogSpec = None,
    preset: Preset = None,
    fmt: Format = None,
    output: Output = None,
    start: Annotated[
        str | None,
        typer.Option(help="When the session starts, e.g. 2026-11-30T07:00 (calendar exporters)."),
    ] = None,
    tz: Tz = None,
    min_fill: Annotated[
        float | None,
        typer.Option(help="Fraction of the budget the routine must use (default 0.9)."),
    ] = None,
    rest: Annotated[
        int | None, typer.Option(help="Seconds of rest between exercises (default by level).")
    ] = None,
    round_rest: Annotated[
        int | None, typer.Option(help="Seconds of rest between rounds (default by level).")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option(help="Solver time limit in seconds (default 10).")
    ] = None,
    set_: SetOptions = None,
) -> None:
    """Make the best routine for one session and write it with an exporter."""
    registry, exporter, options = _exporter_for(fmt, output, set_, "routine")

    def solve(settings: dict[str, "Setting"], registry: "Registry") -> Any:
        from routinegen.api import routine_from_settings

        return routine_from_settings(settings, registry=registry)

    flags = {
        "minutes": minutes,
        "equipment": equipment,
        "focus": focus,
        "level": level,
        "rounds": rounds,
        "exercises": exercises,
        "exclude": exclude,
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
            registry, exporter, options, _settings(preset, flags), output, solve
        )
    )
