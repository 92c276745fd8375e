"""The options several commands take, defined once: make and week take the same ones, so
they cannot drift apart. Also how the flags given become settings over a preset's.
"""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import click
import typer

from routinegen.cli import complete

if TYPE_CHECKING:
    from routinegen.request.settings import Setting


def _complete_format(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for ``--format``: the installed exporters, loaded only when completing."""
    from routinegen.registry import load_registry

    registry = load_registry()
    return [
        (name, claims[0][0].description or claims[0][0].media_type)
        for name, claims in sorted(registry.exporters.items())
        if name.startswith(incomplete)
    ]


def _settings(preset: str | None, flags: Mapping[str, Any]) -> dict[str, "Setting"]:
    """A preset's settings overridden by the flags actually given."""
    from routinegen.api import settings_from

    return settings_from(preset, flags)


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


def _complete_goal(incomplete: str) -> list[str]:
    from routinegen.coaching.goals import GOALS

    return [g for g in GOALS if g.startswith(incomplete)]


def _complete_avoid(incomplete: str) -> list[str]:
    from routinegen.catalog.records import SAFETY_TAGS

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + t for t in SAFETY_TAGS if t.startswith(last)]


Goal = Annotated[
    str | None,
    typer.Option(
        "--goal",
        "-g",
        help="endurance (default: a circuit), hypertrophy, strength or conditioning.",
        autocompletion=_complete_goal,
    ),
]
Avoid = Annotated[
    list[str] | None,
    typer.Option(
        help="Safety tags to leave out, e.g. spinal_loading,impact; repeat or comma-separate.",
        show_default=False,
        autocompletion=_complete_avoid,
    ),
]
Warmup = Annotated[
    bool | None,
    typer.Option(
        "--warmup/--no-warmup", help="A RAMP warm-up first (default on).", show_default=False
    ),
]
Cooldown = Annotated[
    bool | None,
    typer.Option(
        "--cooldown/--no-cooldown",
        help="A cool-down of stretches last (default on).",
        show_default=False,
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
        help="Time limit in seconds for the whole call (default: make 10; week 15, and 3 "
        "more for each further week). A plan's search runs on a deterministic budget of "
        "0.2 s of work per second of it, so for week the limit is a safety net.",
        click_type=ASCII_FLOAT,
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
