"""The command line: parses flags, wires catalog, request, solver and exporter together.

Heavy modules (the solver above all) are imported inside the commands that need them, so
``--help`` and the listing commands start fast and never load OR-Tools. Annotations are
real objects here, not strings (no ``from __future__ import annotations``): typer reads every
command's signature on each run, and evaluating strings cost 4 ms a command.
"""

import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from routinegen.errors import RoutinegenError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from routinegen.exporter import Exporter
    from routinegen.registry import Registry
    from routinegen.request.settings import Setting

# Plain help: with rich installed (typer requires it) typer escapes "[" for rich markup even
# when markup is off, so "[required]" printed as "\[required]".
typer.core.HAS_RICH = False

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
    if "\n" in message:  # a message from a library may span lines; ours never do
        message = "; ".join(part.strip() for part in message.splitlines() if part.strip())
    typer.echo(f"routinegen: error: {message}", err=True)
    raise typer.Exit(code)


def usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=param)


def _warn(registry: "Registry") -> None:
    for warning in registry.warnings:
        typer.echo(f"routinegen: warning: {warning}", err=True)


def _registry() -> "Registry":
    """Load the plugins, printing why any were skipped (the registry itself never prints)."""
    from routinegen.registry import load_registry

    registry = load_registry()
    _warn(registry)
    return registry


def _complete_format(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for ``--format``: the installed exporters, loaded only when completing."""
    from routinegen.registry import load_registry

    registry = load_registry()
    return [
        (name, claims[0][0].description or claims[0][0].media_type)
        for name, claims in sorted(registry.exporters.items())
        if name.startswith(incomplete)
    ]


if os.environ.get("_ROUTINEGEN_COMPLETE"):
    # The app is built without typer's --install-completion (startup cost), so register
    # typer's completion scripts here, only while a shell is asking: without them the script
    # that `_ROUTINEGEN_COMPLETE=source_bash routinegen` prints cannot call back.
    from typer._completion_classes import completion_init

    completion_init()


def _emit(data: str | bytes, output: str | None) -> None:
    """Rendered output to a file (atomically) or, for None or ``-``, to stdout."""
    from routinegen.output.files import write_atomic

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, payload)


def _pick_exporter(registry: "Registry", fmt: str | None, output: str | None) -> "Exporter":
    """``--format`` wins; else the output file's extension; else text.

    Decided before solving, so a wrong or ambiguous format costs no solver time.
    """
    if fmt is None and output not in (None, "-"):
        extension = Path(str(output)).suffix.lstrip(".").lower()
        claimed = registry.formats_for_extension(extension) if extension else []
        if len(claimed) > 1:
            usage(
                f"the extension .{extension} of {output} belongs to the formats "
                f"{', '.join(claimed)}; choose one with --format",
                "--output",
            )
        fmt = claimed[0] if claimed else None
    name = fmt or "text"
    if name not in registry.exporters:
        known = ", ".join(sorted(registry.exporters)) or "none installed"
        usage(f"unknown format {name!r}; choose from {known}", "--format")
    try:
        return registry.exporter(name)
    except RoutinegenError as exc:  # two plugins claim the name
        fail(str(exc), exc.exit_code)


def _render(
    registry: "Registry", exporter: "Exporter", result: Any, options: Mapping[str, Any]
) -> bytes:
    """Run a plugin's renderer. Whatever goes wrong is blamed on that plugin, by name, and
    happens before anything is written, so an existing output file stays as it was."""
    from routinegen.registry import one_line

    where = registry.describe(registry.owner(exporter.name))
    try:
        rendered = exporter.render(result, options)
        if isinstance(rendered, str):
            rendered = rendered.encode("utf-8")
    except Exception as exc:
        fail(f"the {exporter.name} exporter ({where}) failed: {one_line(exc)}; nothing was written")
    if not isinstance(rendered, bytes):
        fail(
            f"the {exporter.name} exporter ({where}) returned {type(rendered).__name__}, "
            "not str or bytes; nothing was written"
        )
    return rendered


def _plugin_catalogs(registry: "Registry", spec: str) -> dict[str, "Traversable"]:
    """Plugin catalogs for ``load_catalog(extra=...)``; ``spec`` must not be doubly claimed."""
    registry.check_catalog(spec)
    return registry.catalog_sources()


_OPTION_KINDS = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}


def _exporter_options(exporter: "Exporter", pairs: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` pairs checked against the options the exporter declares.

    Checked before solving, and every declared option is passed (defaults filled in), so a
    plugin's ``render`` never has to guess what it got.
    """
    declared = {o.name: o for o in exporter.options}
    values = {o.name: o.default for o in exporter.options}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
        if key not in declared:
            takes = (
                f"it takes: {', '.join(sorted(declared))}" if declared else "it takes no options"
            )
            usage(f"the {exporter.name} exporter has no option {key!r} ({takes})", "--set")
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
                f"the {exporter.name} exporter's option {key!r} takes "
                f"{_OPTION_KINDS.get(option.type, option.type.__name__)}, got {raw!r}",
                "--set",
            )
    return values


def _settings(preset: str | None, flags: Mapping[str, Any]) -> dict[str, "Setting"]:
    """A preset's settings overridden by the flags actually given."""
    from routinegen.request.settings import Setting, load_preset

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
Exclude = Annotated[
    list[str] | None, typer.Option(help="Exercise ids to leave out; repeat or comma-separate.")
]
Seed = Annotated[int | None, typer.Option(help="Another seed, another result (default 0).")]
CatalogSpec = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        "-c",
        help="Built-in or plugin catalog name, or a YAML file (default full-body).",
    ),
]
Preset = Annotated[
    str | None,
    typer.Option("--preset", "-p", help="Built-in preset name or YAML file; flags override it."),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-F",
        help="Exporter: text, json, ical or a plugin's (default: by -o extension, else text).",
        autocompletion=_complete_format,
    ),
]
Output = Annotated[
    str | None, typer.Option("--output", "-o", help="Output file; - for stdout (default).")
]
Tz = Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Berlin (default UTC).")]
SetOptions = Annotated[
    list[str] | None, typer.Option("--set", help="Exporter option KEY=VALUE; repeatable.")
]


def _exporter_for(
    fmt: str | None, output: str | None, pairs: list[str] | None
) -> tuple["Registry", "Exporter", dict[str, Any]]:
    """The plugins, the exporter the flags pick and its checked options: before any solving,
    so a wrong format or option costs no solver time."""
    registry = _registry()
    exporter = _pick_exporter(registry, fmt, output)
    return registry, exporter, _exporter_options(exporter, pairs or [])


def _solve_and_write(
    registry: "Registry",
    exporter: "Exporter",
    options: Mapping[str, Any],
    settings: dict[str, "Setting"],
    output: str | None,
    solve: Callable[[Any, dict[str, "Setting"]], Any],
) -> None:
    """Load the catalog the settings name, solve, render, write: what make and week share."""
    from routinegen.catalog import load_catalog

    spec = str(settings["catalog"].value) if "catalog" in settings else "full-body"
    loaded = load_catalog(spec, extra=_plugin_catalogs(registry, spec))
    result = solve(loaded, settings)
    _emit(_render(registry, exporter, result, options), output)


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
    registry, exporter, options = _exporter_for(fmt, output, set_)

    def solve(loaded: Any, settings: dict[str, "Setting"]) -> Any:
        from routinegen.request.routine import resolve_request
        from routinegen.solver.solve import solve_routine

        return solve_routine(loaded, resolve_request(loaded, settings))

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


# ---------------------------------------------------------------------------- week

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
    registry, exporter, options = _exporter_for(fmt, output, set_)

    def solve(loaded: Any, settings: dict[str, "Setting"]) -> Any:
        from routinegen.request.plan import resolve_plan_request
        from routinegen.solver.plan_solve import solve_plan

        return solve_plan(loaded, resolve_plan_request(loaded, settings))

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


# ---------------------------------------------------------------------------- batch


def _batch_formats(registry: "Registry", names: list[str], pairs: list[str]) -> list[Any]:
    """The batch's formats with their options; ``--set KEY=VALUE`` goes to every chosen format
    that takes KEY, ``--set FORMAT.KEY=VALUE`` to that one."""
    from routinegen.batch.run import Format

    chosen = {name: _pick_exporter(registry, name, None) for name in names}
    for pair in pairs:
        key = pair.partition("=")[0].strip()
        target, dot, _ = key.partition(".")
        if dot and target not in chosen:
            usage(f"{pair!r}: {target!r} is not one of the formats {', '.join(chosen)}", "--set")
        if not dot and not any(key in {o.name for o in e.options} for e in chosen.values()):
            usage(f"no chosen format takes the option {key!r}", "--set")
    formats: list[Format] = []
    extensions: dict[str, str] = {}
    for name, exporter in chosen.items():
        if exporter.extension in extensions:
            usage(
                f"the formats {extensions[exporter.extension]} and {name} both write "
                f".{exporter.extension} files; choose one",
                "--format",
            )
        extensions[exporter.extension] = name
        declared = {o.name for o in exporter.options}
        own = []
        for pair in pairs:
            key, _, value = pair.partition("=")
            target, dot, option = key.strip().partition(".")
            if dot and target == name:
                own.append(f"{option}={value}")
            elif not dot and key.strip() in declared:
                own.append(pair)
        options = _exporter_options(exporter, own)
        plugin = registry.describe(registry.owner(name))
        formats.append(Format(name, exporter.extension, options, plugin))
    return formats


@app.command()
def batch(
    people: Annotated[
        str, typer.Argument(help="YAML or CSV file of people: an id and make's or week's options.")
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output folder: <id>.<extension> per person and format, summary.json.",
        ),
    ],
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-F",
            help="Exporter; repeat or comma-separate (default json).",
            autocompletion=_complete_format,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=0,
            help="Local worker processes (default: the number of cores; 0 = in this process).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="A Dask scheduler, e.g. tcp://10.0.0.5:8786 (pip install 'routinegen[dask]')."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Regenerate even the outputs that are up to date.")
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Exporter option KEY=VALUE or FORMAT.KEY=VALUE; repeatable."),
    ] = None,
) -> None:
    """Routines and weekly plans for many people: local processes, or a Dask cluster."""
    if workers is not None and scheduler is not None:
        usage("give --workers or --scheduler, not both", "--workers")
    for pair in set_ or []:
        if "=" not in pair:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
    registry = _registry()
    names = [n.strip() for f in fmt or ["json"] for n in f.split(",") if n.strip()]
    formats = _batch_formats(registry, list(dict.fromkeys(names)), set_ or [])

    def action() -> None:
        import contextlib
        import time

        from routinegen.batch import run as core
        from routinegen.request.people import read_people

        _collect_from_here()
        jobs, invalid = core.prepare(read_people(people), formats, registry)
        with contextlib.ExitStack() as stack:
            factory: Callable[[], Any]
            if scheduler:
                client = stack.enter_context(core.dask_client(scheduler))
                factory, window = lambda: client.get_executor(pure=False), core.dask_window(client)
                label = f"dask {scheduler}"
            else:
                count = core.default_workers() if workers is None else workers
                factory = core.InlineExecutor if count == 0 else lambda: core.process_pool(count)
                window = max(1, 4 * count)
                label = "in-process" if count == 0 else f"{count} local processes"
            run = stack.enter_context(
                core.BatchRun(out, jobs, invalid, formats, people_file=people, executor=label)
            )
            tty = sys.stderr.isatty()
            started = shown = time.perf_counter()
            done = failed = skipped = 0
            outcomes = run.outcomes(factory, window=window, force=force)
            try:
                for outcome in outcomes:
                    done += 1
                    failed += outcome.failed
                    skipped += outcome.skipped
                    now = time.perf_counter()
                    if tty and (now - shown > 0.1 or done == run.total):
                        shown = now
                        line = core.progress_line(done, run.total, failed, skipped, now - started)
                        sys.stderr.write(f"\r{line}\x1b[K")
                        sys.stderr.flush()
            except (Interrupted, KeyboardInterrupt):
                outcomes.close()
                run.finish("interrupted")
                if tty:
                    sys.stderr.write("\r\x1b[K")
                typer.echo(
                    f"routinegen: interrupted; {done - failed} of {run.total} people are done "
                    f"and written; run the same command again to finish",
                    err=True,
                )
                raise typer.Exit(EXIT_INTERRUPTED) from None
            summary = run.finish()
        if tty:
            sys.stderr.write("\r\x1b[K")
        failures = [p for p in summary["people"] if p["status"] not in ("ok", "not-run")]
        for person in failures[:20]:
            who = f"{people}:{person['line']}: " + (f"{person['id']}: " if person.get("id") else "")
            typer.echo(f"routinegen: {who}{person['status']}: {person['message']}", err=True)
        if len(failures) > 20:
            typer.echo(f"routinegen: ... and {len(failures) - 20} more", err=True)
        counts = summary["counts"]
        typer.echo(
            f"routinegen: {counts['ok']} of {counts['total']} people ok "
            f"({counts['generated']} generated, {counts['skipped']} up to date), "
            f"{counts['failed']} failed; {summary['wall_seconds']:.1f} s; "
            f"summary in {Path(out) / core.SUMMARY_NAME}",
            err=True,
        )
        raise typer.Exit(core.exit_code(summary))

    _run(action)


# ---------------------------------------------------------------------------- listings


@catalog_app.command("list")
def catalog_list() -> None:
    """List the built-in catalogs and those that plugins ship."""
    registry = _registry()
    from routinegen.catalog import builtin_catalogs, load_catalog

    def action() -> None:
        for name in builtin_catalogs():
            loaded = load_catalog(name)
            typer.echo(f"{name:<14} {len(loaded.exercises):>4} exercises  {loaded.title}")
        shipped = registry.catalog_sources()
        for name, claims in sorted(registry.catalogs.items()):
            for source, key in claims:
                where = registry.describe(key)
                try:  # a plugin's broken catalog must not hide the others
                    loaded = load_catalog(name, extra={**shipped, name: source})
                except Exception as exc:
                    from routinegen.registry import one_line

                    typer.echo(
                        f"routinegen: warning: catalog {name!r} of {where} cannot be read: "
                        f"{one_line(exc)}",
                        err=True,
                    )
                    continue
                typer.echo(
                    f"{name:<14} {len(loaded.exercises):>4} exercises  {loaded.title}  ({where})"
                )

    _run(action)


@catalog_app.command("show")
def catalog_show(
    name: Annotated[
        str, typer.Argument(help="Catalog name (built-in or a plugin's) or YAML file.")
    ],
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
) -> None:
    """Show a catalog's muscles, groups, equipment and exercises."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    from routinegen.catalog import load_catalog

    def action() -> None:
        loaded = load_catalog(name, extra=_plugin_catalogs(registry, name))
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


@catalog_app.command("import")
def catalog_import(
    source: Annotated[str, typer.Argument(help="Source format: free-exercise-db.")],
    path: Annotated[
        str, typer.Argument(help="The source file (free-exercise-db: exercises.json).")
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="The catalog YAML file to write.")],
    name: Annotated[
        str | None, typer.Option(help="Catalog name (default: the output file's stem).")
    ] = None,
) -> None:
    """Convert another exercise database into a catalog; report what was skipped and why."""
    from routinegen.catalog.importers import SOURCES

    if source not in SOURCES:
        usage(f"unknown source format {source!r}; choose from {', '.join(SOURCES)}", "SOURCE")
    from routinegen.catalog.importers.free_exercise_db import catalog_name

    if name is not None and name != catalog_name(name):
        usage(f"must be lower-case letters, digits, '_' or '-'; got {name!r}", "--name")

    def action() -> None:
        import tempfile

        from routinegen.catalog import load_catalog
        from routinegen.catalog.importers import catalog_yaml, import_free_exercise_db
        from routinegen.errors import InputError
        from routinegen.output.files import write_atomic

        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            records = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not JSON ({exc})") from None
        catalog_id = name or catalog_name(Path(output).stem)
        try:
            data, report = import_free_exercise_db(records, name=catalog_id)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        text = catalog_yaml(
            data,
            [
                f"Imported from {source} ({Path(path).name}) by routinegen catalog import.",
                "Names, muscles, equipment and levels only; no instruction text is copied.",
            ],
        )
        with tempfile.TemporaryDirectory() as folder:  # check it loads before writing
            check = Path(folder) / f"{catalog_id}.yaml"
            check.write_text(text, encoding="utf-8")
            load_catalog(check)
        write_atomic(output, text.encode("utf-8"))
        for line in report.lines():
            typer.echo(line)
        typer.echo(f"wrote {output} (catalog {catalog_id!r}); use it with --catalog {output}")

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
def plugins(
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
) -> None:
    """List the loaded plugins with their distribution, version and hooks, and what they add."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    document: dict[str, list[Any]] = {
        "plugins": [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "hooks": list(p.hooks),
            }
            for p in registry.plugins
        ],
        "exporters": [
            {"name": e.name, "extension": e.extension, "media_type": e.media_type, "plugin": key}
            for name in sorted(registry.exporters)
            for e, key in registry.exporters[name]
        ],
        "catalogs": [
            {"name": name, "plugin": key}
            for name in sorted(registry.catalogs)
            for _, key in registry.catalogs[name]
        ],
        "warnings": list(registry.warnings),
    }
    if fmt == "json":
        typer.echo(json.dumps(document, indent=2))
        return
    typer.echo("plugins:")
    for p in registry.plugins:
        label = f"{p.distribution} {p.version}".rstrip()
        typer.echo(f"  {p.name:<12} {label:<28} {', '.join(p.hooks) or 'no hooks'}")
    typer.echo("exporters:")
    for row in document["exporters"]:
        clash = "  (format claimed twice)" if len(registry.exporters[row["name"]]) > 1 else ""
        typer.echo(
            f"  {row['name']:<12} .{row['extension']:<7} {row['media_type']:<24} "
            f"{row['plugin']}{clash}"
        )
    typer.echo("catalogs:" + ("" if registry.catalogs else " none from plugins"))
    for row in document["catalogs"]:
        clash = "  (name claimed twice)" if len(registry.catalogs[row["name"]]) > 1 else ""
        typer.echo(f"  {row['name']:<12} {row['plugin']}{clash}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the json exporter's documents."""
    from routinegen.output.document import load_schema

    typer.echo(json.dumps(load_schema(), indent=2))


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would turn KeyboardInterrupt into exit 1)."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Console entry point: exit 130 on Ctrl-C, and never a traceback unless asked for.

    The cycle collector is off for the command and everything is frozen at exit. A command
    imports some 60,000 objects (OR-Tools brings pandas) that all live until exit; the
    collector's passes over them while importing, and the interpreter's final collections,
    cost 80 ms of a 0.4 s ``make`` (measured), and find nothing to free. A long ``batch``
    switches it back on (``_collect_from_here``).
    """
    signal.signal(signal.SIGINT, _interrupt)
    gc.disable()
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
    finally:
        gc.freeze()


def _collect_from_here() -> None:
    """Switch the cycle collector back on for a long command, leaving out what is already
    imported, if ``main`` switched it off."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
