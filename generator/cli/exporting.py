"""From flags to written output: the plugins, the exporter ``--format`` or ``-o`` picks, its
``--set`` options, and rendering and writing a result (what make, week and batch share).

Everything is decided before solving, so a wrong format, option or result kind costs no
solver time; heavy modules are imported inside the functions that need them.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from routinegen.cli.apps import fail, terminal_safe, usage
from routinegen.cli.clock import _check_clock
from routinegen.cli.running import write_stdout
from routinegen.errors import RoutinegenError

if TYPE_CHECKING:
    from routinegen.exporter import Exporter, Options
    from routinegen.registry import Registry
    from routinegen.request.settings import Setting


def _warn(registry: "Registry") -> None:
    for warning in registry.warnings:
        typer.echo(f"routinegen: warning: {terminal_safe(warning)}", err=True)


def _registry() -> "Registry":
    """Load the plugins, printing why any were skipped (the registry itself never prints)."""
    from routinegen.registry import load_registry

    registry = load_registry()
    _warn(registry)
    return registry


def _emit(data: str | bytes, output: str | None) -> None:
    """Rendered output to a file (atomically) or, for None or ``-``, to stdout."""
    from routinegen.output.files import write_atomic

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        write_stdout(payload)
    else:
        write_atomic(output, payload)


def _pick_exporter(registry: "Registry", fmt: str | None, output: str | None) -> "Exporter":
    """``--format`` wins; else the output file's extension; else text (a file without one).

    An extension no exporter claims is a usage error, not a text card under a misleading
    name. Decided before solving, so a wrong or ambiguous format costs no solver time.
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
        if extension and not claimed:
            extensions = sorted({e.extension for c in registry.exporters.values() for e, _ in c})
            usage(
                f"no installed exporter writes .{extension} files (known extensions: "
                f"{', '.join('.' + k for k in extensions)}); choose one with --format, or see "
                "routinegen exporters",
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
    from routinegen.exporter import OptionError, OptionFault, OptionRefused

    raw: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
        raw[key.strip()] = value
    try:
        return exporter.parse_options(raw)
    except OptionFault as exc:  # the plugin's options class is broken: its bug, exit 1
        fail(f"{exc} ({registry.describe(registry.owner(exporter.name))})")
    except OptionRefused as exc:  # the plugin's own check: say whose
        usage(f"{exc} ({registry.describe(registry.owner(exporter.name))})", "--set")
    except OptionError as exc:
        usage(str(exc), "--set")


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
    _check_clock(result)
    _emit(_render(registry, exporter, result, options), output)
