"""The command line: parses flags, wires catalog, request, solver and exporter together.

Heavy modules (the solver above all) are imported inside the commands that need them, so
``--help`` and the listing commands start fast and never load OR-Tools.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from routinegen.errors import RoutinegenError

if TYPE_CHECKING:
    from routinegen.exporter import Exporter
    from routinegen.registry import Registry
    from routinegen.request import Setting

EXIT_INFEASIBLE = 3
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="routinegen",
    help="Provably best exercise routines from your limits, solved with OR-Tools CP-SAT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain, one-line errors; and no rich import on the fast path
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalog_app = typer.Typer(
    help="List and inspect exercise catalogs.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(catalog_app, name="catalog")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then the documented exit code."""
    typer.echo(f"routinegen: error: {message}", err=True)
    raise typer.Exit(code)


def usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=param)


def _warn(registry: Registry) -> None:
    for warning in registry.warnings:
        typer.echo(f"routinegen: warning: {warning}", err=True)


def _registry() -> Registry:
    from routinegen.registry import load_registry

    registry = load_registry()
    _warn(registry)
    return registry


def _emit(data: str | bytes, output: str | None) -> None:
    """Rendered output to a file (atomically) or, for None or ``-``, to stdout."""
    from routinegen.output import write_atomic

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, payload)


def _pick_exporter(registry: Registry, fmt: str | None, output: str | None) -> Exporter:
    """``--format`` wins; else the output file's extension; else text."""
    if fmt is None and output not in (None, "-"):
        fmt = registry.by_extension(Path(str(output)).suffix.lstrip(".").lower())
    name = fmt or "text"
    if name not in registry.exporters:
        known = ", ".join(sorted(registry.exporters)) or "none installed"
        usage(f"unknown format {name!r}; choose from {known}", "--format")
    return registry.exporter(name)


def _exporter_options(exporter: Exporter, pairs: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` pairs checked against the options the exporter declares."""
    declared = {o.name: o for o in exporter.options}
    values = {o.name: o.default for o in exporter.options}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
        if key not in declared:
            known = ", ".join(sorted(declared)) or "no options"
            usage(
                f"the {exporter.name} exporter has no option {key!r} (it takes: {known})", "--set"
            )
        option = declared[key]
        try:
            if option.type is bool:
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                values[key] = raw.lower() in ("true", "1", "yes")
            else:
                values[key] = option.type(raw)
        except ValueError:
            usage(
                f"the {exporter.name} exporter's option {key!r} takes a "
                f"{option.type.__name__}, got {raw!r}",
                "--set",
            )
    return values


def _settings(preset: str | None, flags: Mapping[str, Any]) -> dict[str, Setting]:
    """A preset's settings overridden by the flags actually given."""
    from routinegen.request import Setting, load_preset

    settings = load_preset(preset) if preset else {}
    for key, value in flags.items():
        if value is not None and value != []:
            settings[key] = Setting(value, "--" + key.replace("_", "-"))
    return settings


def _run(action: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one line and an exit code."""
    from routinegen.errors import Infeasible

    try:
        action()
    except Infeasible as exc:
        fail(str(exc), EXIT_INFEASIBLE)
    except RoutinegenError as exc:
        fail(str(exc), exc.exit_code)


# ---------------------------------------------------------------------------- make

Minutes = Annotated[
    float | None,
    typer.Option(
        "--minutes", "-m", help="Time budget in minutes (default 15).", show_default=False
    ),
]
Equipment = Annotated[
    list[str] | None,
    typer.Option(
        "--equipment",
        "-e",
        help="Equipment at hand; repeat or comma-separate. 'none' = bodyweight "
        "only (bodyweight moves are always allowed).",
        show_default=False,
    ),
]
Focus = Annotated[
    str | None,
    typer.Option("--focus", "-f", help="Muscle group or muscles, comma-separated (default back)."),
]
Level = Annotated[
    str | None, typer.Option("--level", "-l", help="beginner, intermediate (default) or advanced.")
]


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
    exclude: Annotated[
        list[str] | None, typer.Option(help="Exercise ids to leave out; repeat or comma-separate.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Another seed, another routine (default 0).")
    ] = None,
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog", "-c", help="Built-in catalog name or a YAML file (default full-body)."
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset", "-p", help="Built-in preset name or YAML file; flags override it."
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-F",
            help="Exporter: text, json, ical or a plugin's (default: by -o extension, else text).",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file; - for stdout (default).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(help="When the session starts, e.g. 2026-11-30T07:00 (calendar exporters)."),
    ] = None,
    tz: Annotated[str | None, typer.Option(help="IANA time zone of --start (default UTC).")] = None,
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
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Exporter option KEY=VALUE; repeatable.")
    ] = None,
) -> None:
    """Make the best routine for one session and write it with an exporter."""
    registry = _registry()
    exporter = _pick_exporter(registry, fmt, output)
    options = _exporter_options(exporter, set_ or [])

    def action() -> None:
        from routinegen.catalog import load_catalog
        from routinegen.request import resolve_request

        settings = _settings(
            preset,
            {
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
            },
        )
        spec = settings["catalog"].value if "catalog" in settings else "full-body"
        loaded = load_catalog(str(spec))
        request = resolve_request(loaded, settings)

        from routinegen.solve import solve_routine

        routine = solve_routine(loaded, request)
        try:
            rendered = exporter.render(routine, options)
        except Exception as exc:
            fail(f"the {exporter.name} exporter failed: {type(exc).__name__}: {exc}")
        _emit(rendered, output)

    _run(action)


# ---------------------------------------------------------------------------- listings


@catalog_app.command("list")
def catalog_list() -> None:
    """List the built-in catalogs."""
    from routinegen.catalog import builtin_catalogs, load_catalog

    def action() -> None:
        for name in builtin_catalogs():
            loaded = load_catalog(name)
            typer.echo(f"{name:<14} {len(loaded.exercises):>4} exercises  {loaded.title}")

    _run(action)


@catalog_app.command("show")
def catalog_show(
    name: Annotated[str, typer.Argument(help="Built-in catalog name or YAML file.")],
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
) -> None:
    """Show a catalog's muscles, groups, equipment and exercises."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    from routinegen.catalog import load_catalog

    def action() -> None:
        loaded = load_catalog(name)
        if fmt == "json":
            typer.echo(json.dumps(_catalog_document(loaded), indent=2, ensure_ascii=False))
            return
        typer.echo(f"{loaded.name}: {loaded.title} ({len(loaded.exercises)} exercises)")
        typer.echo("groups:")
        for group, members in loaded.groups.items():
            typer.echo(f"  {group}: {', '.join(members)}")
        typer.echo("equipment: none (bodyweight), " + ", ".join(loaded.equipment))
        typer.echo("exercises:")
        for e in loaded.exercises:
            dose = (
                f"{e.hold[0]}-{e.hold[1]} s hold"
                if e.hold
                else f"{e.reps[0]}-{e.reps[1]} reps"
                if e.reps
                else ""
            )
            ways = " | ".join("+".join(sorted(w)) for w in e.equipment) or "none"
            side = ", per side" if e.unilateral else ""
            typer.echo(
                f"  {e.id:<26} {e.name} [{e.level}] {dose}{side}; "
                f"{', '.join(e.primary)}; equipment {ways}"
            )

    _run(action)


def _catalog_document(loaded: Any) -> dict[str, Any]:
    return {
        "name": loaded.name,
        "title": loaded.title,
        "muscles": dict(loaded.muscles),
        "groups": {g: list(m) for g, m in loaded.groups.items()},
        "equipment": dict(loaded.equipment),
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "primary": list(e.primary),
                "secondary": list(e.secondary),
                "equipment": [sorted(w) for w in e.equipment],
                "level": e.level,
                **(
                    {"reps": list(e.reps), "seconds_per_rep": e.seconds_per_rep}
                    if e.reps
                    else {"hold": list(e.hold or ())}
                ),
                "setup_seconds": e.setup_seconds,
                "unilateral": e.unilateral,
            }
            for e in loaded.exercises
        ],
    }


@app.command()
def exporters(
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
) -> None:
    """List the installed exporters (output formats)."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    rows = [
        {
            "name": e.name,
            "extension": e.extension,
            "media_type": e.media_type,
            "plugin": plugin,
            "description": e.description,
            "options": [
                {"name": o.name, "type": o.type.__name__, "default": o.default, "help": o.help}
                for o in e.options
            ],
        }
        for name in sorted(registry.exporters)
        for e, plugin in registry.exporters[name]
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(
            f"{row['name']:<10} .{row['extension']:<6} {row['media_type']:<22} {row['description']}"
        )


@app.command()
def schema() -> None:
    """Print the JSON Schema of the json exporter's documents."""
    from routinegen.document import load_schema

    typer.echo(json.dumps(load_schema(), indent=2))


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would turn KeyboardInterrupt into exit 1)."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Console entry point: exit 130 on Ctrl-C, and never a traceback unless asked for."""
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except Interrupted:
        typer.echo("routinegen: interrupted; nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("ROUTINEGEN_DEBUG"):
            raise
        typer.echo(
            f"routinegen: internal error: {type(exc).__name__}: {exc} "
            "(set ROUTINEGEN_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(1)
