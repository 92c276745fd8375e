"""What an exporter is: a named renderer from a result to text or bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from routinegen.results import Plan, Routine

Result = Routine | Plan
KINDS = ("routine", "plan")  # the result kinds: a Routine from make, a Plan from week
Render = Callable[[Result, Mapping[str, Any]], str | bytes]


@dataclass(frozen=True)
class Option:
    """A setting an exporter accepts through ``--set KEY=VALUE``."""

    name: str
    type: type  # int, float, str or bool: how the value is parsed
    default: Any
    help: str


@dataclass(frozen=True)
class Exporter:
    """An output format. ``render`` must be pure: the same result gives the same output.

    ``render(result, options)`` gets every declared option, defaults filled in and values of
    the declared type; it returns ``str`` (written as UTF-8) or ``bytes``. An exception it
    raises stops the run with a message naming the plugin, and nothing is written.
    """

    name: str  # what --format takes, e.g. "ical"
    extension: str  # without the dot, e.g. "ics"
    media_type: str  # e.g. "text/calendar"
    render: Render
    description: str = ""
    options: tuple[Option, ...] = field(default=())
    kinds: tuple[str, ...] = KINDS  # the result kinds it renders; asked for another: usage error
