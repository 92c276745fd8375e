"""What the commands share: the typer apps, errors and exit codes, the plugins, rendering and
writing, the settings, and the options several commands take.

Heavy modules (the solver above all) are imported inside the functions that need them, so
``--help`` and the listing commands start fast and never load OR-Tools. Annotations are
real objects here, not strings (no ``from __future__ import annotations``): typer reads every
command's signature on each run, and evaluating strings cost 4 ms a command.
"""

import errno
import gc
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, NoReturn

import click
import typer
import typer.core

from routinegen.cli import complete
from routinegen.errors import RoutinegenError
from routinegen.sources.files import STDIN

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
    typer.echo(f"routinegen: error: {terminal_safe(message)}", err=True)
    raise typer.Exit(code)


def terminal_safe(text: str) -> str:
    """``text`` with control and bidi characters written as escapes (``\\x1b``): a message
    may quote a file name, a plugin's words or a value from a file, and a terminal would
    obey an escape sequence or a direction override in it."""
    from routinegen.sources.characters import escaped

    return escaped(text)


def usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=param)


def _warn(registry: "Registry") -> None:
    for warning in registry.warnings:
        typer.echo(f"routinegen: warning: {terminal_safe(warning)}", err=True)


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
        write_stdout(payload)
    else:
        write_atomic(output, payload)


def write_stdout(payload: bytes) -> None:
    """``payload`` to standard output; a closed, full or broken one is an error saying so.

    After a failed write stdout is pointed at the null device, so that the interpreter's
    own flush at exit cannot add a second complaint (or a traceback) about the same pipe.
    """
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise RoutinegenError("cannot write the output: standard output is closed")
    try:
        stream.write(payload)
        stream.flush()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = getattr(exc, "strerror", None) or "it is closed"
        raise RoutinegenError(f"cannot write the output to standard output ({reason})") from None


def _silence_stdout() -> None:
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


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


def _settings(preset: str | None, flags: Mapping[str, Any]) -> dict[str, "Setting"]:
    """A preset's settings overridden by the flags actually given."""
    from routinegen.api import settings_from

    return settings_from(preset, flags)


def _run(action: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one line and an exit code."""
    from routinegen.errors import Infeasible

    _terminate_like_interrupt()
    try:
        action()
    except Infeasible as exc:
        fail(str(exc), EXIT_INFEASIBLE)
    except RoutinegenError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:  # the machine's doing (a full disk, a closed pipe), not a bug
        _os_failure(exc)


def echo(text: str) -> None:
    """A line to standard output, for commands that print listings: a full or broken stdout
    is exit 1 with a message, not an internal error; a closed one too (click would print
    nothing and exit 0)."""
    if sys.stdout is None:
        fail("cannot write to standard output: it is closed")
    try:
        typer.echo(text)
    except OSError as exc:
        _os_failure(exc)


def _os_failure(exc: OSError) -> NoReturn:
    if exc.filename:
        fail(f"{exc.filename}: {exc.strerror or exc}")
    if exc.errno in _STDOUT_ERRORS:
        _silence_stdout()
        fail(f"cannot write to standard output ({exc.strerror or exc})")
    fail(str(exc.strerror or exc))


_STDOUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO})


def refuse_empty(**values: str | list[str] | None) -> None:
    """An option given an empty value (``-o ''``, ``-c ''``) is a usage error: quietly taking
    the default, or the current folder, would do something the user did not ask for. Keys
    are parameter names (``time_`` is ``--time``); an upper-case key is an argument."""
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if any(item is not None and not item.strip() for item in items):
            option = name if name.isupper() else "--" + name.rstrip("_").replace("_", "-")
            option = _OPTION_NAMES.get(name, option)
            usage("is empty; give a value, or leave the option out", option)


_OPTION_NAMES = {"fmt": "--format", "set_": "--set"}


# ---------------------------------------------------------------------------- options
# One definition per option: make and week take the same ones, so they cannot drift apart.


if TYPE_CHECKING:  # click 8.2+ types ParamType by the value it converts to; older is plain
    _ParamType = click.ParamType[Any]
else:
    _ParamType = click.ParamType


class AsciiNumber(_ParamType):
    """A number as a person types it: ASCII digits only. Python's ``int`` and ``float`` also
    take any script's digits (Arabic-Indic 15 is 15), ``1_000`` and ``nan``, which a command line
    should refuse rather than read as something the user may not have meant."""

    _PATTERNS: ClassVar[dict[type, re.Pattern[str]]] = {
        int: re.compile(r"^[-+]?[0-9]+$", re.ASCII),
        float: re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", re.ASCII),
    }

    def __init__(self, kind: type[int] | type[float], low: float | None = None) -> None:
        self.kind = kind
        self.low = low
        self.name = "integer" if kind is int else "number"
        self.noun = "a whole number" if kind is int else "a number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self.kind) and not isinstance(value, bool):
            number: float = value
        else:
            text = str(value).strip()
            if not self._PATTERNS[self.kind].match(text):
                self.fail(f"{value!r} is not {self.noun} written in digits 0-9", param, ctx)
            number = self.kind(text)
        if self.low is not None and number < self.low:
            self.fail(f"{value!r} is below {self.low:g}", param, ctx)
        return number


ASCII_INT = AsciiNumber(int)
ASCII_FLOAT = AsciiNumber(float)

Minutes = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        "-m",
        help="Time budget in minutes (default 15).",
        show_default=False,
        click_type=ASCII_FLOAT,
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
        autocompletion=complete.equipment,
    ),
]
Focus = Annotated[
    list[str] | None,
    typer.Option(
        "--focus",
        "-f",
        help="Muscle groups or muscles; repeat or comma-separate (default back).",
        show_default=False,
        autocompletion=complete.focus,
    ),
]
Level = Annotated[
    str | None,
    typer.Option(
        "--level",
        "-l",
        help="beginner, intermediate (default) or advanced.",
        autocompletion=complete.level,
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        help="Exercise ids to leave out; repeat or comma-separate.",
        show_default=False,
        autocompletion=complete.exercise,
    ),
]
Keep = Annotated[
    list[str] | None,
    typer.Option(
        help="Exercise ids the routine must have (to swap one: keep the others, exclude it).",
        show_default=False,
        autocompletion=complete.exercise,
    ),
]
Seed = Annotated[
    int | None,
    typer.Option(help="Another seed, another result (default 0).", click_type=ASCII_INT),
]
CatalogSpec = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        "-c",
        help="Built-in or plugin catalog name, or a YAML file, - for stdin (default full-body).",
        autocompletion=complete.catalog,
    ),
]
Preset = Annotated[
    str | None,
    typer.Option(
        "--preset",
        "-p",
        help="Preset name (routinegen presets) or YAML file, - for stdin; flags override it.",
        autocompletion=complete.preset,
    ),
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
Start = Annotated[
    str | None,
    typer.Option(
        help="make: the session's date or date and time, e.g. 2026-11-30 or 2026-11-30T18:30 "
        "(default tomorrow); week: the first day (default next Monday)."
    ),
]
Time = Annotated[
    str | None,
    typer.Option("--time", help="Session start time HH:MM (default 07:00)."),
]
Tz = Annotated[
    str | None,
    typer.Option(
        help="IANA time zone, e.g. Europe/Berlin (default: this machine's zone, from TZ or "
        "/etc/localtime via tzlocal; UTC if it has none).",
        autocompletion=complete.zone,
    ),
]
Rounds = Annotated[str | None, typer.Option(help="Rounds, e.g. 3 or 2-3 (default: by budget).")]
Exercises = Annotated[
    str | None, typer.Option(help="Exercises per round, e.g. 4-6 (default: by budget).")
]
MinFill = Annotated[
    float | None,
    typer.Option(
        help="Fraction of the budget a session must use (default 0.9).", click_type=ASCII_FLOAT
    ),
]
Rest = Annotated[
    int | None,
    typer.Option(
        help="Seconds of rest between exercises (default by level).", click_type=ASCII_INT
    ),
]
RoundRest = Annotated[
    int | None,
    typer.Option(help="Seconds of rest between rounds (default by level).", click_type=ASCII_INT),
]
TimeLimit = Annotated[
    float | None,
    typer.Option(
        help="Solver time limit in seconds (default: make 10, week 8).", click_type=ASCII_FLOAT
    ),
]
SetOptions = Annotated[
    list[str] | None, typer.Option("--set", help="Exporter option KEY=VALUE; repeatable.")
]
Quiet = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print no progress or notes; warnings and errors only."),
]
ListFormat = Annotated[
    str,
    typer.Option("--format", "-F", help="text or json.", autocompletion=complete.text_or_json),
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
    _check_clock(result)
    _emit(_render(registry, exporter, result, options), output)


def examples(*lines: str) -> str:
    """A command's ``--help`` epilog: example command lines, printed as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def one_stdin(**files: str | None) -> None:
    """Standard input can be read once: refuse ``-`` for two files before reading either."""
    dashed = [name for name, value in files.items() if value == STDIN]
    if len(dashed) > 1:
        usage(f"only one file can be - (standard input), not {' and '.join(dashed)}", dashed[1])


def local_zone() -> str:
    """This machine's IANA time zone: ``TZ``, else /etc/localtime (tzlocal reads both, and the
    Windows registry); UTC when neither names one."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name() or "UTC"
    except Exception:  # tzlocal raises for a TZ it cannot map to an IANA name
        return "UTC"
    return "UTC" if name in _UTC_ALIASES else name  # Debian's Etc/UTC is plain UTC


_UTC_ALIASES = frozenset({"Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$", re.ASCII)


def _with_clock(settings: dict[str, "Setting"], when: str | None) -> dict[str, "Setting"]:
    """Fill in what the flags leave to the machine: the local time zone when neither a flag
    nor the preset gives one, and for make's ``--time`` the start of the session."""
    if "tz" not in settings:
        settings.update(_settings(None, {"tz": local_zone()}))
    if when is None:
        return settings
    match = _CLOCK.match(when.strip())
    if not match:
        usage(f"expected a time like 07:30, got {when!r}", "--time")
    start = settings.get("start")
    if start is not None and ("T" in str(start.value) or ":" in str(start.value)):
        usage(f"--start {start.value} has a time already; give the time once", "--time")
    if start is not None:
        day = str(start.value).strip()
    else:
        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(str(settings["tz"].value))
        except (ZoneInfoNotFoundError, ValueError):
            return settings  # the request names the bad zone, with its origin
        day = (datetime.now(zone).date() + timedelta(days=1)).isoformat()
    clock = f"{int(match[1]):02d}:{match[2]}"
    settings.update(_settings(None, {"start": f"{day}T{clock}"}))
    return settings


def _missing_local_time(moment: Any) -> str | None:
    """The wall time a nonexistent local time is shown at (RFC 5545: the offset before the
    gap applies, so 02:30 on a spring-forward night is 03:30), or None if it exists."""
    from datetime import UTC

    real = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if real.replace(tzinfo=None) == moment.replace(tzinfo=None):
        return None
    return f"{real:%H:%M}"


def _check_clock(result: Any) -> None:
    """A session at a local time that does not exist (skipped by a daylight-saving change).

    ``make --start`` names one moment, so it is an error: the person typed a time that no
    clock shows, and should pick one. A plan's ``--time`` recurs over weeks, and one night of
    the year should not stop it: each such session gets a warning naming the time it moves to.
    """
    sessions = getattr(result, "sessions", None)
    if sessions is None:
        start = result.request.start
        shown = None if start is None else _missing_local_time(start)
        if shown is not None:
            fail(
                f"--start {start:%Y-%m-%dT%H:%M} does not exist in {result.request.tz}: the "
                "clocks jump forward over it for daylight saving; give a time that exists, "
                f"such as {shown} (where a calendar would put it)"
            )
        return
    for session in sessions:
        shown = _missing_local_time(session.start)
        if shown is not None:
            typer.echo(
                f"routinegen: warning: {session.start:%Y-%m-%d %H:%M} does not exist in "
                f"{session.start.tzinfo} (the clocks skip that hour for daylight saving); "
                f"that session starts at {shown}",
                err=True,
            )


def _terminate_like_interrupt() -> None:
    """SIGTERM (what ``timeout``, systemd and ``docker stop`` send) is handled as Ctrl-C is:
    a batch writes its summary as ``interrupted``, a ``make`` leaves no temp file behind, and
    the exit code is 130. Only the main thread may set a handler; elsewhere it stays as is."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_interrupted)


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM, raised past click (which would turn KeyboardInterrupt into exit 1).

    Marked as a real interruption (``routinegen.exporter.is_interrupt``): the plugin guards
    let it through, while a ``KeyboardInterrupt`` a plugin raises is that plugin's failure.
    """

    routinegen_interrupt = True


def _collect_from_here() -> None:
    """Switch the cycle collector back on for a long command, leaving out what is already
    imported, if ``main`` switched it off."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
