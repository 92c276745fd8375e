"""What the commands share: the typer apps, errors and exit codes, the plugins, rendering and
writing, the settings, and the options several commands take.

Heavy modules (the solver above all) are imported inside the functions that need them, so
``--help`` and the listing commands start fast and never load OR-Tools. Annotations are
real objects here, not strings (no ``from __future__ import annotations``): typer reads every
command's signature on each run, and evaluating strings cost 4 ms a command.
"""

import gc
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from routinegen.errors import RoutinegenError

if TYPE_CHECKING:
    from routinegen.exporter import Exporter, Options
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


def _render(registry: "Registry", exporter: "Exporter", result: Any, options: "Options") -> bytes:
    """Render through the one exporter path; a failure is blamed on the plugin, by name, and
    happens before anything is written, so an existing output file stays as it was."""
    from routinegen.exporter import RenderContext
    from routinegen.output.render import RenderError, render

    where = registry.describe(registry.owner(exporter.name))
    try:
        return render(exporter, result, options, RenderContext.now(), where=where)
    except RenderError as exc:
        fail(f"{exc}; nothing was written")


def _exporter_options(registry: "Registry", exporter: "Exporter", pairs: list[str]) -> "Options":
    """``--set KEY=VALUE`` pairs as the exporter's typed options, checked before solving."""
    from routinegen.exporter import OptionError, OptionRefused

    raw: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
        raw[key.strip()] = value
    try:
        return exporter.parse_options(raw)
    except OptionRefused as exc:  # the plugin's own check: say whose
        usage(f"{exc} ({registry.describe(registry.owner(exporter.name))})", "--set")
    except OptionError as exc:
        usage(str(exc), "--set")


def _settings(preset: str | None, flags: Mapping[str, Any]) -> dict[str, "Setting"]:
    """A preset's settings overridden by the flags actually given."""
    from routinegen.api import settings_from

    return settings_from(preset, flags)


def _run(action: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one line and an exit code."""
    from routinegen.errors import Infeasible

    try:
        action()
    except Infeasible as exc:
        fail(str(exc), EXIT_INFEASIBLE)
    except RoutinegenError as exc:
        fail(str(exc), exc.exit_code)


# ---------------------------------------------------------------------------- options

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
    fmt: str | None, output: str | None, pairs: list[str] | None, kind: str
) -> tuple["Registry", "Exporter", "Options"]:
    """The plugins, the exporter the flags pick and its checked options: before any solving,
    so a wrong format, option or result kind costs no solver time."""
    registry = _registry()
    exporter = _pick_exporter(registry, fmt, output)
    if kind not in exporter.kinds:
        usage(
            f"the {exporter.name} exporter renders {' and '.join(exporter.kinds)}s only, "
            f"not {kind}s",
            "--format" if fmt else "--output",
        )
    return registry, exporter, _exporter_options(registry, exporter, pairs or [])


def _solve_and_write(
    registry: "Registry",
    exporter: "Exporter",
    options: "Options",
    settings: dict[str, "Setting"],
    output: str | None,
    solve: Callable[[dict[str, "Setting"], "Registry"], Any],
) -> None:
    """Solve through the public API, render, write: what make and week share."""
    result = solve(settings, registry)
    _emit(_render(registry, exporter, result, options), output)


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would turn KeyboardInterrupt into exit 1)."""


def _collect_from_here() -> None:
    """Switch the cycle collector back on for a long command, leaving out what is already
    imported, if ``main`` switched it off."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
